import Foundation
import Logging
import SluiceModel
import Transport
import Wire
import ZeroMQ

/// Pulls batches from a Sluice server for one rank of a consumer group.
///
/// A background thread owns the connection: HELLO, heartbeats, reconnect, and credit: it keeps `prefetch` batch
/// requests in flight, asking for one more each time the caller takes a batch. `next` returns batches in arrival
/// order; `batches` is the same as an `AsyncSequence`.
public final class TrainerClient: @unchecked Sendable {
    // @unchecked: the caller-side pipe socket is only touched under `receiveLock`, so calls from any thread
    // (including the async sequence's) are serialised; the pump thread owns everything else.
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
    let state = PumpState()
    private let pipe: Socket
    private let receiveLock = NSLock()
    private var closed = false

    /// Connects and waits for READY (up to `connectTimeout`).
    public init(_ configuration: Configuration, logger: Logger = Logger(label: "sluice.trainer")) throws {
        guard configuration.prefetch >= 1, configuration.batchSize >= 1 else {
            throw ClientError(.failed, "prefetch (\(configuration.prefetch)) and batch size (\(configuration.batchSize)) must be at least 1")
        }
        self.configuration = configuration
        context = try Context(ioThreads: 1)
        let endpoint = "inproc://trainer-\(UUID().uuidString)"
        pipe = try Socket(context, type: .pair)
        try pipe.setLinger(milliseconds: 0)
        try pipe.bind(endpoint)
        let pump = TrainerPump(context: context, state: state, pipeEndpoint: endpoint, configuration: configuration, logger: logger)
        let thread = Thread { pump.run() }
        thread.name = "sluice-trainer"
        thread.start()
        let deadline = ContinuousClock.now + configuration.connection.connectTimeout
        while true {
            switch state.snapshot.phase {
            case .ready: return
            case .failed(let error): state.requestStop(); throw error
            case .stopped: throw ClientError(.closed, "the trainer client stopped before READY")
            case .connecting:
                if ContinuousClock.now > deadline {
                    state.requestStop()
                    throw ClientError(.timedOut, "no READY from \(configuration.connection.endpoint) within \(configuration.connection.connectTimeout.seconds) s for group '\(configuration.group)' rank \(configuration.rank): is `sluice serve` running there?")
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
    }

    deinit { close() }

    /// The next batch, waiting at most `timeout` (nil: forever). Throws `.timedOut` naming the endpoint, and
    /// `.refused` or `.closed` if the connection failed. Returns nil once the client is closed.
    public func next(timeout: Duration? = .seconds(60)) throws -> Batch? {
        receiveLock.lock()
        defer { receiveLock.unlock() }
        guard !closed else { return nil }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            if let frames = try pipe.receiveMultipart(dontWait: true) {
                // Tell the pump this batch was taken, so it asks the server for one more.
                try pipe.send([0x43], dontWait: true)
                let message = try WireCodec().decode(frames)
                guard case .batch(let header, let payload) = message else { continue }
                return Batch(header: header, frames: payload)
            }
            if case .failed(let error) = state.snapshot.phase { throw error }
            if let deadline, ContinuousClock.now >= deadline {
                throw ClientError(.timedOut, "no batch from \(configuration.connection.endpoint) within \(timeout?.seconds ?? 0) s (group '\(configuration.group)', rank \(configuration.rank), batch size \(configuration.batchSize))")
            }
            try pipe.setReceiveTimeout(milliseconds: 20)
            if let first = try pipe.receiveMultipart() {
                try pipe.send([0x43], dontWait: true)
                let message = try WireCodec().decode(first)
                guard case .batch(let header, let payload) = message else { continue }
                return Batch(header: header, frames: payload)
            }
        }
    }

    /// Says BYE and stops the background thread.
    public func close() {
        receiveLock.lock()
        defer { receiveLock.unlock() }
        guard !closed else { return }
        closed = true
        state.requestStop()
        Thread.sleep(forTimeInterval: 0.06)
        try? pipe.close()
    }

    /// Reconnections so far and errors the server reported, by code.
    public var reconnects: Int { state.snapshot.reconnects }
    public var errorCounts: [String: Int] { state.snapshot.errors }

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

/// The trainer's background thread.
final class TrainerPump: Sendable {
    let context: Context
    let state: PumpState
    let pipeEndpoint: String
    let configuration: TrainerClient.Configuration
    let logger: Logger

    init(context: Context, state: PumpState, pipeEndpoint: String, configuration: TrainerClient.Configuration, logger: Logger) {
        self.context = context
        self.state = state
        self.pipeEndpoint = pipeEndpoint
        self.configuration = configuration
        self.logger = logger
    }

    func run() {
        do {
            try loop()
            state.update { $0.phase = .stopped }
        } catch let error as ClientError {
            state.update { $0.phase = .failed(error) }
        } catch {
            state.update { $0.phase = .failed(ClientError(.failed, "trainer connection to \(configuration.connection.endpoint) failed: \(error)")) }
        }
    }

    private func loop() throws {
        let pipe = try Socket(context, type: .pair)
        try pipe.setLinger(milliseconds: 0)
        try pipe.connect(pipeEndpoint)
        let c = configuration
        let hello = Hello(role: .trainer, peer: c.peerName, capabilities: ["ragged-batch"], group: c.group, rank: c.rank,
                          worldSize: c.worldSize, batchSize: c.batchSize)
        let connection = Connection(context: context, options: c.connection, hello: hello, logger: logger)
        try connection.open()
        defer {
            _ = try? connection.send(.bye(Bye(reason: "closed")))
            connection.close()
            try? pipe.close()
        }
        while !state.stopRequested {
            let poller = Poller()
            if let socket = connection.socket { try poller.register(socket) }
            let pipeIndex = try poller.register(pipe)
            try poller.poll(timeoutMilliseconds: 50)
            while let message = try connection.receive() {
                switch message {
                case .ready(let ready):
                    state.update { $0.phase = .ready; $0.ready = ready }
                    try connection.send(.credit(Credit(batches: c.prefetch)))
                case .batch(let header, let payload):
                    // Forward to the caller as a wire message, frames shared.
                    guard let socket = Optional(pipe) else { break }
                    try socket.sendBatch(header, payload: payload)
                case .error(let report):
                    state.update { $0.errors[report.code, default: 0] += 1; $0.lastError = report }
                    if report.fatal {
                        if report.code == "not-ready", c.connection.reconnect {
                            try connection.open()
                        } else {
                            throw ClientError(.refused, "server \(c.connection.endpoint) refused trainer '\(c.group)' rank \(c.rank): \(report.code): \(report.message)", report: report)
                        }
                    }
                case .bye(let bye):
                    logger.info("server said BYE (\(bye.reason))")
                    state.update { $0.serverShuttingDown = true }
                    if c.connection.reconnect {
                        state.update { $0.reconnects += 1 }
                        try connection.reconnect(stop: state)
                    }
                case .heartbeat, .credit, .status, .hello, .sample:
                    break
                }
            }
            if poller.events(at: pipeIndex).contains(.readable) {
                var taken = 0
                while try pipe.receive(dontWait: true) != nil { taken += 1 }
                if taken > 0, connection.ready != nil { try connection.send(.credit(Credit(batches: taken))) }
            }
            if try connection.tick() {
                guard c.connection.reconnect else { throw ClientError(.timedOut, "server \(c.connection.endpoint) went silent") }
                state.update { $0.reconnects += 1 }
                try connection.reconnect(stop: state)
            }
        }
    }
}
