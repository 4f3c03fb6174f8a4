/// An FFT plan could not be created.
///
/// Thrown for shapes that come from configuration (so a bad case file cannot crash a process) and for the rare
/// case where FFTW's planner declines a problem. Misuse of a created plan (buffers of the wrong size or
/// alignment) is a programmer error and stops the process with a precondition failure instead.
public struct FFTError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidShape
        case planningFailed
    }

    private let code: Code
    /// The shape the plan was requested for.
    public let shape: [Int]
    private let detail: String

    private init(_ code: Code, shape: [Int], detail: String) {
        self.code = code
        self.shape = shape
        self.detail = detail
    }

    /// The shape is empty, has a non-positive extent, or is too large for FFTW's `int` dimensions.
    public static func invalidShape(_ shape: [Int], reason: String) -> FFTError {
        FFTError(.invalidShape, shape: shape, detail: reason)
    }

    /// FFTW's planner returned no plan for a valid shape.
    public static func planningFailed(_ shape: [Int], transform: String, rigor: FFTPlanningRigor) -> FFTError {
        FFTError(.planningFailed, shape: shape, detail: "\(transform) with rigor \(rigor)")
    }

    /// Whether this error is an invalid-shape error (for matching, e.g. `error.isInvalidShape`).
    public var isInvalidShape: Bool { code == .invalidShape }
    /// Whether FFTW's planner refused the problem.
    public var isPlanningFailure: Bool { code == .planningFailed }

    public var description: String {
        let dims = shape.map(String.init).joined(separator: "x")
        switch code {
        case .invalidShape:
            return "cannot plan a real FFT of shape [\(dims)]: \(detail); "
                + "expected 1 or more extents, each in 1...\(Int32.max)"
        case .planningFailed:
            return "FFTW's planner returned no plan for the \(detail) transform of shape [\(dims)]"
        }
    }
}
