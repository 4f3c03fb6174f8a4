import Foundation
import Testing
import TestSupport

/// A `sluice serve` process on wildcard loopback ports, with helpers to start publishers and consumers as
/// separate processes.
final class SluiceCluster {
    let directory: TemporaryDirectory
    let server: ChildProcess
    let solver: String
    let consumer: String
    let control: String
    var children: [ChildProcess] = []

    init(_ extra: [String] = [], directory existing: TemporaryDirectory? = nil) throws {
        directory = try existing ?? TemporaryDirectory(prefix: "sluice-e2e")
        let endpointFile = directory.path("endpoints.json")
        server = try ChildProcess(sluiceBinary(), ["serve", "--solver-endpoint", "tcp://127.0.0.1:*",
                                                   "--consumer-endpoint", "tcp://127.0.0.1:*",
                                                   "--control-endpoint", "tcp://127.0.0.1:*",
                                                   "--endpoint-file", endpointFile, "--json"] + extra,
                                  name: "serve", directory: directory)
        guard let endpoints = try readJSON(endpointFile, waitSeconds: 20) as? [String: String],
              let s = endpoints["solver"], let c = endpoints["consumer"], let k = endpoints["control"] else {
            throw FrameFile.FormatError(description: "server wrote no endpoints:\n\(server.output)")
        }
        solver = s
        consumer = c
        control = k
    }

    /// Extra arguments every client gets (e.g. CURVE keys); keyed by role.
    var clientArguments: [String: [String]] = [:]

    @discardableResult
    func synth(member: Int, samples: Int, shape: String = "16x16", extra: [String] = []) throws -> ChildProcess {
        let p = try ChildProcess(sluiceBinary(), ["synth", "--server", solver, "--member", "\(member)",
                                                  "--samples", "\(samples)", "--shape", shape] + (clientArguments["solver"] ?? []) + extra,
                                 name: "synth-\(member)", directory: directory)
        children.append(p)
        return p
    }

    @discardableResult
    func consume(group: String, rank: Int = 0, worldSize: Int = 1, batchSize: Int = 8, idle: Double = 4,
                 extra: [String] = []) throws -> (ChildProcess, String) {
        let report = directory.path("report-\(group)-\(rank).json")
        let p = try ChildProcess(sluiceBinary(), ["consume", "--server", consumer, "--group", group, "--rank", "\(rank)",
                                                  "--world-size", "\(worldSize)", "--batch-size", "\(batchSize)",
                                                  "--verify", "--idle-timeout", "\(idle)", "--report", report] + (clientArguments["trainer"] ?? []) + extra,
                                 name: "consume-\(group)-\(rank)", directory: directory)
        children.append(p)
        return (p, report)
    }

    /// The server's status as JSON.
    func status() throws -> [String: Any] {
        let p = try ChildProcess(sluiceBinary(), ["status", "--endpoint", control, "--json"] + (clientArguments["admin"] ?? []),
                                 name: "status", directory: directory)
        guard p.wait(seconds: 20) == 0,
              let object = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any] else {
            throw FrameFile.FormatError(description: "sluice status failed:\n\(p.output)\n\(server.output)")
        }
        return object
    }

    /// Stops the server with SIGTERM and returns its final counters (printed as JSON).
    func stop() throws -> [String: Any] {
        server.signal(SIGTERM)
        let code = server.wait(seconds: 20)
        #expect(code == 0, "server exit status \(String(describing: code))\n\(server.output)")
        let text = server.stdout
        guard let start = text.firstIndex(of: "{"),
              let object = try JSONSerialization.jsonObject(with: Data(text[start...].utf8)) as? [String: Any] else {
            throw FrameFile.FormatError(description: "no final counters:\n\(server.output)")
        }
        return object
    }

    deinit {
        for c in children where c.isRunning { c.signal(SIGKILL) }
        if server.isRunning { server.signal(SIGKILL) }
        directory.remove()
    }
}

/// (member, step) pairs of a consumer report.
/// The digest of everything a consumer received (see `SampleDigest`).
func receivedDigest(_ reportPath: String) throws -> String {
    guard let report = try readJSON(reportPath) as? [String: Any], let digest = report["digest"] as? String else {
        throw FrameFile.FormatError(description: "report \(reportPath) has no digest")
    }
    return digest
}

func receivedPairs(_ reportPath: String) throws -> [[Int]] {
    guard let report = try readJSON(reportPath) as? [String: Any], let rows = report["received"] as? [[Int]] else {
        throw FrameFile.FormatError(description: "bad report \(reportPath)")
    }
    #expect((report["failures"] as? [String])?.isEmpty == true, "verification failures in \(reportPath): \(report["failures"] ?? "")")
    return rows.map { [$0[0], $0[1]] }
}

extension Dictionary where Key == String, Value == Any {
    func int(_ path: String) -> Int? {
        var node: Any? = self
        for part in path.split(separator: ".") { node = (node as? [String: Any])?[String(part)] }
        return (node as? Int) ?? (node as? NSNumber)?.intValue
    }
}
