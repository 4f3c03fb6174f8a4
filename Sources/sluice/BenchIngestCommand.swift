import ArgumentParser
import Clients
import Foundation
import Reservoir
import Server
import SluiceConfig
import SluiceModel
import Transport
import ZeroMQ

/// `sluice bench ingest`: samples/s and GB/s from publishers into the reservoir, beside raw libzmq PUSH/PULL moving
/// the same bytes over the same loopback in the same run.
struct BenchIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest throughput into the reservoir beside raw libzmq PUSH/PULL (tcp loopback, zero-copy sends)."
    )

    @Option(help: "Comma-separated sample payload sizes.")
    var sizes = "4KiB,64KiB,1MiB,8MiB"

    @Option(help: "Seconds to measure each case.")
    var seconds: Double = 2

    @Option(help: "Publisher threads (one member each).")
    var publishers = 1

    @Option(help: "NaN/Inf scan at ingest: reject (scans every float), flag, ignore (no scan).")
    var nonFinite: NonFinitePolicy = .reject

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    @Flag(help: "CURVE on both sides (the baseline too): authenticated, encrypted connections.")
    var curve = false

    @Flag(help: "Never coalesce small samples into SAMPLES messages (by default sizes up to 16 KiB are measured both ways).")
    var noCoalesce = false

    func run() throws {
        var rows: [[String: Any]] = []
        for text in sizes.split(separator: ",") {
            guard let bytes = ByteSize.parse(String(text)), bytes >= 4 else { throw ValidationError("bad size '\(text)'") }
            let raw = try RawZMQBaseline.pushPull(messageBytes: bytes, seconds: seconds, curve: curve)
            // Samples up to the publisher's threshold are coalesced; measure them one per message too.
            let modes = bytes <= SolverPublisher.Configuration(endpoint: "", member: 0, sampleBytes: 0).coalesceSampleBytes
                ? (noCoalesce ? [false] : [false, true]) : [false]
            for coalesce in modes {
                let sluice = try measureSluice(sampleBytes: bytes, coalesce: coalesce)
                let row: [String: Any] = [
                    "sample_bytes": bytes, "samples_per_s": sluice.samplesPerS, "sluice_gbps": sluice.gbps,
                    "raw_zmq_gbps": raw.gbps, "raw_zmq_messages_per_s": raw.messagesPerS,
                    "ratio": raw.gbps > 0 ? sluice.gbps / raw.gbps : 0, "publishers": publishers,
                    "non_finite": nonFinite.rawValue, "curve": curve, "coalesced": coalesce,
                ]
                rows.append(row)
                if !json {
                    print(String(format: "%9@ %-9@ sluice %10.0f samples/s %6.2f GB/s   raw libzmq %6.2f GB/s (%8.0f msg/s)   ratio %.2f",
                                 ByteSize.format(bytes), coalesce ? "SAMPLES" : "SAMPLE", sluice.samplesPerS, sluice.gbps,
                                 raw.gbps, raw.messagesPerS, raw.gbps > 0 ? sluice.gbps / raw.gbps : 0))
                }
            }
        }
        if json { print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self)) }
    }

    /// Runs a server (uniform policy: it never back-pressures, so ingest alone is measured) and `publishers`
    /// threads streaming one shared payload frame with increasing steps; the rate is read from the server's own
    /// counters over the measurement window.
    func measureSluice(sampleBytes: Int, coalesce: Bool) throws -> (samplesPerS: Double, gbps: Double) {
        var c = ServerConfiguration()
        c.solverEndpoint = "tcp://127.0.0.1:*"
        c.consumerEndpoint = "tcp://127.0.0.1:*"
        c.controlEndpoint = "tcp://127.0.0.1:*"
        c.reservoir = ReservoirConfiguration(policy: .uniform, capacityBytes: max(256 << 20, sampleBytes * 64), seed: 1)
        c.nonFinite = nonFinite
        var clientKeys: CurveClientKeys?
        var keyDirectory: String?
        if curve {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-keys-\(getpid())").path
            let keys = KeyDirectory(dir)
            for p in 0..<publishers { try keys.generate(name: "bench-\(p)", role: "solver") }
            try keys.generate(name: "bench-admin", role: "admin")
            c.curveDirectory = dir
            keyDirectory = dir
            clientKeys = CurveClientKeys(serverPublicKey: try CurveKeyFile.readPublic(keys.serverPublicKeyPath),
                                         keys: try CurveKeyFile.readSecret("\(dir)/bench-admin.key"))
        }
        defer { if let keyDirectory { try? FileManager.default.removeItem(atPath: keyDirectory) } }
        let harness = try BenchServer(configuration: c, adminKeys: clientKeys)
        let (directory, admin) = (keyDirectory, clientKeys)
        defer { harness.stop() }
        let stop = StopFlag()
        let elements = sampleBytes / 4
        let threads = (0..<publishers).map { p in
            BenchThread {
                var configuration = SolverPublisher.Configuration(endpoint: harness.endpoints.solver, member: UInt64(p),
                                                                  sampleBytes: elements * 4)
                if !coalesce { configuration.coalesceSampleBytes = 0 }
                if let dir = directory, let admin {
                    configuration.connection.curve = CurveClientKeys(serverPublicKey: admin.serverPublicKey,
                                                                     keys: try CurveKeyFile.readSecret("\(dir)/bench-\(p).key"))
                }
                let publisher = try SolverPublisher(configuration)
                let payload = try SyntheticSample.payload(member: UInt64(p), step: 0, shape: [elements])
                var step: UInt64 = 0
                while !stop.isRequested {
                    try publisher.publish(SyntheticSample.header(member: UInt64(p), step: step, shape: [elements]), payload: [payload])
                    step += 1
                }
                try publisher.finish(timeout: .seconds(5))
            }
        }
        Thread.sleep(forTimeInterval: min(1, seconds / 4))  // warm-up: connections, credit, page faults
        let start = try harness.samplesIn()
        Thread.sleep(forTimeInterval: seconds)
        let end = try harness.samplesIn()
        stop.request()
        for t in threads { try t.join() }
        let dt = end.at.timeIntervalSince(start.at)
        let samples = Double(end.samples - start.samples)
        return (samples / dt, samples * Double(elements * 4) / dt / 1e9)
    }
}

/// A reservoir server on its own thread, for benchmarks.
final class BenchServer: Sendable {
    let stopFlag = StopFlag()
    let endpoints: BoundEndpoints
    let adminKeys: CurveClientKeys?
    private let done = LockedValue(false)

    init(configuration: ServerConfiguration, adminKeys: CurveClientKeys? = nil) throws {
        self.adminKeys = adminKeys
        let bound = LockedValue<Result<BoundEndpoints, any Error>?>(nil)
        let stopFlag = self.stopFlag
        let done = self.done
        Thread {
            do {
                let server = try ReservoirServer(configuration: configuration)
                let e = try server.bind()
                bound.set(.success(e))
                _ = try server.run(until: stopFlag)
            } catch {
                bound.set(.failure(error))
            }
            done.set(true)
        }.start()
        while bound.value == nil { Thread.sleep(forTimeInterval: 0.005) }
        guard let result = bound.value else { throw ValidationError("server did not start") }
        endpoints = try result.get()
    }

    func samplesIn() throws -> (samples: Int, at: Date) {
        let object = try status()
        guard let totals = object["totals"] as? [String: Any], let n = totals["samples_in"] as? Int else {
            throw ValidationError("server status has no totals.samples_in")
        }
        return (n, Date())
    }

    func status() throws -> [String: Any] {
        let body = try AdminClient.status(endpoint: endpoints.control, curve: adminKeys)
        return (try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
    }

    func stop() {
        stopFlag.request()
        while !done.value { Thread.sleep(forTimeInterval: 0.005) }
    }
}

/// A value behind a lock, shareable with other threads.
final class LockedValue<T: Sendable>: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func set(_ value: T) { lock.withLock { stored = value } }
}

/// A thread running a throwing closure; `join` waits and rethrows.
final class BenchThread: Sendable {
    private let outcome = LockedValue<Result<Void, any Error>?>(nil)

    init(_ body: @escaping @Sendable () throws -> Void) {
        let outcome = self.outcome
        Thread {
            let result = Result { try body() }
            outcome.set(result)
        }.start()
    }

    func join() throws {
        while outcome.value == nil { Thread.sleep(forTimeInterval: 0.002) }
        try outcome.value?.get()
    }
}

/// Raw libzmq throughput: PUSH/PULL over tcp://127.0.0.1, one shared message sent zero-copy again and again.
enum RawZMQBaseline {
    static func pushPull(messageBytes: Int, seconds: Double, curve: Bool = false) throws -> (gbps: Double, messagesPerS: Double) {
        let context = try Context(ioThreads: 2)
        let pull = try Socket(context, type: .pull)
        try pull.setLinger(milliseconds: 0)
        let serverKeys = try CurveKeyPair.generate()
        if curve { try pull.makeCurveServer(serverKeys) }
        let endpoint = try pull.bind("tcp://127.0.0.1:*")
        let stop = StopFlag()
        let sender = BenchThread {
            let push = try Socket(context, type: .push)
            try push.setLinger(milliseconds: 0)
            if curve { try push.makeCurveClient(serverKey: serverKeys.publicKey, keys: try CurveKeyPair.generate()) }
            try push.connect(endpoint)
            let message = try Message(count: messageBytes)
            message.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 7) }
            while !stop.isRequested { try push.send(message) }
            try push.send([])  // end marker
        }
        try pull.setReceiveTimeout(milliseconds: 5000)
        let warmupEnd = Date().addingTimeInterval(min(1, seconds / 4))
        while Date() < warmupEnd { _ = try pull.receive() }
        var count = 0
        let start = Date()
        let end = start.addingTimeInterval(seconds)
        while Date() < end {
            guard let m = try pull.receive() else { break }
            if m.count == messageBytes { count += 1 }
        }
        let dt = Date().timeIntervalSince(start)
        stop.request()
        while let m = try pull.receive(), m.count != 0 {}
        try sender.join()
        return (Double(count) * Double(messageBytes) / dt / 1e9, Double(count) / dt)
    }
}
