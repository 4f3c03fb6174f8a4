import CFFTW
import Foundation

/// The process-wide lock around FFTW's planner, and FFTW's accumulated planning knowledge ("wisdom").
///
/// FFTW's execute functions are thread-safe, but everything else that touches the planner is not: plan creation,
/// `fftw_destroy_plan`, and the wisdom functions share global state in both the double (`fftw_`) and the single
/// (`fftwf_`) library. SolverKit therefore routes every such call through ``withLock(_:)``, so plans may be
/// created and destroyed from any number of threads at once. Callers never need to take the lock themselves.
///
/// The lock is an `NSLock` rather than `Synchronization.Mutex` because the package still supports macOS 14.
public enum FFTPlanner {
    private static let lock = NSLock()

    /// Runs `body` while holding the planner lock. Not reentrant: `body` must not call back into a planner API.
    static func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The double-precision wisdom accumulated so far, as FFTW's text format.
    ///
    /// Saving it after a run and feeding it to ``importWisdom(_:)`` in the next lets `.measure` and `.patient`
    /// plans of the same shapes be created without timing transforms again. Single-precision wisdom is
    /// separate: see ``exportSinglePrecisionWisdom()``.
    public static func exportWisdom() -> String {
        withLock {
            guard let text = fftw_export_wisdom_to_string() else { return "" }
            defer { free(text) }
            return String(cString: text)
        }
    }

    /// The single-precision (`fftwf_`) wisdom accumulated so far.
    public static func exportSinglePrecisionWisdom() -> String {
        withLock {
            guard let text = fftwf_export_wisdom_to_string() else { return "" }
            defer { free(text) }
            return String(cString: text)
        }
    }

    /// Adds double-precision wisdom from ``exportWisdom()``; returns false if FFTW could not parse `text`.
    @discardableResult
    public static func importWisdom(_ text: String) -> Bool {
        withLock { fftw_import_wisdom_from_string(text) != 0 }
    }

    /// Adds single-precision wisdom from ``exportSinglePrecisionWisdom()``; false if FFTW could not parse it.
    @discardableResult
    public static func importSinglePrecisionWisdom(_ text: String) -> Bool {
        withLock { fftwf_import_wisdom_from_string(text) != 0 }
    }
}

/// How hard FFTW's planner searches for a fast algorithm when a plan is created (FFTW's "planning-rigor flags").
///
/// Planning cost grows from `.estimate` (microseconds, no timing) to `.exhaustive` (can take minutes for large
/// 3-D shapes); execution speed usually improves up to `.measure` or `.patient`. Any rigor other than
/// `.estimate` runs trial transforms on the plan's own buffers, overwriting them. Solvers should use `.measure`;
/// tests use `.estimate` to stay fast. Results are identical up to rounding whatever the rigor.
public struct FFTPlanningRigor: Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable { case estimate, measure, patient, exhaustive }
    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// `FFTW_ESTIMATE`: pick an algorithm by heuristics, without running any transform.
    public static let estimate = FFTPlanningRigor(.estimate)
    /// `FFTW_MEASURE`: time a few candidate algorithms (typically well under a second for 1024^2).
    public static let measure = FFTPlanningRigor(.measure)
    /// `FFTW_PATIENT`: time a wider range of algorithms; several times slower to plan than `.measure`.
    public static let patient = FFTPlanningRigor(.patient)
    /// `FFTW_EXHAUSTIVE`: time every algorithm FFTW knows.
    public static let exhaustive = FFTPlanningRigor(.exhaustive)

    /// The FFTW flag bits for this rigor.
    var fftwFlags: UInt32 {
        switch code {
        case .estimate: FFTW_ESTIMATE
        case .measure: FFTW_MEASURE
        case .patient: FFTW_PATIENT
        case .exhaustive: FFTW_EXHAUSTIVE
        }
    }

    public var description: String {
        switch code {
        case .estimate: "estimate"
        case .measure: "measure"
        case .patient: "patient"
        case .exhaustive: "exhaustive"
        }
    }
}
