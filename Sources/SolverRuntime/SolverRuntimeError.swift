/// Why a member could not be set up or did not finish, in words a user can act on.
public struct SolverRuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case unknownSolver, override, nonFinite, initialCondition, caseFile }
    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// The case file names a solver no registry entry provides.
    public static func unknownSolver(_ name: String?, path: String, known: [String]) -> SolverRuntimeError {
        let given = name.map { "solver '\($0)'" } ?? "no 'solver:' key"
        return SolverRuntimeError(.unknownSolver, "case file \(path) has \(given); known solvers: \(known.joined(separator: ", "))")
    }

    /// A `--set name=value` that does not fit the case's parameters.
    public static func badOverride(_ text: String) -> SolverRuntimeError { SolverRuntimeError(.override, text) }

    /// A state or snapshot field went NaN or infinite.
    public static func nonFinite(member: UInt64, step: UInt64, time: Double, field: String) -> SolverRuntimeError {
        SolverRuntimeError(.nonFinite, "member \(member) produced NaN or Inf at step \(step) (t = \(time)) in field '\(field)'; stopping")
    }

    /// The initial condition's input (a file) could not be used.
    public static func initialCondition(_ text: String) -> SolverRuntimeError { SolverRuntimeError(.initialCondition, text) }

    /// The case file is unusable for another reason.
    public static func caseFile(_ text: String) -> SolverRuntimeError { SolverRuntimeError(.caseFile, text) }

    /// Whether this is the non-finite error (the run loop's stop).
    public var isNonFinite: Bool { code == .nonFinite }
}
