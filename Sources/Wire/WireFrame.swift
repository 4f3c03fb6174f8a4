/// Read access to one frame's bytes. `[UInt8]` conforms here; ZeroMQ messages conform where sockets are used,
/// so the decoder reads received frames in place and never copies a payload.
public protocol WireFrame {
    var count: Int { get }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: WireFrame where Element == UInt8 {}
