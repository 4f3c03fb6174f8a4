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

    public init(member: UInt64, overrides: ParameterOverrides = ParameterOverrides(), rigor: FFTPlanningRigor = .measure) {
        self.member = member
        self.overrides = overrides
        self.rigor = rigor
    }
}
