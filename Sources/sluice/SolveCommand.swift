import ArgumentParser
import Clients
import Foundation
import SluiceModel
import SolverKit
import SolverRuntime

/// `sluice solve CASE --member K`: one solver member as a streaming daemon, or standalone with progress.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Run one solver member: stream its snapshots to a server, or run standalone with progress.",
        discussion: """
            The case file's `solver:` key picks the solver (\(SolverRegistry.standard.entries.map(\.name).joined(separator: ", "))). \
            Member K runs the case's parameters with --set overrides; for random initial conditions its seed is \
            the case's seed + K unless --set seed=... is given. With --server the snapshots stream to that \
            server's solver endpoint under credit (steps the server already holds are not sent again); without \
            it the member runs standalone and prints progress (step, simulated time, steps/s, ETA).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The case file (YAML or JSON), e.g. solvers/ns2d/fno.yaml.")
    var caseFile: String

    @Option(help: "Member index in the study.")
    var member: UInt64 = 0

    @Option(help: "Attempt number of this member (0 for the first run, +1 per relaunch).")
    var attempt: UInt32 = 0

    @Option(help: "The server's solver endpoint, e.g. tcp://127.0.0.1:5555; omit to run standalone.")
    var server: String?

    @Option(help: "Study name sent to the server (default: the case's name).")
    var study: String?

    @Option(name: .customLong("set"), parsing: .singleValue, help: "Override a study parameter: --set viscosity=1e-4 (repeatable).")
    var assignments: [String] = []

    @Option(help: "Stop after this many steps instead of the case's run length.")
    var steps: UInt64?

    @Flag(help: "Print the plan and its cost estimate, and run nothing.")
    var dryRun = false

    @Option(help: "Check the state for NaN/Inf every this many steps.")
    var finiteCheckEvery: UInt64 = 1

    @Flag(help: "Plan FFTs with FFTW_ESTIMATE instead of FFTW_MEASURE (faster start, slower steps).")
    var estimatePlans = false

    @Option(help: "Worker threads for one step (the channel DNS uses them; the other solvers run on one).")
    var threads = 1

    @Flag(help: "Print no progress, only the final summary and errors.")
    var quiet = false

    @OptionGroup var curve: CurveOptions

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: caseFile) else {
            throw ValidationError("case file \(caseFile) does not exist or is not readable")
        }
        guard (1...256).contains(threads) else { throw ValidationError("--threads \(threads) must be between 1 and 256") }
        do { _ = try ParameterOverrides(assignments) } catch { throw ValidationError("\(error)") }
        if let server, !(server.hasPrefix("tcp://") || server.hasPrefix("ipc://") || server.hasPrefix("inproc://")) {
            throw ValidationError("--server '\(server)' is not a ZeroMQ endpoint such as tcp://127.0.0.1:5555")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        let request = MemberRequest(member: member, overrides: try ParameterOverrides(assignments),
                                    rigor: dryRun || estimatePlans ? .estimate : .measure, threads: threads)
        let setup = try SolverRegistry.standard.makeMember(casePath: caseFile, request: request)
        var options = RunOptions(member: member, attempt: attempt, stepLimit: steps, finiteCheckInterval: finiteCheckEvery)
        if dryRun {
            print(RunPlan(setup: setup, options: options).text)
            return
        }
        let progress = LiveLineProgress()
        if !quiet { options.progress = progress }
        let sink: any SampleSink
        var publisher: SolverPublisher?
        if let server {
            let layout = setup.simulation.snapshotLayout
            var configuration = SolverPublisher.Configuration(endpoint: server, study: study ?? setup.caseName, member: member,
                                                              attempt: attempt, sampleBytes: max(1, layout.payloadBytes),
                                                              peerName: "\(setup.solver) member \(member)")
            configuration.connection.curve = try curve.keys()
            let p = try SolverPublisher(configuration)
            options.skipSteps = p.acceptedSteps
            publisher = p
            sink = p
        } else {
            sink = DiscardingSink()
        }
        let runner = MemberRunner(setup: setup, options: options)
        do {
            let summary = try runner.run(into: sink)
            if quiet { progress.finish(summary, member: member) }
            if let publisher, !publisher.errorCounts.isEmpty {
                let errors = publisher.errorCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                FileHandle.standardError.write(Data("member \(member): the server reported errors: \(errors)\n".utf8))
                throw ExitCode(1)
            }
        } catch let error as SolverRuntimeError {
            FileHandle.standardError.write(Data("\nerror: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
