import Foundation
import Logging
import SluiceModel
import Transport
import Wire
import ZeroMQ

/// The state both clients share: one server connection driven from two threads, the caller's (the hot path:
/// publish a sample, take a batch) and a housekeeping thread that answers heartbeats and reconnects while the
/// caller is busy elsewhere (a long solver step, a long training step).
///
/// A ZeroMQ socket may be used by several threads only one at a time, with a full memory barrier in between
/// (zguide ch. 2); the lock gives both. That keeps the data path free of thread hand-offs: a sample goes from the
/// caller's thread straight into the DEALER.
final class ClientCore: @unchecked Sendable {
    // @unchecked: every stored property below `lock` is read and written only while holding `lock`.
    enum Role { case solver, trainer }

    enum Phase: Equatable {
        case connecting
        case ready
        case failed(ClientError)
        case closed
    }

    private let lock = NSLock()
    private let connection: Connection
    private let role: Role
    private let prefetch: Int
    private let logger: Logger
    private var phase = Phase.connecting
    private var housekeeper: Thread?
    private var stopping = false

    // Solver state.
    private(set) var credit = 0
    private(set) var acceptedSteps: [UInt64] = []
    private(set) var sent = 0
    /// SAMPLE and SAMPLES messages sent (fewer than `sent` when small samples are coalesced).
    private(set) var sentMessages = 0
    private var byeAcknowledged = false
    /// Coalescing of small samples into SAMPLES messages (`Coalescing.off`: every sample is its own SAMPLE).
    private var coalescing = Coalescing.off
    /// Small samples waiting to go out together: each one's header frame and payload frames (no frame 0).
    private var pending: [(frames: [Message], bytes: Int)] = []
    private var pendingBytes = 0
    private var pendingFrames = 0
    private var pendingSince = ContinuousClock.now
    private var samplesFrame0: Message?
    private var sampleFrame0: Message?

    // Trainer state.
    private var batches: [Batch] = []
    private var batchHead = 0

    // Both.
    private(set) var errors: [String: Int] = [:]
    private(set) var lastError: ErrorReport?
    private(set) var reconnects = 0

    init(context: Context, options: ConnectionOptions, hello: Hello, role: Role, prefetch: Int = 0, logger: Logger) throws {
        connection = Connection(context: context, options: options, hello: hello, logger: logger)
        self.role = role
        self.prefetch = prefetch
        self.logger = logger
        try connection.open()
        let thread = Thread { [weak self] in
            while let core = self, core.housekeep() {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        thread.name = "sluice-client-housekeeping"
        housekeeper = thread
        thread.start()
    }

    /// One housekeeping round; false once the client is closed. Small samples that have waited `linger` go out
    /// here, so a solver that publishes one small sample and then computes for a long time does not hold it back.
    private func housekeep() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !stopping else { return false }
        service()
        if !pending.isEmpty, ContinuousClock.now - pendingSince >= coalescing.linger, case .ready = phase {
            _ = try? sendPending()
        }
        return true
    }

    /// How a solver coalesces small samples (PROTOCOL.md, SAMPLES).
    struct Coalescing: Sendable {
        /// Samples with at most this many payload bytes are coalesced; 0 turns coalescing off.
        var sampleBytes: Int
        /// A SAMPLES message is sent once its samples' payload reaches this many bytes...
        var messageBytes: Int
        /// ...or it holds this many samples...
        var maxSamples: Int
        /// ...or its oldest sample has waited this long.
        var linger: Duration

        static let off = Coalescing(sampleBytes: 0, messageBytes: 0, maxSamples: 1, linger: .zero)
    }

    func setCoalescing(_ c: Coalescing, sampleFrame0: Message, samplesFrame0: Message) {
        withLock {
            coalescing = c
            self.sampleFrame0 = sampleFrame0
            self.samplesFrame0 = samplesFrame0
        }
    }

    var endpoint: String { connection.options.endpoint }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Driving the connection (call with the lock held)

    /// Handles whatever arrived, heartbeats, and reconnection. Errors become `.failed`.
    private func service() {
        do {
            if try connection.reconnectIfDue() {
                reconnects += 1
                credit = 0
            }
            while let message = try connection.receive() { try handle(message) }
            if try connection.tick() {
                guard connection.options.reconnect else {
                    throw ClientError(.timedOut, "server \(endpoint) went silent")
                }
                credit = 0
                connection.lost("server \(endpoint) went silent")
            }
        } catch let error as ClientError {
            phase = .failed(error)
        } catch let error as ZMQError where error.kind == .terminated {
            phase = .closed
        } catch {
            phase = .failed(ClientError(.failed, "connection to \(endpoint) failed: \(error)"))
        }
    }

    private func handle(_ message: WireMessage<Message>) throws {
        switch message {
        case .ready(let ready):
            if phase == .connecting || phase == .ready { phase = .ready }
            credit = 0
            acceptedSteps = ready.acceptedSteps ?? []
            if role == .trainer {
                // Ask for enough batches to have `prefetch` in flight or waiting.
                let want = max(prefetch - (batches.count - batchHead), 1)
                try connection.send(.credit(Credit(batches: want)))
            }
        case .credit(let c):
            credit += c.samples ?? 0
        case .batch(let header, let payload):
            batches.append(Batch(header: header, frames: payload))
        case .error(let report):
            errors[report.code, default: 0] += 1
            lastError = report
            if report.fatal {
                if report.code == "not-ready", connection.options.reconnect {
                    try connection.open()  // the server restarted: introduce ourselves again
                    credit = 0
                } else {
                    throw ClientError(.refused, "server \(endpoint) refused \(connection.hello.peer): \(report.code): \(report.message)", report: report)
                }
            }
        case .bye(let bye):
            // "ok" answers our own BYE; anything else is the server leaving (shutdown).
            if bye.reason == "ok" { byeAcknowledged = true; return }
            credit = 0
            if connection.options.reconnect {
                connection.lost("server said BYE (\(bye.reason))")
            } else {
                throw ClientError(.closed, "server \(endpoint) said BYE (\(bye.reason))")
            }
        case .heartbeat, .status, .hello, .sample, .samples:
            break
        }
    }

    private func throwIfFailed() throws {
        switch phase {
        case .failed(let error): throw error
        case .closed: throw ClientError(.closed, "the client for \(endpoint) is closed")
        case .connecting, .ready: break
        }
    }

    // MARK: Caller operations

    /// Waits until READY (or failure) for at most `timeout`.
    func waitUntilReady(timeout: Duration, what: String) throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let done: Bool = try withLock {
                service()
                try throwIfFailed()
                if phase == .ready { return true }
                try connection.wait(milliseconds: 5)
                return false
            }
            if done { return }
            if ContinuousClock.now > deadline {
                close()
                throw ClientError(.timedOut, "no READY from \(endpoint) within \(timeout.seconds) s for \(what): is `sluice serve` running there?")
            }
        }
    }

    /// Publishes one sample given as its header frame and payload frames: small ones are queued for a SAMPLES
    /// message (sent when full, or by housekeeping after `linger`), others go out at once as a SAMPLE of their own,
    /// after any queued ones so that a member's samples keep their order. Blocks while there is no credit.
    func publish(header: Message, payload: [Message], payloadBytes: Int) throws {
        let (ready, small) = withLock { (sampleFrame0 != nil, payloadBytes <= coalescing.sampleBytes && coalescing.maxSamples > 1) }
        guard ready else { throw ClientError(.failed, "publish(header:payload:) needs setCoalescing first") }
        // A large sample travels alone; a small one joins the queue while the SAMPLES message stays within the
        // protocol's frame limit.
        if !small || withLock({ pendingFrames + 3 + payload.count > WireCodec.maxSamplesMessageFrames }) { try flushPending() }
        let full: Bool = try withLock {
            try throwIfFailed()
            if pending.isEmpty { pendingSince = .now }
            pendingFrames += 1 + payload.count
            pending.append(([header] + payload, payloadBytes))
            pendingBytes += payloadBytes
            return !small || pendingBytes >= coalescing.messageBytes || pending.count >= coalescing.maxSamples
        }
        if full { try flushPending() }
    }

    /// Sends every queued sample, blocking while there is no credit.
    func flushPending() throws {
        while true {
            let done: Bool = try withLock {
                try throwIfFailed()
                if pending.isEmpty { return true }
                if credit == 0 { service() }
                if try sendPending(), pending.isEmpty { return true }
                try connection.wait(milliseconds: 5)
                service()
                return false
            }
            if done { return }
        }
    }

    /// Sends as many queued samples as credit allows in one message (call with the lock held); true if any went.
    private func sendPending() throws -> Bool {
        let n = min(credit, pending.count)
        guard n > 0, connection.ready != nil, let samplesFrame0, let sampleFrame0 else { return false }
        var frames: [Message]
        if n == 1 {
            frames = [sampleFrame0] + pending[0].frames
        } else {
            frames = [samplesFrame0, try Message(bytes: withUnsafeBytes(of: UInt32(n).littleEndian) { Array($0) })]
            for sample in pending[0..<n] { frames += sample.frames }
        }
        guard try connection.send(frames: frames) else { return false }
        credit -= n
        sent += n
        sentMessages += 1
        pendingBytes -= pending[0..<n].reduce(0) { $0 + $1.bytes }
        pendingFrames -= pending[0..<n].reduce(0) { $0 + $1.frames.count }
        pending.removeFirst(n)
        if !pending.isEmpty { pendingSince = .now }
        return true
    }

    /// The next batch, waiting at most `timeout` (nil: forever); asks the server for one more batch per batch
    /// taken, keeping `prefetch` requests in flight.
    func nextBatch(timeout: Duration?) throws -> Batch? {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            let batch: Batch? = try withLock {
                if stopping { return nil }
                if batchHead == batches.count { service() }
                if batchHead < batches.count {
                    let b = batches[batchHead]
                    batchHead += 1
                    if batchHead > 64 { batches.removeFirst(batchHead); batchHead = 0 }
                    if connection.ready != nil { try connection.send(.credit(Credit(batches: 1))) }
                    return b
                }
                try throwIfFailed()
                try connection.wait(milliseconds: 5)
                return nil
            }
            if let batch { return batch }
            if withLock({ stopping }) { return nil }
            if let deadline, ContinuousClock.now >= deadline {
                throw ClientError(.timedOut, "no batch from \(endpoint) within \(timeout?.seconds ?? 0) s (\(connection.hello.peer))")
            }
        }
    }

    /// Solver: says BYE ("done") and waits up to `timeout` for the server's BYE.
    func finish(timeout: Duration) throws {
        try flushPending()
        let deadline = ContinuousClock.now + timeout
        try withLock {
            try throwIfFailed()
            try connection.send(.bye(Bye(reason: "done")))
        }
        while ContinuousClock.now < deadline {
            let done: Bool = try withLock {
                service()
                if byeAcknowledged { return true }
                try connection.wait(milliseconds: 5)
                return false
            }
            if done { break }
        }
        close()
    }

    /// Stops housekeeping and closes the socket (a trainer says BYE first).
    func close() {
        withLock {
            guard !stopping else { return }
            if role == .trainer { _ = try? connection.send(.bye(Bye(reason: "closed"))) }
            stopping = true
            phase = phase == .ready || phase == .connecting ? .closed : phase
            connection.close()
        }
    }

    var messagesSent: Int { withLock { sentMessages } }

    var snapshot: (credit: Int, sent: Int, errors: [String: Int], lastError: ErrorReport?, reconnects: Int, acceptedSteps: [UInt64]) {
        withLock { (credit, sent, errors, lastError, reconnects, acceptedSteps) }
    }

    deinit { stopping = true }
}
