import ArgumentParser
import Foundation
import SluiceConfig

/// `sluice bench memory`: the server's peak resident memory against its configured byte bound, with publishers
/// streaming as fast as credit allows and a trainer consuming, all as separate processes.
struct BenchMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Peak resident memory of `sluice serve` against its byte bound under full load."
    )

    @Option(help: "Reservoir byte bound.")
    var capacity = "1GiB"

    @Option(help: "Reservoir policy.")
    var policy = "reservoir"

    @Option(help: "Sample shape (float32); 512x512 is 1 MiB.")
    var shape = "512x512"

    @Option(help: "Publisher processes.")
    var publishers = 2

    @Option(help: "Seconds of load.")
    var seconds: Double = 10

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        guard let bound = ByteSize.parse(capacity) else { throw ValidationError("--capacity '\(capacity)' is not a byte size") }
        let me = CommandLine.arguments[0]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-memory-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let endpointFile = directory.appendingPathComponent("endpoints.json").path
        let server = try spawn(me, ["serve", "--solver-endpoint", "tcp://127.0.0.1:*", "--consumer-endpoint", "tcp://127.0.0.1:*",
                                    "--control-endpoint", "tcp://127.0.0.1:*", "--endpoint-file", endpointFile,
                                    "--capacity", capacity, "--policy", policy, "--log-level", "error"])
        var endpoints: [String: String] = [:]
        for _ in 0..<500 where endpoints.isEmpty {
            Thread.sleep(forTimeInterval: 0.01)
            if let data = FileManager.default.contents(atPath: endpointFile) {
                endpoints = (try? JSONSerialization.jsonObject(with: data) as? [String: String]) ?? [:]
            }
        }
        guard let solver = endpoints["solver"], let consumer = endpoints["consumer"] else {
            server.terminate()
            throw ValidationError("the server did not start")
        }
        let baseline = Self.memory(pid: server.processIdentifier).rss
        var children = [try spawn(me, ["consume", "--server", consumer, "--batch-size", "16", "--idle-timeout", "5", "--log-level", "error"])]
        for m in 0..<publishers {
            children.append(try spawn(me, ["synth", "--server", solver, "--member", "\(m)", "--samples", "100000000",
                                           "--shape", shape, "--quiet", "--log-level", "error"]))
        }
        var peakRSS = 0
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            peakRSS = max(peakRSS, Self.memory(pid: server.processIdentifier).rss)
            Thread.sleep(forTimeInterval: 0.05)
        }
        let hwm = Self.memory(pid: server.processIdentifier).hwm
        for c in children { c.terminate() }
        server.interrupt()
        server.waitUntilExit()
        for c in children { c.waitUntilExit() }
        let peak = max(hwm, peakRSS)
        let ratio = Double(peak) / Double(bound)
        if json {
            let row: [String: Any] = ["capacity_bytes": bound, "peak_rss_bytes": peak, "idle_rss_bytes": baseline,
                                      "ratio": ratio, "policy": policy, "shape": shape, "publishers": publishers]
            print(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(String(format: "bound %@  peak RSS %@ (VmHWM)  idle RSS %@  ratio %.3f  (%@, %d publishers of %@ samples, %.0f s)",
                         ByteSize.format(bound), ByteSize.format(peak), ByteSize.format(baseline), ratio, policy,
                         publishers, shape, seconds))
        }
    }

    func spawn(_ executable: String, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// VmRSS and VmHWM of a process, in bytes, from /proc.
    static func memory(pid: Int32) -> (rss: Int, hwm: Int) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func value(_ key: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return (Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0) * 1024
        }
        return (value("VmRSS:"), value("VmHWM:"))
    }
}
