import Foundation
import Logging
import SluiceModel
import Transport
import Wire
import ZeroMQ

/// Streams a solver member's samples to a Sluice server under credit flow control.
///
/// A background thread owns the server connection: it says HELLO, keeps heartbeats going while the solver
/// computes, forwards samples only while it holds credit, and reconnects with back-off if the server goes away.
/// `publish` hands a sample to that thread over an in-process pipe (no copy of the payload) and blocks while the
/// server grants no credit (back-pressure). Use from one thread.
public final class SolverPublisher {
    public struct Configuration: Sendable {
        public var connection: ConnectionOptions
        public var study: String
        public var member: UInt64
        public var attempt: UInt32
        /// The largest payload (sum of field bytes) any sample of this member will have.
        public var sampleBytes: Int
        public var peerName: String
        public var capabilities: [String] = []

        public init(endpoint: String, study: String = "", member: UInt64, attempt: UInt32 = 0, sampleBytes: Int,
                    peerName: String? = nil) {
            self.connection = ConnectionOptions(endpoint: endpoint)
            self.study = study
            self.member = member
            self.attempt = attempt
            self.sampleBytes = sampleBytes
            self.peerName = peerName ?? "solver member \(member)"
        }
    }

    public let configuration: Configuration
    let context: Context
    let state = PumpState()
    let pipe: Socket
    let pipeEndpoint: String
    private var thread: Thread?
    private var finished = false

    /// Connects and waits for READY (up to `connectTimeout`); throws a clear error if the server does not answer
    /// or refuses.
    public init(_ configuration: Configuration, logger: Logger = Logger(label: "sluice.publisher")) throws {
        self.configuration = configuration
        context = try Context(ioThreads: 1)
        pipeEndpoint = "inproc://publisher-\(UUID().uuidString)"
        let pump = PublisherPump(context: context, state: state, pipeEndpoint: pipeEndpoint, configuration: configuration, logger: logger)
        let bound = PumpState()
        let thread = Thread { pump.run(boundSignal: bound) }
        thread.name = "sluice-publisher"
        thread.start()
        self.thread = thread
        // The pump binds the pipe first; wait for that so connect finds it.
        while !bound.stopRequested { Thread.sleep(forTimeInterval: 0.001) }
        pipe = try Socket(context, type: .pair)
        // Back-pressure: at most one sample waits in the pipe beyond what the pump holds.
        try pipe.setSendHighWaterMark(1)
        try pipe.setLinger(milliseconds: 0)
        // A blocked publish wakes at least this often to notice a failed connection.
        try pipe.setSendTimeout(milliseconds: 50)
        try pipe.connect(pipeEndpoint)
        try waitUntilReady(timeout: configuration.connection.connectTimeout)
    }

    deinit {
        state.requestStop()
        try? pipe.close()
    }

    private func waitUntilReady(timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            switch state.snapshot.phase {
            case .ready: return
            case .failed(let error): state.requestStop(); throw error
            case .stopped: throw ClientError(.closed, "the publisher stopped before READY")
            case .connecting: Thread.sleep(forTimeInterval: 0.002)
            }
        }
        state.requestStop()
        throw ClientError(.timedOut, "no READY from \(configuration.connection.endpoint) within \(timeout.seconds) s: is `sluice serve` running there?")
    }

    /// Steps of this member the server already holds (from READY): a relaunched member skips them.
    public var acceptedSteps: Set<UInt64> { Set(state.snapshot.acceptedSteps) }

    /// Samples sent so far, and errors the server reported, by code.
    public var sent: Int { state.snapshot.sent }
    public var errorCounts: [String: Int] { state.snapshot.errors }
    public var lastError: ErrorReport? { state.snapshot.lastError }

    /// Publishes one sample. Blocks while there is no credit. The payload frames are shared, not copied.
    public func publish(_ header: SampleHeader, payload: [Message]) throws {
        guard !finished else { throw ClientError(.closed, "publish after finish()") }
        let encoded: [UInt8]
        do { encoded = try header.encoded() } catch {
            throw ClientError(.failed, "sample member \(header.member) step \(header.step) is not valid: \(error)")
        }
        let frames = [try Message(bytes: Envelope.frame(.sample)), try Message(bytes: encoded)] + payload
        // Fast path: the pipe has room. Otherwise block on it (woken the moment the pump takes a sample), checking
        // every 50 ms whether the connection failed.
        if try pipe.send(multipart: frames, dontWait: true) { return }
        while true {
            if case .failed(let error) = state.snapshot.phase { throw error }
            if case .stopped = state.snapshot.phase { throw ClientError(.closed, "the publisher's connection stopped") }
            if try pipe.send(multipart: frames) { return }
        }
    }

    /// Publishes one sample whose fields are given as typed arrays (copied once into messages).
    public func publish(_ header: SampleHeader, fields: [[UInt8]]) throws {
        try publish(header, payload: try fields.map { try Message(bytes: $0) })
    }

    /// Says BYE ("done"), waits until every sample left (up to `timeout`), and stops the connection.
    public func finish(timeout: Duration = .seconds(30)) throws {
        guard !finished else { return }
        finished = true
        let deadline = ContinuousClock.now + timeout
        while try !pipe.send([0x46], dontWait: true) {  // "F": finish marker, not a protocol frame
            if ContinuousClock.now > deadline { break }
            if case .failed = state.snapshot.phase { break }
            Thread.sleep(forTimeInterval: 0.001)
        }
        while ContinuousClock.now < deadline {
            if case .stopped = state.snapshot.phase { break }
            if case .failed = state.snapshot.phase { break }
            Thread.sleep(forTimeInterval: 0.002)
        }
        state.requestStop()
        if case .failed(let error) = state.snapshot.phase { throw error }
    }
}

/// The publisher's background thread: owns the DEALER and the pipe's far end.
final class PublisherPump: Sendable {
    let context: Context
    let state: PumpState
    let pipeEndpoint: String
    let configuration: SolverPublisher.Configuration
    let logger: Logger

    init(context: Context, state: PumpState, pipeEndpoint: String, configuration: SolverPublisher.Configuration, logger: Logger) {
        self.context = context
        self.state = state
        self.pipeEndpoint = pipeEndpoint
        self.configuration = configuration
        self.logger = logger
    }

    func run(boundSignal: PumpState) {
        do {
            try loop(boundSignal: boundSignal)
        } catch let error as ClientError {
            state.update { $0.phase = .failed(error) }
        } catch {
            state.update { $0.phase = .failed(ClientError(.failed, "publisher connection to \(configuration.connection.endpoint) failed: \(error)")) }
        }
        boundSignal.requestStop()
    }

    private func loop(boundSignal: PumpState) throws {
        let pipe = try Socket(context, type: .pair)
        try pipe.setReceiveHighWaterMark(1)
        try pipe.setLinger(milliseconds: 0)
        try pipe.bind(pipeEndpoint)
        boundSignal.requestStop()
        let hello = Hello(role: .solver, peer: configuration.peerName, capabilities: configuration.capabilities,
                          study: configuration.study, member: configuration.member, attempt: configuration.attempt,
                          sampleBytes: configuration.sampleBytes)
        let connection = Connection(context: context, options: configuration.connection, hello: hello, logger: logger)
        try connection.open()
        var credit = 0
        var pending: [Message]?
        var finishing = false
        var byeSent = false
        var finishDeadline: ContinuousClock.Instant?
        defer {
            connection.close()
            try? pipe.close()
        }
        while !state.stopRequested {
            let poller = Poller()
            if let socket = connection.socket { try poller.register(socket) }
            // Take the next sample from the caller only when none is held: with the pipe's high-water marks the
            // caller is at most a few samples ahead, which is the back-pressure on the solver.
            let pipeIndex = (pending == nil && !finishing) ? try poller.register(pipe) : -1
            try poller.poll(timeoutMilliseconds: 50)
            while let message = try connection.receive() {
                switch message {
                case .ready(let ready):
                    credit = 0
                    state.update {
                        $0.phase = .ready
                        $0.ready = ready
                        $0.acceptedSteps = ready.acceptedSteps ?? []
                    }
                case .credit(let c):
                    credit += c.samples ?? 0
                case .error(let report):
                    state.update {
                        $0.errors[report.code, default: 0] += 1
                        $0.lastError = report
                    }
                    if report.fatal {
                        if report.code == "not-ready", configuration.connection.reconnect {
                            try connection.open()  // the server restarted: introduce ourselves again
                            credit = 0
                        } else {
                            throw ClientError(.refused, "server \(configuration.connection.endpoint) refused member \(configuration.member): \(report.code): \(report.message)", report: report)
                        }
                    }
                case .bye(let bye):
                    if byeSent { state.update { $0.phase = .stopped }; return }
                    logger.info("server said BYE (\(bye.reason)); will reconnect")
                    state.update { $0.serverShuttingDown = true }
                    credit = 0
                    if configuration.connection.reconnect {
                        state.update { $0.reconnects += 1 }
                        try connection.reconnect(stop: state)
                    }
                case .heartbeat, .status, .hello, .sample, .batch:
                    break
                }
            }
            _ = pipeIndex
            // Forward as many samples as credit allows; hold at most one when out of credit.
            var forwarded = 0
            while !finishing {
                if pending == nil {
                    guard let frames = try pipe.receiveMultipart(dontWait: true) else { break }
                    if frames.count == 1, frames[0].count == 1 { finishing = true; break }
                    pending = frames
                }
                guard let frames = pending, credit > 0, connection.ready != nil, let socket = connection.socket else { break }
                try socket.send(multipart: frames)
                credit -= 1
                pending = nil
                forwarded += 1
            }
            if forwarded > 0 {
                let c = credit
                state.update { $0.sent += forwarded; $0.credit = c }
            }
            if finishing, pending == nil, !byeSent, connection.ready != nil {
                try connection.send(.bye(Bye(reason: "done")))
                byeSent = true
                finishDeadline = .now + .seconds(5)
            }
            if let deadline = finishDeadline, ContinuousClock.now > deadline {
                state.update { $0.phase = .stopped }
                return
            }
            if try connection.tick() {
                guard configuration.connection.reconnect else {
                    throw ClientError(.timedOut, "server \(configuration.connection.endpoint) went silent")
                }
                credit = 0
                state.update { $0.reconnects += 1 }
                try connection.reconnect(stop: state)
            }
        }
        state.update { $0.phase = .stopped }
    }
}

extension SolverPublisher: SampleSink {
    /// Publishes a snapshot whose field buffers belong to the caller: copied once into messages.
    public func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws {
        try publish(header, payload: try fields.map { try Message(copying: $0) })
    }

    public func finish() throws { try finish(timeout: .seconds(30)) }
}
