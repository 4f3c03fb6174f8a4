import CZeroMQ

/// The ZeroMQ socket patterns Sluice uses.
public enum SocketType: Sendable, CustomStringConvertible {
    case pair, pub, sub, req, rep, dealer, router, pull, push, xpub, xsub

    var raw: Int32 {
        switch self {
        case .pair: ZMQ_PAIR
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .pull: ZMQ_PULL
        case .push: ZMQ_PUSH
        case .xpub: ZMQ_XPUB
        case .xsub: ZMQ_XSUB
        }
    }

    public var description: String {
        switch self {
        case .pair: "PAIR"
        case .pub: "PUB"
        case .sub: "SUB"
        case .req: "REQ"
        case .rep: "REP"
        case .dealer: "DEALER"
        case .router: "ROUTER"
        case .pull: "PULL"
        case .push: "PUSH"
        case .xpub: "XPUB"
        case .xsub: "XSUB"
        }
    }
}

/// A ZeroMQ socket.
///
/// Not `Sendable`: a ZeroMQ socket must be used by one thread at a time (zguide ch. 2), and Swift 6 enforces that
/// by keeping it in one isolation domain. The socket keeps its `Context` alive. `close()` is explicit; `deinit`
/// closes as a safety net.
public final class Socket {
    /// The pattern of this socket.
    public let type: SocketType
    /// The context the socket belongs to (kept alive by the socket).
    public let context: Context
    private var handle: UnsafeMutableRawPointer?

    /// Creates a socket of the given type in `context`.
    public init(_ context: Context, type: SocketType) throws {
        self.context = context
        self.type = type
        let raw = try context.withUnsafeHandle { ctx -> UnsafeMutableRawPointer in
            guard let raw = zmq_socket(ctx, type.raw) else {
                throw ZMQError.failed("zmq_socket", errno: zmq_errno(), detail: type.description)
            }
            return raw
        }
        handle = raw
    }

    deinit {
        if let handle { zmq_close(handle) }
    }

    /// Closes the socket. Pending outgoing messages are kept for at most LINGER milliseconds.
    public func close() throws {
        guard let raw = handle else { return }
        handle = nil
        try zmqCheck("zmq_close") { zmq_close(raw) }
    }

    /// Whether `close()` was called.
    public var isClosed: Bool { handle == nil }

    /// Runs `body` with the raw socket; throws once the socket is closed.
    @discardableResult
    public func withUnsafeHandle<R>(_ body: (UnsafeMutableRawPointer) throws -> R) throws -> R {
        guard let raw = handle else { throw ZMQError.closed("socket") }
        return try body(raw)
    }

    // MARK: Endpoints

    /// Binds to `endpoint` (e.g. `tcp://127.0.0.1:5555`, `tcp://127.0.0.1:*` for any free port, `ipc:///tmp/x`,
    /// `inproc://name`) and returns the endpoint actually bound (with the port chosen by the system).
    @discardableResult
    public func bind(_ endpoint: String) throws -> String {
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_bind", detail: "endpoint \(endpoint)") { zmq_bind(raw, endpoint) }
        }
        return try lastEndpoint()
    }

    /// Connects to `endpoint`. libzmq connects in the background and reconnects on its own.
    public func connect(_ endpoint: String) throws {
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_connect", detail: "endpoint \(endpoint)") { zmq_connect(raw, endpoint) }
        }
    }

    /// Stops listening on `endpoint`.
    public func unbind(_ endpoint: String) throws {
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_unbind", detail: "endpoint \(endpoint)") { zmq_unbind(raw, endpoint) }
        }
    }

    /// Disconnects from `endpoint`.
    public func disconnect(_ endpoint: String) throws {
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_disconnect", detail: "endpoint \(endpoint)") { zmq_disconnect(raw, endpoint) }
        }
    }

    /// The last endpoint bound (ZMQ_LAST_ENDPOINT), with wildcard ports resolved.
    public func lastEndpoint() throws -> String {
        try stringOption(ZMQ_LAST_ENDPOINT, name: "ZMQ_LAST_ENDPOINT")
    }

    // MARK: Sending

    /// Sends one frame, copying `bytes`. Returns false if `dontWait` and the message could not be queued.
    @discardableResult
    public func send(bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        return try withUnsafeHandle { raw in
            try zmqCall("zmq_send", detail: "\(bytes.count) bytes") {
                zmq_send(raw, bytes.baseAddress, bytes.count, flags)
            } != nil
        }
    }

    /// Sends one frame, copying `bytes`.
    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws -> Bool {
        try bytes.withUnsafeBytes { try send(bytes: $0, more: more, dontWait: dontWait) }
    }

    /// Sends `message` as one frame without copying its bytes: the outgoing frame shares the message's buffer,
    /// and `message` stays valid and can be sent again.
    @discardableResult
    public func send(_ message: Message, more: Bool = false, dontWait: Bool = false) throws -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        let outgoing = try message.share()
        defer {
            zmq_msg_close(outgoing)  // no-op after a successful send, which empties it
            outgoing.deallocate()
        }
        return try withUnsafeHandle { raw in
            try zmqCall("zmq_msg_send", detail: "\(message.count) bytes") {
                zmq_msg_send(outgoing, raw, flags)
            } != nil
        }
    }

    /// Sends a multipart message. libzmq delivers multipart messages atomically: either every frame arrives or
    /// none. With `dontWait`, returns false if the message could not be queued (nothing was sent).
    @discardableResult
    public func send(multipart frames: [Message], dontWait: Bool = false) throws -> Bool {
        guard !frames.isEmpty else { throw ZMQError.invalid("send(multipart:)", "a message needs at least one frame") }
        for (index, frame) in frames.enumerated() {
            let sent = try send(frame, more: index < frames.count - 1, dontWait: dontWait)
            if !sent {
                // Only the first frame can be refused: after it is queued the rest always are.
                return false
            }
        }
        return true
    }

    /// Sends a multipart message made of byte arrays (copied).
    @discardableResult
    public func send(multipart frames: [[UInt8]], dontWait: Bool = false) throws -> Bool {
        guard !frames.isEmpty else { throw ZMQError.invalid("send(multipart:)", "a message needs at least one frame") }
        for (index, frame) in frames.enumerated() {
            let sent = try send(frame, more: index < frames.count - 1, dontWait: dontWait)
            if !sent { return false }
        }
        return true
    }

    // MARK: Receiving

    /// Receives one frame. Returns nil if `dontWait` and nothing is waiting, or if RCVTIMEO expired.
    public func receive(dontWait: Bool = false) throws -> Message? {
        let message = Message()
        let flags = dontWait ? ZMQ_DONTWAIT : 0
        let got = try withUnsafeHandle { raw in
            try zmqCall("zmq_msg_recv") { zmq_msg_recv(message.pointer, raw, flags) }
        }
        return got == nil ? nil : message
    }

    /// Receives all frames of one multipart message. Returns nil if `dontWait` and nothing is waiting, or if
    /// RCVTIMEO expired before the first frame.
    public func receiveMultipart(dontWait: Bool = false) throws -> [Message]? {
        guard let result = try receiveMultipart(dontWait: dontWait, maxFrames: Int.max) else { return nil }
        return result.frames
    }

    /// Receives one multipart message, keeping at most `maxFrames` frames: the rest are read and dropped, and
    /// their number is returned as `excessFrames` so that a peer flooding frames cannot exhaust memory.
    public func receiveMultipart(dontWait: Bool = false, maxFrames: Int) throws -> (frames: [Message], excessFrames: Int)? {
        guard let first = try receive(dontWait: dontWait) else { return nil }
        var frames = [first]
        var excess = 0
        var more = first.hasMore
        while more {
            // The rest of a multipart message is already here: delivery is atomic.
            let next = Message()
            _ = try withUnsafeHandle { raw in
                try zmqCheck("zmq_msg_recv") { zmq_msg_recv(next.pointer, raw, 0) }
            }
            more = next.hasMore
            if frames.count < maxFrames { frames.append(next) } else { excess += 1 }
        }
        return (frames, excess)
    }

    /// Whether the last frame received has more frames after it (ZMQ_RCVMORE).
    public var receiveMore: Bool {
        (try? intOption(ZMQ_RCVMORE, name: "ZMQ_RCVMORE")) ?? 0 != 0
    }
}
