import CZeroMQ

/// One ZeroMQ message frame (`zmq_msg_t`), owned by this object and closed when it is released.
///
/// Received messages keep libzmq's own buffer: reading `withUnsafeBytes` copies nothing, so a server can keep
/// received frames as its storage. Sending a `Message` shares its buffer with the outgoing copy (libzmq
/// reference-counts large messages), so a message can be stored and sent many times without copying.
///
/// `Sendable` because a message is never mutated after it was received or filled (`withUnsafeMutableBytes`
/// is for filling a fresh message before it is shared); libzmq's reference count is atomic, so closing two
/// shares from two threads is safe.
public final class Message: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// An empty message, ready to receive into.
    public init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)
    }

    /// A message of `count` uninitialised bytes, to be filled with `withUnsafeMutableBytes` before it is sent.
    public init(count: Int) throws {
        pointer = .allocate(capacity: 1)
        if zmq_msg_init_size(pointer, count) != 0 {
            let code = zmq_errno()
            pointer.deallocate()
            throw ZMQError.failed("zmq_msg_init_size", errno: code, detail: "\(count) bytes")
        }
    }

    /// A message holding a copy of `bytes`.
    public convenience init(copying bytes: UnsafeRawBufferPointer) throws {
        try self.init(count: bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 {
            zmq_msg_data(pointer).copyMemory(from: base, byteCount: bytes.count)
        }
    }

    /// A message holding a copy of `bytes`.
    public convenience init<Bytes: Sequence>(bytes: Bytes) throws where Bytes.Element == UInt8 {
        let array = Array(bytes)
        try self.init(copying: array.withUnsafeBytes { $0 })
        _ = array
    }

    /// A message that points at `count` bytes at `address` without copying them. libzmq calls `release`
    /// exactly once, from its I/O thread or from the thread that drops the last share, when it no longer
    /// needs the bytes; until then they must stay valid and unchanged.
    public init(noCopy address: UnsafeRawPointer, count: Int, release: @escaping @Sendable () -> Void) throws {
        pointer = .allocate(capacity: 1)
        let box = Unmanaged.passRetained(ReleaseBox(release)).toOpaque()
        let rc = zmq_msg_init_data(pointer, UnsafeMutableRawPointer(mutating: address), count, { _, hint in
            guard let hint else { return }
            Unmanaged<ReleaseBox>.fromOpaque(hint).takeRetainedValue().release()
        }, box)
        if rc != 0 {
            let code = zmq_errno()
            Unmanaged<ReleaseBox>.fromOpaque(box).release()
            pointer.deallocate()
            throw ZMQError.failed("zmq_msg_init_data", errno: code, detail: "\(count) bytes")
        }
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The number of bytes in the frame.
    public var count: Int { zmq_msg_size(pointer) }

    /// Whether more frames of the same multipart message follow this one (valid after a receive).
    public var hasMore: Bool { zmq_msg_more(pointer) != 0 }

    /// Reads the frame's bytes in place.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = count
        guard n > 0, let data = zmq_msg_data(pointer) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: data, count: n))
    }

    /// Fills a fresh message's bytes in place. Only for a message made with `init(count:)` that has not been
    /// sent or shared yet.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        let n = count
        guard n > 0, let data = zmq_msg_data(pointer) else {
            return try body(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeMutableRawBufferPointer(start: data, count: n))
    }

    /// The frame's bytes as an array (a copy).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A second message sharing this one's buffer (no copy for messages over libzmq's inline size).
    func share() throws -> UnsafeMutablePointer<zmq_msg_t> {
        let copy = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        zmq_msg_init(copy)
        if zmq_msg_copy(copy, pointer) != 0 {
            let code = zmq_errno()
            zmq_msg_close(copy)
            copy.deallocate()
            throw ZMQError.failed("zmq_msg_copy", errno: code)
        }
        return copy
    }
}

/// Holds the release closure of a zero-copy message until libzmq calls back.
private final class ReleaseBox {
    let release: @Sendable () -> Void
    init(_ release: @escaping @Sendable () -> Void) { self.release = release }
}
