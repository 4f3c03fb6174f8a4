import Foundation
import Logging
import SluiceModel
import Transport
import Wire
import ZeroMQ

/// Pulls batches from a Sluice server for one rank of a consumer group.
///
/// The connection keeps `prefetch` batch requests in flight, asking for one more each time the caller takes a
/// batch; a housekeeping thread answers heartbeats and reconnects while the caller trains. `next` returns batches
/// in arrival order (callable from any thread); `batches` is the same as an `AsyncSequence`.
public final class TrainerClient: Sendable {
    public struct Configuration: Sendable {
        public var connection: ConnectionOptions
        public var group: String
        public var rank: Int
        public var worldSize: Int
        public var batchSize: Int
        public var prefetch: Int
        public var peerName: String

        public init(endpoint: String, group: String = "default", rank: Int = 0, worldSize: Int = 1,
                    batchSize: Int, prefetch: Int = 2, peerName: String? = nil) {
            self.connection = ConnectionOptions(endpoint: endpoint)
            self.group = group
            self.rank = rank
            self.worldSize = worldSize
            self.batchSize = batchSize
            self.prefetch = prefetch
            self.peerName = peerName ?? "trainer \(group)/\(rank)"
        }
    }

    public let configuration: Configuration
    let context: Context
    let core: ClientCore

    /// Connects and waits for READY (up to `connectTimeout`).
    public init(_ configuration: Configuration, logger: Logger = Logger(label: "sluice.trainer")) throws {
        guard configuration.prefetch >= 1, configuration.batchSize >= 1 else {
            throw ClientError(.failed, "prefetch (\(configuration.prefetch)) and batch size (\(configuration.batchSize)) must be at least 1")
        }
        self.configuration = configuration
        context = try Context(ioThreads: 1)
        let c = configuration
        let hello = Hello(role: .trainer, peer: c.peerName, capabilities: ["ragged-batch"], group: c.group, rank: c.rank,
                          worldSize: c.worldSize, batchSize: c.batchSize)
        core = try ClientCore(context: context, options: c.connection, hello: hello, role: .trainer,
                              prefetch: c.prefetch, logger: logger)
        try core.waitUntilReady(timeout: c.connection.connectTimeout, what: "group '\(c.group)' rank \(c.rank)")
    }

    deinit { close() }

    /// The next batch, waiting at most `timeout` (nil: forever). Throws `.timedOut` naming the endpoint, and
    /// `.refused` or `.closed` if the connection failed. Returns nil once the client is closed.
    public func next(timeout: Duration? = .seconds(60)) throws -> Batch? {
        do {
            return try core.nextBatch(timeout: timeout)
        } catch let error as ClientError where error.kind == .timedOut {
            let c = configuration
            throw ClientError(.timedOut, "no batch from \(c.connection.endpoint) within \(timeout?.seconds ?? 0) s (group '\(c.group)', rank \(c.rank), batch size \(c.batchSize))")
        }
    }

    /// Says BYE and closes the connection.
    public func close() { core.close() }

    /// Reconnections so far and errors the server reported, by code.
    public var reconnects: Int { core.snapshot.reconnects }
    public var errorCounts: [String: Int] { core.snapshot.errors }

    /// The batches as an async sequence; each `next()` waits on a background queue without blocking the caller's
    /// executor.
    public var batches: Batches { Batches(client: self) }

    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = Batch
        let client: TrainerClient
        public struct AsyncIterator: AsyncIteratorProtocol {
            let client: TrainerClient
            public mutating func next() async throws -> Batch? {
                let client = self.client
                return try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        do { continuation.resume(returning: try client.next(timeout: nil)) } catch { continuation.resume(throwing: error) }
                    }
                }
            }
        }
        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(client: client) }
    }
}
