import ArgumentParser
import Clients
import Foundation
import SluiceConfig
import Reservoir
import Server

/// `sluice status`: a running server's counters as a table, or JSON.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running server's counters: rates, reservoir fill, members, groups, rejections."
    )

    @Option(help: "The server's control endpoint.")
    var endpoint = "tcp://127.0.0.1:5557"

    @Flag(help: "Print the raw status as JSON.")
    var json = false

    @Option(help: "Refresh every this many seconds until Ctrl-C (0: once).")
    var watch: Double = 0

    @Option(help: "Seconds to wait for the reply.")
    var timeout: Double = 5

    @OptionGroup var curve: CurveOptions

    func run() throws {
        repeat {
            let body = try AdminClient.status(endpoint: endpoint, timeout: .milliseconds(Int(timeout * 1000)), curve: try curve.keys())
            if json {
                let object = try JSONSerialization.jsonObject(with: Data(body))
                let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: pretty, as: UTF8.self))
            } else {
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                let status = try decoder.decode(ServerStatus.self, from: Data(body))
                if watch > 0 { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                print(StatusTable.render(status))
            }
            if watch > 0 { Thread.sleep(forTimeInterval: watch) }
        } while watch > 0
    }
}

/// Renders a `ServerStatus` as aligned text.
enum StatusTable {
    static func render(_ s: ServerStatus) -> String {
        var lines: [String] = []
        func row(_ k: String, _ v: String) { lines.append(k.padding(toLength: 22, withPad: " ", startingAt: 0) + v) }
        let r = s.reservoir
        lines.append("sluice server '\(s.server.name)' \(s.server.version), up \(String(format: "%.0f", s.server.uptimeS)) s\(s.server.stopping ? " (stopping)" : "")")
        row("endpoints", "solvers \(s.server.solverEndpoint), trainers \(s.server.consumerEndpoint), control \(s.server.controlEndpoint)")
        row("security", s.server.security)
        row("sessions", "\(s.sessions.solvers) solvers, \(s.sessions.trainers) trainers, \(s.sessions.admins) admin")
        row("in", "\(s.totals.samplesIn) samples, \(ByteSize.format(s.totals.bytesIn)); \(String(format: "%.1f", s.rates.samplesInPerS)) samples/s, \(ByteSize.format(Int(s.rates.bytesInPerS)))/s")
        row("out", "\(s.totals.samplesOut) samples in \(s.totals.batchesOut) batches, \(ByteSize.format(s.totals.bytesOut)); \(String(format: "%.1f", s.rates.samplesOutPerS)) samples/s, \(ByteSize.format(Int(s.rates.bytesOutPerS)))/s")
        let fill = r.capacityBytes > 0 ? 100 * Double(r.bytes) / Double(r.capacityBytes) : 0
        row("reservoir", "\(r.policy) \(r.count) samples, \(ByteSize.format(r.bytes)) of \(ByteSize.format(r.capacityBytes)) (\(String(format: "%.1f", fill))%), peak \(ByteSize.format(r.peakBytes))")
        row("", "watermark \(ByteSize.format(r.watermarkBytes)) \(r.watermarkReached ? "reached" : "not reached"); served \(r.served), evicted \(r.evicted), consumed \(r.consumed), discarded \(r.discarded)")
        let reuse = r.serveCounts.buckets.enumerated().filter { $0.element > 0 }.prefix(8).map { "\($0.offset)x:\($0.element)" }.joined(separator: " ")
        row("serve counts", reuse.isEmpty ? "-" : reuse)
        row("credit", "\(s.credit.outstandingSamples) samples outstanding, \(ByteSize.format(s.credit.reservedBytes)) reserved")
        row("rejected", s.totals.rejected.isEmpty ? "none" : s.totals.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if !s.groups.isEmpty {
            lines.append("groups:")
            for g in s.groups {
                lines.append("  \(g.name): world \(g.worldSize), \(g.trainers) connected, \(g.batches) batches, \(g.samples) samples (\(g.distinctSamples) distinct)")
            }
        }
        if !s.members.isEmpty {
            let done = s.members.filter(\.done).count
            lines.append("members: \(s.members.count) seen, \(done) done, \(s.members.filter(\.connected).count) connected")
            for m in s.members.prefix(20) {
                lines.append("  member \(m.member) attempt \(m.attempt): \(m.accepted) accepted, last step \(m.lastStep.map(String.init) ?? "-")\(m.done ? ", done" : "")\(m.connected ? ", connected" : "")")
            }
            if s.members.count > 20 { lines.append("  ... \(s.members.count - 20) more (use --json)") }
        }
        return lines.joined(separator: "\n")
    }
}
