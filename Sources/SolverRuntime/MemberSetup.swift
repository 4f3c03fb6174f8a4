import SluiceModel
import SolverKit

/// Everything the run loop needs for one member, built by a ``SolverEntry`` from a case file.
public struct MemberSetup {
    /// The solver's registry name (`ns2d`, `advection`).
    public var solver: String
    /// The case's name.
    public var caseName: String
    public var simulation: any Simulation
    /// Output schedules; a snapshot is written when any of them is due.
    public var schedules: [OutputSchedule]
    /// Whether the initial state is the first snapshot.
    public var includeInitial: Bool
    /// Steps the case asks for.
    public var plannedSteps: UInt64
    /// Lines describing the setup (grid, scheme, step, forcing...), for dry-run plans and logs.
    public var details: [(String, String)]

    public init(solver: String, caseName: String, simulation: any Simulation, schedules: [OutputSchedule],
                includeInitial: Bool, plannedSteps: UInt64, details: [(String, String)]) {
        self.solver = solver
        self.caseName = caseName
        self.simulation = simulation
        self.schedules = schedules
        self.includeInitial = includeInitial
        self.plannedSteps = plannedSteps
        self.details = details
    }
}

/// What to build: which member, with which overrides, planned how.
public struct MemberRequest: Sendable {
    public var member: UInt64
    public var overrides: ParameterOverrides
    /// FFT planning effort: `.measure` for runs, `.estimate` for dry runs and tests.
    public var rigor: FFTPlanningRigor
    /// Worker threads a solver may use for one step (the channel DNS splits its planes; the others use one).
    public var threads: Int

    public init(member: UInt64, overrides: ParameterOverrides = ParameterOverrides(), rigor: FFTPlanningRigor = .measure,
                threads: Int = 1) {
        self.member = member
        self.overrides = overrides
        self.rigor = rigor
        self.threads = threads
    }

    /// This member's seed: the case's `base` seed plus the member index, unless `--set seed=` gave one (the
    /// launcher passes each member's own draw that way), in which case `overridden` is used as is.
    public func memberSeed(base: UInt64, overridden: UInt64) throws -> UInt64 {
        guard !overrides.contains("seed") else { return overridden }
        let (seed, overflow) = base.addingReportingOverflow(member)
        guard !overflow else { throw SolverRuntimeError.badOverride("seed \(base) + member \(member) overflows UInt64") }
        return seed
    }
}
