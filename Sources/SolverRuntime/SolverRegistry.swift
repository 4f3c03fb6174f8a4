import Foundation
import SluiceConfig

/// One solver the runtime can run: its case files' `solver:` name and a factory from a case file to a member.
public struct SolverEntry: Sendable {
    public let name: String
    /// One line on the solver, for `sluice solve --help` and error messages.
    public let summary: String
    private let factory: @Sendable (_ casePath: String, _ request: MemberRequest) throws -> MemberSetup

    public init(name: String, summary: String,
                factory: @escaping @Sendable (_ casePath: String, _ request: MemberRequest) throws -> MemberSetup) {
        self.name = name
        self.summary = summary
        self.factory = factory
    }

    /// Builds member `request.member` of the case at `casePath`.
    public func makeMember(casePath: String, request: MemberRequest) throws -> MemberSetup {
        try factory(casePath, request)
    }
}

/// Maps a case file's `solver:` name to the ``SolverEntry`` that runs it. `sluice solve`, and later
/// `sluice export` (which runs members straight into an archive), go through ``standard``; a new solver plugs in
/// by adding its entry there, with no change to the run loop or the commands.
public struct SolverRegistry: Sendable {
    public private(set) var entries: [SolverEntry]

    public init(_ entries: [SolverEntry]) {
        self.entries = entries
    }

    /// The solvers that ship with Sluice.
    public static let standard = SolverRegistry([.navierStokes2D, .advection, .synthetic, .tsunami, .channel])

    /// The entry called `name`.
    public func entry(named name: String) -> SolverEntry? { entries.first { $0.name == name } }

    /// Builds member `request.member` of the case at `casePath`, choosing the solver by the file's `solver:` key.
    ///
    /// - Throws: ``SolverRuntimeError/unknownSolver(_:path:known:)`` for a missing or unknown name, and whatever
    ///   the solver's factory throws (config errors name the file and key; solver errors name the values).
    public func makeMember(casePath: String, request: MemberRequest) throws -> MemberSetup {
        let name = try ConfigFile.topLevelString("solver", in: casePath)
        guard let name, let entry = entry(named: name) else {
            throw SolverRuntimeError.unknownSolver(name, path: casePath, known: entries.map(\.name))
        }
        return try entry.makeMember(casePath: casePath, request: request)
    }

    public mutating func register(_ entry: SolverEntry) {
        entries.removeAll { $0.name == entry.name }
        entries.append(entry)
    }
}
