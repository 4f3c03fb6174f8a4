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
    private var byeAcknowledged = false

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

    /// One housekeeping round; false once the client is closed.
    private func housekeep() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !stopping else { return false }
        service()
        return true
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
        case .heartbeat, .status, .hello, .sample:
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

    /// Sends one SAMPLE as soon as there is credit (blocking while there is none: back-pressure).
    func sendSample(_ frames: [Message]) throws {
        while true {
            let done: Bool = try withLock {
                try throwIfFailed()
                if credit == 0 { service() }
                if credit > 0, connection.ready != nil, try connection.send(frames: frames) {
                    credit -= 1
                    sent += 1
                    return true
                }
                try connection.wait(milliseconds: 5)
                service()
                return false
            }
            if done { return }
        }
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

    var snapshot: (credit: Int, sent: Int, errors: [String: Int], lastError: ErrorReport?, reconnects: Int, acceptedSteps: [UInt64]) {
        withLock { (credit, sent, errors, lastError, reconnects, acceptedSteps) }
    }

    deinit { stopping = true }
}
