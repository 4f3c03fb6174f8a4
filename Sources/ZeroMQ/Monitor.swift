import CZeroMQ

/// A socket event reported by `zmq_socket_monitor`.
public struct MonitorEvent: Sendable, Hashable, CustomStringConvertible {
    public struct Kind: OptionSet, Sendable, Hashable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let connected = Kind(rawValue: ZMQ_EVENT_CONNECTED)
        public static let listening = Kind(rawValue: ZMQ_EVENT_LISTENING)
        public static let accepted = Kind(rawValue: ZMQ_EVENT_ACCEPTED)
        public static let closed = Kind(rawValue: ZMQ_EVENT_CLOSED)
        public static let disconnected = Kind(rawValue: ZMQ_EVENT_DISCONNECTED)
        public static let handshakeSucceeded = Kind(rawValue: ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
        public static let handshakeFailedNoDetail = Kind(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)
        public static let handshakeFailedProtocol = Kind(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
        public static let handshakeFailedAuth = Kind(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
        public static let monitorStopped = Kind(rawValue: ZMQ_EVENT_MONITOR_STOPPED)
        public static let all = Kind(rawValue: ZMQ_EVENT_ALL)
    }

    public let kind: Kind
    /// The event's value (a file descriptor, an errno, or a protocol error code, depending on the event).
    public let value: UInt32
    /// The endpoint concerned.
    public let endpoint: String

    /// Parses the two frames of a monitor message (u16 event, u32 value; endpoint text).
    public init?(frames: [Message]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let (event, value) = frames[0].withUnsafeBytes { raw in
            (UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self)),
             UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt32.self)))
        }
        kind = Kind(rawValue: Int32(event))
        self.value = value
        endpoint = String(decoding: frames[1].bytes, as: UTF8.self)
    }

    public var description: String { "event 0x\(String(kind.rawValue, radix: 16)) value \(value) on \(endpoint)" }
}

extension Socket {
    /// Starts publishing this socket's `events` on an inproc PAIR endpoint, and returns a PAIR socket connected to
    /// it (read `MonitorEvent(frames:)` from its multipart messages). The returned socket belongs to the caller's
    /// thread like any other.
    public func monitor(events: MonitorEvent.Kind, name: String) throws -> Socket {
        let endpoint = "inproc://monitor-\(name)"
        try withUnsafeHandle { raw in
            try zmqCheck("zmq_socket_monitor", detail: endpoint) { zmq_socket_monitor(raw, endpoint, events.rawValue) }
        }
        let pair = try Socket(context, type: .pair)
        try pair.setLinger(milliseconds: 0)
        try pair.connect(endpoint)
        return pair
    }
}
