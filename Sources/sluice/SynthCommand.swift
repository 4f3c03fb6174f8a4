import ArgumentParser
import Clients
import Foundation
import Logging
import Server
import SluiceModel
import Wire

/// `sluice synth`: a synthetic solver member whose values encode member, step and position (tests, demo, bench).
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Stream synthetic samples (values encode member and step) as one solver member.",
        shouldDisplay: true
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The server's solver endpoint.")
    var server = "tcp://127.0.0.1:5555"

    @Option(help: "Member index.")
    var member: UInt64 = 0

    @Option(help: "Attempt number of this member.")
    var attempt: UInt32 = 0

    @Option(help: "Number of samples (steps 0..<N).")
    var samples = 100

    @Option(help: "Field shape, e.g. 64x64.")
    var shape = "64x64"

    @Option(help: "Pause between samples, in milliseconds.")
    var intervalMs: Double = 0

    @Option(help: "Put a NaN into the sample at this step (to exercise validation).")
    var nanAtStep: UInt64?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup var curve: CurveOptions

    @Option(help: "Seconds to wait for the server's READY.")
    var connectTimeout: Double = 10

    func parsedShape() throws -> [Int] {
        let dims = shape.split(separator: "x").map { Int($0) }
        guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) > 0 }) else { throw ValidationError("--shape '\(shape)' is not like 64x64") }
        return dims.compactMap { $0 }
    }

    func run() throws {
        global.bootstrapLogging()
        let dims = try parsedShape()
        let bytes = dims.reduce(4, *)
        var configuration = SolverPublisher.Configuration(endpoint: server, study: "synthetic", member: member, attempt: attempt,
                                                          sampleBytes: bytes, peerName: "synth member \(member)")
        configuration.connection.curve = try curve.keys()
        configuration.connection.connectTimeout = .milliseconds(Int(connectTimeout * 1000))
        let publisher = try SolverPublisher(configuration)
        let skip = publisher.acceptedSteps
        let start = ContinuousClock.now
        var sent = 0
        for step in 0..<UInt64(samples) where !skip.contains(step) {
            let payload = try SyntheticSample.payload(member: member, step: step, shape: dims, poison: step == nanAtStep)
            let header = SyntheticSample.header(member: member, attempt: attempt, step: step, shape: dims,
                                                final: step == UInt64(samples) - 1)
            try publisher.publish(header, payload: [payload])
            sent += 1
            if intervalMs > 0 { Thread.sleep(forTimeInterval: intervalMs / 1000) }
        }
        try publisher.finish()
        let seconds = (ContinuousClock.now - start).seconds
        if !quiet {
            let errors = publisher.errorCounts.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("member \(member): sent \(sent) samples (\(skip.count) already accepted) in \(String(format: "%.2f", seconds)) s\(errors.isEmpty ? "" : "; server errors: \(errors)")")
        }
    }
}

/// `sluice consume`: a checking consumer: pulls batches, verifies synthetic values, reports what it received.
struct ConsumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Pull batches as one trainer rank, verify synthetic values, and report what was received."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The server's consumer endpoint.")
    var server = "tcp://127.0.0.1:5556"

    @Option(help: "Consumer group.")
    var group = "default"

    @Option(help: "Rank in the group.")
    var rank = 0

    @Option(help: "Ranks in the group.")
    var worldSize = 1

    @Option(help: "Samples per batch.")
    var batchSize = 32

    @Option(help: "Batch requests kept in flight.")
    var prefetch = 2

    @Option(help: "Stop after this many samples (0: until idle).")
    var samples = 0

    @Option(help: "Stop when no batch arrives for this many seconds.")
    var idleTimeout: Double = 10

    @Flag(help: "Check every element of every batch against the synthetic pattern.")
    var verify = false

    @Option(help: "Write a JSON report (received member/step pairs, errors) to this file.")
    var report: String?

    @OptionGroup var curve: CurveOptions

    func run() throws {
        global.bootstrapLogging()
        ReservoirServer.tuneTrainerProcessMemory()
        var configuration = TrainerClient.Configuration(endpoint: server, group: group, rank: rank, worldSize: worldSize,
                                                        batchSize: batchSize, prefetch: prefetch)
        configuration.connection.curve = try curve.keys()
        let client = try TrainerClient(configuration)
        var received: [[UInt64]] = []
        var failures: [String] = []
        var digest = SampleDigest()
        var batches = 0
        let start = ContinuousClock.now
        let interrupted = LockedValue(false)
        let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in interrupted.set(true) }
        defer { watcher.cancel() }
        var idleSince = ContinuousClock.now
        while (samples == 0 || received.count < samples) && !interrupted.value {
            let batch: Batch?
            do {
                batch = try client.next(timeout: .milliseconds(250))
            } catch let error as ClientError where error.kind == .timedOut {
                if (ContinuousClock.now - idleSince).seconds >= idleTimeout { break }
                continue
            }
            guard let batch else { break }
            idleSince = ContinuousClock.now
            batches += 1
            if verify, let problem = try SyntheticSample.verify(batch) { failures.append(problem) }
            digest.add(batch)
            for e in batch.entries { received.append([e.member, e.step, e.sampleID, UInt64(e.serveCount)]) }
        }
        client.close()
        let seconds = (ContinuousClock.now - start).seconds
        print("group \(group) rank \(rank): \(received.count) samples in \(batches) batches, \(failures.count) verification failures, \(String(format: "%.2f", seconds)) s")
        if let report {
            let object: [String: Any] = ["group": group, "rank": rank, "batches": batches, "received": received,
                                         "failures": failures, "digest": String(digest.value, radix: 16)]
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: report))
        }
        if !failures.isEmpty {
            for f in failures.prefix(5) { print("verification failure: \(f)") }
            throw ExitCode(1)
        }
    }
}

/// FNV-1a over every received sample's metadata and field bytes, in arrival order and independent of how samples
/// were grouped into batches: two runs that delivered the same bytes in the same order have the same digest.
struct SampleDigest {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    private mutating func mix(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            value ^= UInt64(b)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    mutating func add(_ batch: Batch) {
        for (i, entry) in batch.entries.enumerated() {
            withUnsafeBytes(of: entry.member.littleEndian) { mix($0) }
            withUnsafeBytes(of: entry.step.littleEndian) { mix($0) }
            for (f, field) in batch.header.fields.enumerated() {
                let (offset, count) = Self.span(of: field, sample: i, dtypeSize: field.dtype.byteSize)
                batch.frames[f].withUnsafeBytes { raw in
                    guard offset + count <= raw.count else { return }
                    mix(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]))
                }
            }
        }
    }

    /// Byte offset and length of sample `i` in a batch field's frame.
    static func span(of field: BatchField, sample i: Int, dtypeSize: Int) -> (Int, Int) {
        switch field.shapes {
        case .uniform(let shape):
            let n = shape.reduce(1, *) * dtypeSize
            return (i * n, n)
        case .ragged(let list):
            let sizes = list.map { $0.reduce(1, *) * dtypeSize }
            return (sizes.prefix(i).reduce(0, +), sizes[i])
        }
    }
}
