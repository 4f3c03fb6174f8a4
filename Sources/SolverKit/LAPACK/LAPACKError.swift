/// A LAPACK routine reported failure through its `info` code.
///
/// ``routine`` names the LAPACKE routine (e.g. `"LAPACKE_dgesv"`) and ``info`` is its return value, as in the
/// LAPACK documentation: negative for an illegal argument (`-i`: the i-th argument), positive for a numerical
/// failure whose meaning depends on the routine, and -1010 / -1011 for LAPACKE's out-of-memory codes.
public struct LAPACKError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case illegalArgument
        case singular
        case noConvergence
        case outOfMemory
    }

    private let code: Code
    /// The LAPACKE routine that failed.
    public let routine: String
    /// The routine's `info` return value.
    public let info: Int

    private init(_ code: Code, routine: String, info: Int) {
        self.code = code
        self.routine = routine
        self.info = info
    }

    /// Argument `position` (1-based, LAPACKE's numbering including the layout argument) had an illegal value.
    public static func illegalArgument(routine: String, position: Int) -> LAPACKError {
        LAPACKError(.illegalArgument, routine: routine, info: -position)
    }

    /// The matrix is exactly singular: the `info`-th pivot (1-based) of its factorisation is zero.
    public static func singular(routine: String, info: Int) -> LAPACKError {
        LAPACKError(.singular, routine: routine, info: info)
    }

    /// An iterative algorithm (the QZ iteration in `zggev`) did not converge; `info` says where.
    public static func noConvergence(routine: String, info: Int) -> LAPACKError {
        LAPACKError(.noConvergence, routine: routine, info: info)
    }

    /// LAPACKE could not allocate its work or transposition arrays (`info` -1010 or -1011).
    public static func outOfMemory(routine: String, info: Int) -> LAPACKError {
        LAPACKError(.outOfMemory, routine: routine, info: info)
    }

    /// Whether the matrix was found exactly singular.
    public var isSingular: Bool { code == .singular }
    /// Whether an argument was illegal (a bug in the caller or in SolverKit's checks).
    public var isIllegalArgument: Bool { code == .illegalArgument }
    /// Whether an iteration failed to converge.
    public var isNoConvergence: Bool { code == .noConvergence }
    /// Whether LAPACKE ran out of memory.
    public var isOutOfMemory: Bool { code == .outOfMemory }

    public var description: String {
        switch code {
        case .illegalArgument:
            return "\(routine) rejected argument \(-info) as illegal (info \(info)); check the dimensions passed"
        case .singular:
            return "\(routine) found the matrix exactly singular: pivot \(info) is zero (info \(info)); "
                + "no solution was computed"
        case .noConvergence:
            return "\(routine) did not converge (info \(info)); the eigenvalues were not computed reliably"
        case .outOfMemory:
            return "\(routine) could not allocate its work arrays (info \(info))"
        }
    }
}

extension LAPACKError {
    /// Maps a LAPACKE return value to an error; `positive` builds the routine-specific error for `info > 0`.
    static func check(
        _ info: Int32, routine: String, positive: (Int) -> LAPACKError
    ) throws(LAPACKError) {
        let info = Int(info)
        if info == 0 { return }
        if info == -1010 || info == -1011 { throw .outOfMemory(routine: routine, info: info) }
        if info < 0 { throw .illegalArgument(routine: routine, position: -info) }
        throw positive(info)
    }
}
