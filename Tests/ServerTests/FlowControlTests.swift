import Clients
import Foundation
import Server
import SluiceModel
import Testing
import TestSupport

@Suite("server flow control and validation", .serialized)
struct FlowControlTests {
    @Test("credit stops when the reservoir is full and resumes when a trainer drains it; the bound holds")
    func backPressure() throws {
        let capacity = 64 * 1024  // 16 samples of 4 KiB
        let server = try InProcessServer { $0.reservoir.capacityBytes = capacity }
        let publishing = publishInBackground(server, member: 3, steps: 0..<100)
        Thread.sleep(forTimeInterval: 1.0)
        let stalled = try server.status()
        #expect(!publishing.isDone, "the publisher should be blocked by back-pressure")
        #expect(stalled.totals.samplesIn == 16, "accepted \(stalled.totals.samplesIn) samples into a 16-sample reservoir")
        #expect(stalled.reservoir.bytes + stalled.credit.reservedBytes <= capacity)
        #expect(stalled.reservoir.peakBytes <= capacity)

        let trainer = try TrainerClient(.init(endpoint: server.endpoints.consumer, group: "g", batchSize: 10, prefetch: 2))
        var steps: [UInt64] = []
        while steps.count < 100, let batch = try trainer.next(timeout: .seconds(10)) {
            #expect(try SyntheticSample.verify(batch) == nil)
            steps += batch.entries.map(\.step)
        }
        trainer.close()
        try publishing.join()
        #expect(steps == Array(0..<100), "FIFO must deliver steps in order")
        let final = try #require(server.shutdown())
        #expect(final.reservoir.peakBytes <= capacity)
        #expect(final.totals.samplesIn == 100 && final.totals.samplesOut == 100)
    }

    @Test("a relaunched member learns its accepted steps, and a duplicate step is refused and counted")
    func duplicatesRefused() throws {
        let server = try InProcessServer()
        try publishInBackground(server, member: 5, steps: 0..<10).join()
        let relaunch = try SolverPublisher(.init(endpoint: server.endpoints.solver, member: 5, attempt: 1, sampleBytes: 4096))
        #expect(relaunch.acceptedSteps == Set(0..<10))
        let shape = [32, 32]
        for step: UInt64 in [3, 10] {
            try relaunch.publish(SyntheticSample.header(member: 5, attempt: 1, step: step, shape: shape),
                                 payload: [try SyntheticSample.payload(member: 5, step: step, shape: shape)])
        }
        #expect(waitUntil { relaunch.errorCounts["duplicate"] == 1 })
        try relaunch.finish()
        let status = try server.status()
        #expect(status.totals.samplesIn == 11)
        #expect(status.totals.rejected["duplicate"] == 1)
        #expect(status.members.first { $0.member == 5 }?.attempt == 1)
        #expect(status.members.first { $0.member == 5 }?.accepted == 11)
        _ = server.shutdown()
    }

    @Test("NaN is refused under the reject policy and flagged under the flag policy", arguments: [NonFinitePolicy.reject, .flag])
    func nonFinite(policy: NonFinitePolicy) throws {
        let server = try InProcessServer { $0.nonFinite = policy }
        let trainer = try TrainerClient(.init(endpoint: server.endpoints.consumer, group: "g", batchSize: 3, prefetch: 1))
        let publisher = try SolverPublisher(.init(endpoint: server.endpoints.solver, member: 1, sampleBytes: 64))
        for step: UInt64 in 0..<3 {
            try publisher.publish(SyntheticSample.header(member: 1, step: step, shape: [16]),
                                  payload: [try SyntheticSample.payload(member: 1, step: step, shape: [16], poison: step == 1)])
        }
        try publisher.finish()
        let batch = try #require(try trainer.next(timeout: .seconds(10)))
        trainer.close()
        let status = try server.status()
        switch policy {
        case .reject:
            #expect(batch.entries.map(\.step) == [0, 2])
            #expect(status.totals.rejected["non-finite"] == 1)
        default:
            #expect(batch.entries.map(\.step) == [0, 1, 2])
            #expect(batch.entries.map { $0.flags.contains(.nonFinite) } == [false, true, false])
            #expect(status.totals.flaggedNonFinite == 1)
        }
        _ = server.shutdown()
    }

    @Test("small samples travel several to a SAMPLES message, in order, each accepted or refused on its own")
    func coalescedSamples() throws {
        let server = try InProcessServer { $0.nonFinite = .reject }
        let trainer = try TrainerClient(.init(endpoint: server.endpoints.consumer, group: "g", batchSize: 50, prefetch: 2))
        var configuration = SolverPublisher.Configuration(endpoint: server.endpoints.solver, member: 9, sampleBytes: 64)
        configuration.coalesceMaxSamples = 32
        let publisher = try SolverPublisher(configuration)
        let shape = [16]  // 64 bytes: well under the coalescing threshold
        // Steps 0..<200 with step 17 sent twice and step 50 poisoned with NaN.
        for step: UInt64 in Array(0..<200) + [17] {
            try publisher.publish(SyntheticSample.header(member: 9, step: step, shape: shape),
                                  payload: [try SyntheticSample.payload(member: 9, step: step, shape: shape, poison: step == 50)])
        }
        try publisher.finish()
        #expect(publisher.sent == 201)
        #expect(publisher.messagesSent < 201 / 4, "\(publisher.messagesSent) messages for 201 small samples")
        var steps: [UInt64] = []
        while steps.count < 199, let batch = try trainer.next(timeout: .seconds(10)) {
            #expect(try SyntheticSample.verify(batch) == nil)
            steps += batch.entries.map(\.step)
        }
        trainer.close()
        #expect(steps == Array(0..<200).filter { $0 != 50 }, "FIFO must deliver every good step once, in order")
        let status = try #require(server.shutdown())
        #expect(status.totals.samplesIn == 199)
        #expect(status.totals.rejected["duplicate"] == 1)
        #expect(status.totals.rejected["non-finite"] == 1)
    }

    @Test("a sample published after a pause is not held back by coalescing")
    func lingerFlushes() throws {
        let server = try InProcessServer()
        let trainer = try TrainerClient(.init(endpoint: server.endpoints.consumer, group: "g", batchSize: 1, prefetch: 1))
        let publisher = try SolverPublisher(.init(endpoint: server.endpoints.solver, member: 4, sampleBytes: 64))
        try publisher.publish(SyntheticSample.header(member: 4, step: 7, shape: [16]),
                              payload: [try SyntheticSample.payload(member: 4, step: 7, shape: [16])])
        // No flush and no finish: the housekeeping thread sends it after the linger (5 ms).
        let batch = try #require(try trainer.next(timeout: .seconds(5)))
        #expect(batch.entries.map(\.step) == [7])
        #expect(publisher.messagesSent == 1)
        trainer.close()
        try publisher.finish()
        _ = server.shutdown()
    }

    @Test("a sample whose shape differs from its member's first is refused")
    func shapeMismatch() throws {
        let server = try InProcessServer()
        let publisher = try SolverPublisher(.init(endpoint: server.endpoints.solver, member: 2, sampleBytes: 4096))
        for (step, shape) in [(UInt64(0), [16, 16]), (1, [16, 8]), (2, [16, 16])] {
            try publisher.publish(SyntheticSample.header(member: 2, step: step, shape: shape),
                                  payload: [try SyntheticSample.payload(member: 2, step: step, shape: shape)])
        }
        try publisher.finish()
        #expect(waitUntil { (try? server.status().totals.rejected["shape-mismatch"]) == 1 })
        #expect(try server.status().totals.samplesIn == 2)
        _ = server.shutdown()
    }

    @Test("a peer that goes silent loses its session after three heartbeat intervals")
    func silentPeerDropped() throws {
        let server = try InProcessServer { $0.heartbeatMs = 50 }
        let context = try ZeroMQContextForTests.make()
        let raw = try RawPeer(context: context, endpoint: server.endpoints.consumer)
        try raw.hello(.init(role: .trainer, peer: "mute", group: "g", batchSize: 1))
        #expect(waitUntil { (try? server.status().sessions.trainers) == 1 })
        // It never answers heartbeats: gone after 3 x 50 ms (allow scheduling slack).
        #expect(waitUntil(seconds: 5) { (try? server.status().sessions.trainers) == 0 })
        #expect(try server.status().totals.rejected["peer-lost"] == 1)
        _ = server.shutdown()
    }

    @Test("configuration errors name the setting and the value")
    func configurationValidation() {
        var c = ServerConfiguration()
        c.reservoir.watermarkBytes = c.reservoir.capacityBytes + 1
        #expect(throws: (any Error).self) { try c.validate() }
        c = ServerConfiguration()
        c.solverEndpoint = "http://x"
        #expect { try c.validate() } throws: { "\($0)".contains("solver_endpoint 'http://x'") }
        c = ServerConfiguration()
        c.heartbeatMs = 1
        #expect { try c.validate() } throws: { "\($0)".contains("heartbeat_ms 1") }
    }
}
