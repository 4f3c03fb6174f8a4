import Clients
import Foundation
import Server
import Synchronization
import TestSupport

/// A `ReservoirServer` running on its own thread inside the test process, on wildcard loopback ports.
final class InProcessServer: Sendable {
    let stop = StopFlag()
    let endpoints: BoundEndpoints
    private let final = Locked<ServerStatus?>(nil)
    private let failure = Locked<String?>(nil)

    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var c = ServerConfiguration()
        c.solverEndpoint = "tcp://127.0.0.1:*"
        c.consumerEndpoint = "tcp://127.0.0.1:*"
        c.controlEndpoint = "tcp://127.0.0.1:*"
        c.partialBatchAfterMs = 200
        configure(&c)
        let configuration = c
        let bound = Locked<BoundEndpoints?>(nil)
        let stop = self.stop
        let final = self.final
        let failure = self.failure
        let thread = Thread {
            do {
                let server = try ReservoirServer(configuration: configuration)
                bound.withLock { $0 = try? server.bind() }
                let status = try server.run(until: stop)
                final.withLock { $0 = status }
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
        }
        thread.start()
        _ = waitUntil(seconds: 10) { bound.withLock { $0 != nil } || failure.withLock { $0 != nil } }
        guard let e = bound.withLock({ $0 }) else {
            throw FrameFile.FormatError(description: "server did not start: \(failure.withLock { $0 } ?? "timeout")")
        }
        endpoints = e
    }

    /// The live counters, through the control endpoint.
    func status() throws -> ServerStatus {
        let body = try AdminClient.status(endpoint: endpoints.control)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ServerStatus.self, from: Data(body))
    }

    /// Stops the loop and returns the final counters.
    func shutdown() -> ServerStatus? {
        stop.request()
        _ = waitUntil(seconds: 10) { final.withLock { $0 != nil } }
        return final.withLock { $0 }
    }

    deinit { stop.request() }
}

/// Runs `body` on a background thread; `join()` waits for it and rethrows.
final class Background: Sendable {
    private let outcome = Locked<Result<Void, any Error>?>(nil)

    init(_ body: @escaping @Sendable () throws -> Void) {
        let outcome = self.outcome
        Thread {
            let result = Result { try body() }
            outcome.withLock { $0 = result }
        }.start()
    }

    var isDone: Bool { outcome.withLock { $0 != nil } }

    func join(seconds: Double = 60) throws {
        guard waitUntil(seconds: seconds, { isDone }) else { throw FrameFile.FormatError(description: "background work did not finish") }
        try outcome.value?.get()
    }
}

/// Publishes `steps` synthetic samples of member `member` on a background thread.
func publishInBackground(_ server: InProcessServer, member: UInt64, steps: Range<UInt64>, shape: [Int] = [32, 32],
                         attempt: UInt32 = 0) -> Background {
    let endpoint = server.endpoints.solver
    return Background {
        let publisher = try SolverPublisher(.init(endpoint: endpoint, member: member, attempt: attempt,
                                                  sampleBytes: shape.reduce(4, *)))
        for step in steps {
            try publisher.publish(SyntheticSample.header(member: member, attempt: attempt, step: step, shape: shape),
                                  payload: [try SyntheticSample.payload(member: member, step: step, shape: shape)])
        }
        try publisher.finish()
    }
}
