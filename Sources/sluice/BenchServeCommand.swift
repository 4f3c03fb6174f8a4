import ArgumentParser
import Clients
import Foundation
import Reservoir
import Server
import SluiceConfig
import SluiceModel

/// `sluice bench serve`: how long a trainer waits for each batch (p50/p99) and the bytes/s it receives, with
/// prefetch 1 and 4, from a reservoir already filled (so serving alone is measured).
struct BenchServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Batch latency (p50/p99) and GB/s for a trainer pulling batches over tcp loopback."
    )

    @Option(help: "Samples per batch.")
    var batchSize = 32

    @Option(help: "Sample shape (float32).")
    var shape = "64x64"

    @Option(help: "Samples put into the reservoir before measuring.")
    var fill = 1024

    @Option(help: "Batches measured per prefetch depth.")
    var batches = 2000

    @Option(help: "Comma-separated prefetch depths.")
    var prefetch = "1,4"

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    func run() throws {
        // The trainer's side of this process keeps batch buffers mapped, as `sluice consume` and `sluice train` do;
        // the server's batch frames come from its own pool either way.
        ReservoirServer.tuneTrainerProcessMemory()
        let dims = shape.split(separator: "x").compactMap { Int($0) }
        guard !dims.isEmpty, dims.allSatisfy({ $0 > 0 }) else { throw ValidationError("--shape '\(shape)' is not like 64x64") }
        let sampleBytes = dims.reduce(4, *)
        var c = ServerConfiguration()
        c.solverEndpoint = "tcp://127.0.0.1:*"
        c.consumerEndpoint = "tcp://127.0.0.1:*"
        c.controlEndpoint = "tcp://127.0.0.1:*"
        c.reservoir = ReservoirConfiguration(policy: .reservoir, capacityBytes: max(64 << 20, sampleBytes * fill * 2), seed: 3)
        let server = try BenchServer(configuration: c)
        defer { server.stop() }
        let publisher = try SolverPublisher(.init(endpoint: server.endpoints.solver, member: 0, sampleBytes: sampleBytes))
        for step in 0..<UInt64(fill) {
            try publisher.publish(SyntheticSample.header(member: 0, step: step, shape: dims),
                                  payload: [try SyntheticSample.payload(member: 0, step: step, shape: dims)])
        }
        try publisher.finish()
        while try server.samplesIn().samples < fill { Thread.sleep(forTimeInterval: 0.01) }

        var rows: [[String: Any]] = []
        for depth in prefetch.split(separator: ",").compactMap({ Int($0) }) {
            let trainer = try TrainerClient(.init(endpoint: server.endpoints.consumer, group: "bench-\(depth)",
                                                  batchSize: batchSize, prefetch: depth))
            for _ in 0..<50 { _ = try trainer.next(timeout: .seconds(10)) }  // warm-up
            var waits: [Double] = []
            waits.reserveCapacity(batches)
            var bytes = 0
            let start = ContinuousClock.now
            for _ in 0..<batches {
                let t0 = ContinuousClock.now
                guard let batch = try trainer.next(timeout: .seconds(10)) else { break }
                waits.append((ContinuousClock.now - t0).seconds * 1000)
                bytes += batch.frames.reduce(0) { $0 + $1.count }
            }
            let total = (ContinuousClock.now - start).seconds
            trainer.close()
            waits.sort()
            func pct(_ p: Double) -> Double { waits.isEmpty ? 0 : waits[min(waits.count - 1, Int(Double(waits.count) * p))] }
            let row: [String: Any] = ["prefetch": depth, "batch_size": batchSize, "sample_bytes": sampleBytes,
                                      "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": waits.last ?? 0,
                                      "gbps": Double(bytes) / total / 1e9, "batches_per_s": Double(waits.count) / total]
            rows.append(row)
            if !json {
                print(String(format: "prefetch %d: batch %d x %@  p50 %.3f ms  p99 %.3f ms  max %.2f ms  %.2f GB/s  %.0f batches/s",
                             depth, batchSize, shape, pct(0.5), pct(0.99), waits.last ?? 0, Double(bytes) / total / 1e9,
                             Double(waits.count) / total))
            }
        }
        if json { print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self)) }
    }
}
