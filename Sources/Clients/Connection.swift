import Foundation
import Logging
import SluiceModel
import Transport
import Wire
import ZeroMQ

/// Settings shared by the clients.
public struct ConnectionOptions: Sendable {
    /// The server endpoint (`tcp://host:port`).
    public var endpoint: String
    /// How long to wait for READY after connecting before giving up (first connection) or retrying.
    public var connectTimeout: Duration = .seconds(10)
    /// Heartbeat interval until READY tells the server's.
    public var heartbeat: Duration = .seconds(1)
    /// Whether to reconnect (with back-off 1 s to 32 s) when the server goes silent or restarts.
    public var reconnect: Bool = true
    /// CURVE settings, when the server requires them (issue 10).
    public var curve: CurveClientKeys?

    public init(endpoint: String) { self.endpoint = endpoint }
}

/// A client's CURVE keys and the server's public key.
public struct CurveClientKeys: Sendable {
    public var serverPublicKey: String
    public var keys: CurveKeyPair
    public init(serverPublicKey: String, keys: CurveKeyPair) {
        self.serverPublicKey = serverPublicKey
        self.keys = keys
    }
}

/// A client's connection to the server: a DEALER that says HELLO, waits for READY, keeps heartbeats and
/// reconnects with back-off. Not thread-safe: `ClientCore` guards it with a lock.
final class Connection {
    let context: Context
    let options: ConnectionOptions
    let hello: Hello
    let codec = WireCodec()
    let logger: Logger
    private(set) var socket: Socket?
    private var poller: Poller?
    private(set) var liveness: Liveness<ContinuousClock.Instant>
    private(set) var ready: Ready?
    /// When a lost connection is opened again (nil while connected).
    private(set) var reconnectAt: ContinuousClock.Instant?
    var backoff = Backoff()

    init(context: Context, options: ConnectionOptions, hello: Hello, logger: Logger) {
        self.context = context
        self.options = options
        self.hello = hello
        self.logger = logger
        self.liveness = Liveness(interval: options.heartbeat, now: .now)
    }

    /// Opens a new DEALER and sends HELLO. READY arrives later through `receive()`.
    func open() throws {
        close()
        let dealer = try Socket(context, type: .dealer)
        // Unsent samples are worthless once we give up: do not block process exit on them.
        try dealer.setLinger(milliseconds: 200)
        if let curve = options.curve {
            try dealer.makeCurveClient(serverKey: curve.serverPublicKey, keys: curve.keys)
        }
        try dealer.connect(options.endpoint)
        let poller = Poller()
        try poller.register(dealer)
        socket = dealer
        self.poller = poller
        ready = nil
        reconnectAt = nil
        liveness = Liveness(interval: options.heartbeat, now: .now)
        try dealer.sendControl(.hello(hello), dontWait: true)
        liveness.sent(at: .now)
    }

    func close() {
        try? socket?.close()
        socket = nil
        poller = nil
        ready = nil
    }

    /// Closes the socket and schedules a new connection after the next back-off delay.
    func lost(_ why: String) {
        close()
        let delay = backoff.next()
        reconnectAt = .now + delay
        logger.warning("\(why); reconnecting to \(options.endpoint) in \(delay.seconds) s")
    }

    /// Opens again if a reconnection is due.
    func reconnectIfDue() throws -> Bool {
        guard socket == nil, let at = reconnectAt, ContinuousClock.now >= at else { return false }
        try open()
        return true
    }

    /// Waits up to `milliseconds` for something to arrive.
    func wait(milliseconds: Int) throws {
        guard let poller else {
            if milliseconds > 0 { Thread.sleep(forTimeInterval: Double(milliseconds) / 1000) }
            return
        }
        try poller.poll(timeoutMilliseconds: milliseconds)
    }

    /// Sends a control message if connected; returns whether it was queued.
    @discardableResult
    func send(_ message: WireMessage<[UInt8]>) throws -> Bool {
        guard let socket else { return false }
        let sent = try socket.sendControl(message, dontWait: true)
        if sent { liveness.sent(at: .now) }
        return sent
    }

    /// Sends pre-built frames (a SAMPLE) if connected.
    func send(frames: [Message]) throws -> Bool {
        guard let socket else { return false }
        let sent = try socket.send(multipart: frames, dontWait: true)
        if sent { liveness.sent(at: .now) }
        return sent
    }

    /// Receives one message without blocking; READY is noted here and also returned.
    func receive() throws -> WireMessage<Message>? {
        guard let socket, let frames = try socket.receiveMultipart(dontWait: true, maxFrames: 300)?.frames else { return nil }
        liveness.received(at: .now)
        let message = try codec.decode(frames)
        if case .ready(let r) = message {
            ready = r
            backoff.reset()
            liveness = Liveness(interval: .milliseconds(r.heartbeatMs), now: .now)
        }
        return message
    }

    /// Heartbeat housekeeping; returns true if the server is considered lost.
    func tick() throws -> Bool {
        guard socket != nil else { return false }
        switch liveness.check(at: .now) {
        case .none: return false
        case .sendHeartbeat:
            if ready != nil { try send(.heartbeat) } else { liveness.sent(at: .now) }
            return false
        case .peerLost: return true
        }
    }
}
