import CZeroMQ

extension Socket {
    // MARK: Raw option access

    func setOption(_ option: Int32, name: String, int value: Int32) throws {
        var v = value
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_setsockopt(\(name))", detail: "value \(value)") {
                zmq_setsockopt(raw, option, &v, MemoryLayout<Int32>.size)
            }
        }
    }

    func setOption(_ option: Int32, name: String, int64 value: Int64) throws {
        var v = value
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_setsockopt(\(name))", detail: "value \(value)") {
                zmq_setsockopt(raw, option, &v, MemoryLayout<Int64>.size)
            }
        }
    }

    func setOption(_ option: Int32, name: String, bytes value: [UInt8], redacted: Bool = false) throws {
        try withUnsafeHandle { raw in
            try value.withUnsafeBytes { buffer in
                try zmqCheck("zmq_setsockopt(\(name))", detail: redacted ? nil : "\(value.count) bytes") {
                    zmq_setsockopt(raw, option, buffer.baseAddress, buffer.count)
                }
            }
        }
    }

    func intOption(_ option: Int32, name: String) throws -> Int32 {
        var v: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_getsockopt(\(name))") { zmq_getsockopt(raw, option, &v, &size) }
        }
        return v
    }

    func int64Option(_ option: Int32, name: String) throws -> Int64 {
        var v: Int64 = 0
        var size = MemoryLayout<Int64>.size
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_getsockopt(\(name))") { zmq_getsockopt(raw, option, &v, &size) }
        }
        return v
    }

    func stringOption(_ option: Int32, name: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_getsockopt(\(name))") { zmq_getsockopt(raw, option, &buffer, &size) }
        }
        let used = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        return String(decoding: used, as: UTF8.self)
    }

    // MARK: Named options

    /// Send high-water mark in messages (ZMQ_SNDHWM); 0 means no limit.
    public func setSendHighWaterMark(_ messages: Int) throws {
        try setOption(ZMQ_SNDHWM, name: "ZMQ_SNDHWM", int: Int32(clamping: messages))
    }

    /// Receive high-water mark in messages (ZMQ_RCVHWM); 0 means no limit.
    public func setReceiveHighWaterMark(_ messages: Int) throws {
        try setOption(ZMQ_RCVHWM, name: "ZMQ_RCVHWM", int: Int32(clamping: messages))
    }

    /// How long pending messages are kept after `close()` (ZMQ_LINGER), in milliseconds; -1 waits forever.
    public func setLinger(milliseconds: Int) throws {
        try setOption(ZMQ_LINGER, name: "ZMQ_LINGER", int: Int32(clamping: milliseconds))
    }

    /// Receive timeout in milliseconds (ZMQ_RCVTIMEO); -1 blocks forever. A timed-out receive returns nil.
    public func setReceiveTimeout(milliseconds: Int) throws {
        try setOption(ZMQ_RCVTIMEO, name: "ZMQ_RCVTIMEO", int: Int32(clamping: milliseconds))
    }

    /// Send timeout in milliseconds (ZMQ_SNDTIMEO); -1 blocks forever. A timed-out send returns false.
    public func setSendTimeout(milliseconds: Int) throws {
        try setOption(ZMQ_SNDTIMEO, name: "ZMQ_SNDTIMEO", int: Int32(clamping: milliseconds))
    }

    /// Makes a ROUTER fail with `.unroutable` instead of silently dropping a message to an unknown peer.
    public func setRouterMandatory(_ on: Bool) throws {
        try setOption(ZMQ_ROUTER_MANDATORY, name: "ZMQ_ROUTER_MANDATORY", int: on ? 1 : 0)
    }

    /// The identity a DEALER or REQ presents to a ROUTER (ZMQ_ROUTING_ID), 1 to 255 bytes, not starting with 0.
    public func setRoutingID(_ id: [UInt8]) throws {
        guard (1...255).contains(id.count), id.first != 0 else {
            throw ZMQError.invalid("zmq_setsockopt(ZMQ_ROUTING_ID)", "a routing id has 1 to 255 bytes and does not start with a zero byte")
        }
        try setOption(ZMQ_ROUTING_ID, name: "ZMQ_ROUTING_ID", bytes: id)
    }

    /// Largest inbound message libzmq accepts before dropping the connection (ZMQ_MAXMSGSIZE), in bytes;
    /// -1 means no limit.
    public func setMaxMessageSize(_ bytes: Int64) throws {
        try setOption(ZMQ_MAXMSGSIZE, name: "ZMQ_MAXMSGSIZE", int64: bytes)
    }

    /// ZMTP heartbeats: send a PING every `interval` ms, drop the connection when no traffic arrives within
    /// `timeout` ms, and ask the peer to drop it after `ttl` ms of silence from us.
    public func setHeartbeat(intervalMilliseconds interval: Int, timeoutMilliseconds timeout: Int, ttlMilliseconds ttl: Int) throws {
        try setOption(ZMQ_HEARTBEAT_IVL, name: "ZMQ_HEARTBEAT_IVL", int: Int32(clamping: interval))
        try setOption(ZMQ_HEARTBEAT_TIMEOUT, name: "ZMQ_HEARTBEAT_TIMEOUT", int: Int32(clamping: timeout))
        try setOption(ZMQ_HEARTBEAT_TTL, name: "ZMQ_HEARTBEAT_TTL", int: Int32(clamping: ttl))
    }

    /// Queue messages only to completed connections (ZMQ_IMMEDIATE).
    public func setImmediate(_ on: Bool) throws {
        try setOption(ZMQ_IMMEDIATE, name: "ZMQ_IMMEDIATE", int: on ? 1 : 0)
    }

    /// Reconnection back-off: first retry after `initial` ms, doubling up to `maximum` ms.
    public func setReconnectInterval(initialMilliseconds initial: Int, maximumMilliseconds maximum: Int) throws {
        try setOption(ZMQ_RECONNECT_IVL, name: "ZMQ_RECONNECT_IVL", int: Int32(clamping: initial))
        try setOption(ZMQ_RECONNECT_IVL_MAX, name: "ZMQ_RECONNECT_IVL_MAX", int: Int32(clamping: maximum))
    }

    /// How long a connection may take to complete its ZMTP (and security) handshake, in milliseconds.
    public func setHandshakeInterval(milliseconds: Int) throws {
        try setOption(ZMQ_HANDSHAKE_IVL, name: "ZMQ_HANDSHAKE_IVL", int: Int32(clamping: milliseconds))
    }

    /// Subscribes a SUB socket to messages starting with `prefix` (empty: everything).
    public func subscribe(_ prefix: [UInt8] = []) throws {
        try setOption(ZMQ_SUBSCRIBE, name: "ZMQ_SUBSCRIBE", bytes: prefix)
    }

    /// Kernel send/receive buffer sizes in bytes (SO_SNDBUF / SO_RCVBUF); -1 keeps the OS default.
    public func setKernelBuffers(send: Int, receive: Int) throws {
        try setOption(ZMQ_SNDBUF, name: "ZMQ_SNDBUF", int: Int32(clamping: send))
        try setOption(ZMQ_RCVBUF, name: "ZMQ_RCVBUF", int: Int32(clamping: receive))
    }

    /// The ZAP domain this socket authenticates in (ZMQ_ZAP_DOMAIN).
    public func setZAPDomain(_ domain: String) throws {
        try setOption(ZMQ_ZAP_DOMAIN, name: "ZMQ_ZAP_DOMAIN", bytes: Array(domain.utf8))
    }

    /// Current send high-water mark.
    public var sendHighWaterMark: Int { get throws { Int(try intOption(ZMQ_SNDHWM, name: "ZMQ_SNDHWM")) } }
    /// Current receive high-water mark.
    public var receiveHighWaterMark: Int { get throws { Int(try intOption(ZMQ_RCVHWM, name: "ZMQ_RCVHWM")) } }
    /// Current linger in milliseconds.
    public var linger: Int { get throws { Int(try intOption(ZMQ_LINGER, name: "ZMQ_LINGER")) } }
    /// Current maximum inbound message size.
    public var maxMessageSize: Int64 { get throws { try int64Option(ZMQ_MAXMSGSIZE, name: "ZMQ_MAXMSGSIZE") } }

    /// Poll-style readiness (ZMQ_EVENTS) without blocking.
    public var events: PollEvents { get throws { PollEvents(rawValue: Int16(try intOption(ZMQ_EVENTS, name: "ZMQ_EVENTS"))) } }
}
