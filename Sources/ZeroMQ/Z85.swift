import CZeroMQ

/// Z85 text encoding of binary keys (ZeroMQ RFC 32), through libzmq.
public enum Z85 {
    /// Encodes `bytes` (a multiple of 4 long) as Z85 text.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var out = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        guard zmq_z85_encode(&out, bytes, bytes.count) != nil else { return nil }
        return String(decoding: out.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Decodes Z85 text (a multiple of 5 characters long).
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 5 == 0 else { return nil }
        var out = [UInt8](repeating: 0, count: utf8.count * 4 / 5)
        let ok = text.withCString { zmq_z85_decode(&out, $0) } != nil
        return ok ? out : nil
    }
}

extension Message {
    /// A metadata property of a received message (`zmq_msg_gets`): "User-Id" (set by the ZAP handler),
    /// "Peer-Address", "Socket-Type", "Routing-Id".
    public func property(_ name: String) -> String? {
        guard let value = zmq_msg_gets(pointer, name) else { return nil }
        return String(cString: value)
    }
}

extension Message {
    /// The file descriptor of the connection a received frame was read from (`ZMQ_SRCFD`), or nil (inproc, or a
    /// frame this process made). Used to account traffic per TCP connection.
    public var sourceFileDescriptor: Int32? {
        let fd = zmq_msg_get(pointer, ZMQ_SRCFD)
        return fd >= 0 ? fd : nil
    }
}
