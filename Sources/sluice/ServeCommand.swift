import ArgumentParser
import Dispatch
import Foundation
import SluiceConfig
import Logging
import Reservoir
import Server

/// `sluice serve`: run the reservoir server until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the reservoir server: solvers stream in, trainers pull batches out.",
        discussion: """
            Settings come from --config (YAML or JSON, see schemas/config/server.schema.json) and are overridden \
            by flags. Defaults bind tcp://127.0.0.1:5555 (solvers), :5556 (trainers) and :5557 (control) with a \
            1 GiB FIFO reservoir. Stops gracefully on Ctrl-C or SIGTERM and prints the final counters.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "A YAML or JSON server configuration file.")
    var config: String?

    @Option(help: "Endpoint for solvers, e.g. tcp://0.0.0.0:5555 (port * picks a free one).")
    var solverEndpoint: String?

    @Option(help: "Endpoint for trainers and exporters.")
    var consumerEndpoint: String?

    @Option(help: "Endpoint for sluice status and other admin tools.")
    var controlEndpoint: String?

    @Option(help: "Reservoir policy: fifo, firo, reservoir, uniform.")
    var policy: ReservoirPolicy?

    @Option(help: "Reservoir byte bound, e.g. 512MiB, 4GiB.")
    var capacity: String?

    @Option(help: "Serving starts once the reservoir holds this many bytes, e.g. 64MiB.")
    var watermark: String?

    @Option(help: "Seed of the reservoir's random draws and evictions.")
    var seed: UInt64?

    @Option(help: "NaN/Inf in a sample: reject, flag or ignore.")
    var nonFinite: NonFinitePolicy?

    @Option(help: "Write the bound endpoints to this file (JSON).")
    var endpointFile: String?

    @Option(help: "Host written to the endpoint file instead of the bound one (binding 0.0.0.0 on a cluster node: its hostname).")
    var advertiseHost: String?

    @Option(help: "Server name shown in status and logs.")
    var name: String?

    @Option(help: "A key directory (sluice keys generate): require CURVE on every endpoint, admitting only allowed keys.")
    var curveDir: String?

    @Option(help: "Checkpoint the reservoir to this file (on SIGTERM and periodically) and restore it at start.")
    var checkpointFile: String?

    @Option(help: "Seconds between checkpoints (0: only at shutdown).")
    var checkpointInterval: Double?

    @Flag(help: "Print the final counters as JSON on stdout when stopping.")
    var json = false

    func resolvedConfiguration() throws -> ServerConfiguration {
        var c = try config.map { try ConfigFile.load(ServerConfiguration.self, from: $0) } ?? ServerConfiguration()
        if let v = solverEndpoint { c.solverEndpoint = v }
        if let v = consumerEndpoint { c.consumerEndpoint = v }
        if let v = controlEndpoint { c.controlEndpoint = v }
        if let v = policy { c.reservoir.policy = v }
        if let v = capacity {
            guard let bytes = ByteSize.parse(v) else { throw ValidationError("--capacity '\(v)' is not a byte size such as 512MiB") }
            c.reservoir.capacityBytes = bytes
        }
        if let v = watermark {
            guard let bytes = ByteSize.parse(v) else { throw ValidationError("--watermark '\(v)' is not a byte size such as 64MiB") }
            c.reservoir.watermarkBytes = bytes
        }
        if let v = seed { c.reservoir.seed = v }
        if let v = nonFinite { c.nonFinite = v }
        if let v = endpointFile { c.endpointFile = v }
        if let v = advertiseHost { c.advertiseHost = v }
        if let v = name { c.name = v }
        if let v = curveDir { c.curveDirectory = v }
        if let v = checkpointFile { c.checkpointFile = v }
        if let v = checkpointInterval { c.checkpointIntervalS = v }
        do { try c.validate() } catch { throw ValidationError("\(error)") }
        return c
    }

    func run() throws {
        global.bootstrapLogging()
        let c = try resolvedConfiguration()
        ReservoirServer.tuneProcessMemory()
        let server = try ReservoirServer(configuration: c)
        try server.bind()
        let stop = StopFlag()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            Logger(label: "sluice.serve").notice("received signal \(signal); stopping")
            stop.request()
        }
        let final = try server.run(until: stop)
        signals.cancel()
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(final), as: UTF8.self))
        } else {
            print(StatusTable.render(final))
        }
    }
}

extension ReservoirPolicy: ExpressibleByArgument {}
extension NonFinitePolicy: ExpressibleByArgument {}

/// Turns SIGINT/SIGTERM into a callback on a dispatch queue (the default handlers would kill the process before
/// the server could say goodbye).
final class SignalWatcher: @unchecked Sendable {
    // @unchecked: the sources are created once and only cancelled afterwards.
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        for s in signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler { handler(s) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }
}
