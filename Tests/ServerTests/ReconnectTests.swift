import Clients
import Foundation
import Server
import SluiceModel
import Testing
import TestSupport

@Suite("client reconnection", .serialized)
struct ReconnectTests {
    @Test("a publisher and a trainer reconnect with back-off when the server restarts on the same endpoints")
    func reconnectAfterServerRestart() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-reconnect")
        defer { directory.remove() }
        let configure: (inout ServerConfiguration) -> Void = {
            $0.solverEndpoint = "ipc://\(directory.path("solver.ipc"))"
            $0.consumerEndpoint = "ipc://\(directory.path("consumer.ipc"))"
            $0.controlEndpoint = "ipc://\(directory.path("control.ipc"))"
            $0.heartbeatMs = 100
        }
        var first: InProcessServer? = try InProcessServer(configure)
        let endpoints = try #require(first?.endpoints)
        let publisher = try SolverPublisher(.init(endpoint: endpoints.solver, member: 4, sampleBytes: 1024))
        let trainer = try TrainerClient(.init(endpoint: endpoints.consumer, group: "g", batchSize: 5, prefetch: 1))
        let shape = [256]
        func publish(_ steps: Range<UInt64>) throws {
            for step in steps {
                try publisher.publish(SyntheticSample.header(member: 4, step: step, shape: shape),
                                      payload: [try SyntheticSample.payload(member: 4, step: step, shape: shape)])
            }
        }
        try publish(0..<5)
        let before = try #require(try trainer.next(timeout: .seconds(10)))
        #expect(before.entries.map(\.step) == [0, 1, 2, 3, 4])
        #expect(first?.shutdown()?.totals.samplesIn == 5)
        first = nil

        let second = try InProcessServer(configure)
        try publish(5..<10)  // blocks until the publisher is back and has credit
        let after = try #require(try trainer.next(timeout: .seconds(20)))
        #expect(after.entries.map(\.step) == [5, 6, 7, 8, 9])
        #expect(try SyntheticSample.verify(after) == nil)
        #expect(publisher.reconnects >= 1)
        #expect(trainer.reconnects >= 1)
        try publisher.finish()
        trainer.close()
        #expect(second.shutdown()?.totals.samplesIn == 5)
    }
}
