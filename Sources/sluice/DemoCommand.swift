import ArgumentParser
import Clients
import Foundation
import Logging
import Server
import SluiceConfig

/// `sluice demo`: the whole service on one machine: a server, synthetic solver members and a checking trainer, as
/// separate processes, with live rates and reservoir fill. Stops when the members are done, or on Ctrl-C.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a server, solver members and a trainer on this machine, with live rates and reservoir fill."
    )

    @Option(help: "Solver members (processes).")
    var members = 4

    @Option(help: "Samples per member.")
    var samples = 2000

    @Option(help: "Sample shape (float32).")
    var shape = "64x64"

    @Option(help: "Pause between a member's samples, in milliseconds (0: as fast as credit allows).")
    var intervalMs: Double = 1

    @Option(help: "Reservoir policy: fifo, firo, reservoir, uniform.")
    var policy = "reservoir"

    @Option(help: "Reservoir byte bound.")
    var capacity = "64MiB"

    @Option(help: "Serve once the reservoir holds this much.")
    var watermark = "4MiB"

    @Option(help: "Trainer batch size.")
    var batchSize = 32

    @Flag(help: "No live line (for logs and CI).")
    var plain = false

    func run() throws {
        let me = CommandLine.arguments[0]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-demo-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let endpointFile = directory.appendingPathComponent("endpoints.json").path
        print("sluice demo: \(members) synthetic members x \(samples) samples of \(shape) float32 -> \(policy) reservoir of \(capacity) -> trainer (batch \(batchSize))")
        let server = try launch(me, ["serve", "--solver-endpoint", "tcp://127.0.0.1:*", "--consumer-endpoint", "tcp://127.0.0.1:*",
                                     "--control-endpoint", "tcp://127.0.0.1:*", "--endpoint-file", endpointFile,
                                     "--policy", policy, "--capacity", capacity, "--watermark", watermark,
                                     "--name", "demo", "--log-level", "warning"], output: directory.appendingPathComponent("serve.log"))
        var endpoints: [String: String] = [:]
        for _ in 0..<1000 where endpoints.isEmpty {
            Thread.sleep(forTimeInterval: 0.01)
            if let data = FileManager.default.contents(atPath: endpointFile) {
                endpoints = (try? JSONSerialization.jsonObject(with: data) as? [String: String]) ?? [:]
            }
        }
        guard let solver = endpoints["solver"], let consumer = endpoints["consumer"], let control = endpoints["control"] else {
            server.terminate()
            throw ValidationError("the server did not start; see its log")
        }
        print("server: solvers \(solver), trainers \(consumer), control \(control)")
        let trainer = try launch(me, ["consume", "--server", consumer, "--group", "demo", "--batch-size", "\(batchSize)",
                                      "--verify", "--idle-timeout", "3", "--log-level", "warning"],
                                 output: directory.appendingPathComponent("trainer.log"))
        var solvers: [Process] = []
        for m in 0..<members {
            solvers.append(try launch(me, ["synth", "--server", solver, "--member", "\(m)", "--samples", "\(samples)",
                                           "--shape", shape, "--interval-ms", "\(intervalMs)", "--quiet", "--log-level", "warning"],
                                      output: directory.appendingPathComponent("member-\(m).log")))
        }
        let interrupted = LockedValue(false)
        let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in interrupted.set(true) }
        defer { watcher.cancel() }
        let start = Date()
        var membersDoneAt: Date?
        while !interrupted.value, trainer.isRunning {
            if membersDoneAt == nil, !solvers.contains(where: \.isRunning) { membersDoneAt = Date() }
            // With draws that reuse samples the trainer never runs dry: stop it a few seconds after the last member.
            if let done = membersDoneAt, Date().timeIntervalSince(done) > 3 { break }
            Thread.sleep(forTimeInterval: 1)
            guard let status = try? fetch(control) else { continue }
            let line = Self.line(status, elapsed: Date().timeIntervalSince(start), membersRunning: solvers.filter(\.isRunning).count)
            if plain { print(line) } else { FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8)) }
        }
        if !plain { print("") }
        if interrupted.value { print("interrupted: stopping members, trainer and server") }
        for p in solvers + [trainer] where p.isRunning { p.interrupt() }
        for p in solvers + [trainer] { p.waitUntilExit() }
        let final = try? fetch(control)
        server.interrupt()
        server.waitUntilExit()
        if let final { print(StatusTable.render(final)) }
        let trainerLog = (try? String(contentsOf: directory.appendingPathComponent("trainer.log"), encoding: .utf8)) ?? ""
        print(trainerLog.split(separator: "\n").filter { $0.hasPrefix("group") || $0.hasPrefix("verification") }.joined(separator: "\n"))
        if !interrupted.value, trainer.terminationStatus != 0 { throw ExitCode(trainer.terminationStatus) }
    }

    func launch(_ executable: String, _ arguments: [String], output: URL) throws -> Process {
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    func fetch(_ control: String) throws -> ServerStatus {
        let body = try AdminClient.status(endpoint: control, timeout: .seconds(2))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ServerStatus.self, from: Data(body))
    }

    static func line(_ s: ServerStatus, elapsed: Double, membersRunning: Int) -> String {
        let r = s.reservoir
        let fill = r.capacityBytes > 0 ? 100 * Double(r.bytes) / Double(r.capacityBytes) : 0
        let reuse = r.inserted > 0 ? Double(r.served) / Double(r.inserted) : 0
        return String(format: "%5.0f s | in %7.0f samples/s %8@/s | out %7.0f samples/s | fill %5.1f%% (%d samples) | mean reuse %.2f | members running %d | rejected %d",
                      elapsed, s.rates.samplesInPerS, ByteSize.format(Int(s.rates.bytesInPerS)), s.rates.samplesOutPerS,
                      fill, r.count, reuse, membersRunning, s.totals.rejectedTotal)
    }
}
