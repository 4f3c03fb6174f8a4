import SluiceModel
import Wire
import ZeroMQ

extension Socket {
    /// Sends a control message (HELLO, READY, CREDIT, HEARTBEAT, BYE, ERROR, STATUS), preceded by `identity` when
    /// sending from a ROUTER. Returns false if `dontWait` and it could not be queued.
    @discardableResult
    public func sendControl(_ message: WireMessage<[UInt8]>, to identity: Message? = nil, dontWait: Bool = false,
                            codec: WireCodec = WireCodec()) throws -> Bool {
        var frames: [Message] = []
        if let identity { frames.append(identity) }
        for f in try codec.encode(message) { frames.append(try Message(bytes: f)) }
        return try send(multipart: frames, dontWait: dontWait)
    }

    /// Sends a SAMPLE: frame 0, the encoded header, and the payload frames as they are (shared, not copied).
    @discardableResult
    public func sendSample(_ header: SampleHeader, payload: [Message], to identity: Message? = nil,
                           dontWait: Bool = false, limits: WireLimits = .standard) throws -> Bool {
        var frames: [Message] = []
        frames.reserveCapacity(payload.count + 3)
        if let identity { frames.append(identity) }
        frames.append(try Message(bytes: Envelope.frame(.sample)))
        frames.append(try Message(bytes: try header.encoded(limits: limits)))
        frames.append(contentsOf: payload)
        return try send(multipart: frames, dontWait: dontWait)
    }

    /// Sends a BATCH: frame 0, the encoded header, and the payload frames.
    @discardableResult
    public func sendBatch(_ header: BatchHeader, payload: [Message], to identity: Message? = nil,
                          dontWait: Bool = false, limits: WireLimits = .standard) throws -> Bool {
        var frames: [Message] = []
        frames.reserveCapacity(payload.count + 3)
        if let identity { frames.append(identity) }
        frames.append(try Message(bytes: Envelope.frame(.batch)))
        frames.append(try Message(bytes: try header.encoded(limits: limits)))
        frames.append(contentsOf: payload)
        return try send(multipart: frames, dontWait: dontWait)
    }

    /// Sends an ERROR reply.
    @discardableResult
    public func sendError(_ report: ErrorReport, to identity: Message? = nil, dontWait: Bool = false) throws -> Bool {
        try sendControl(.error(report), to: identity, dontWait: dontWait)
    }
}
