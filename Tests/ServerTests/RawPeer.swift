import TestSupport
import Transport
import Wire
import ZeroMQ

enum ZeroMQContextForTests {
    static func make() throws -> Context { try Context() }
}

/// A bare DEALER speaking the protocol by hand (no heartbeats, no credit handling).
final class RawPeer {
    let socket: Socket

    init(context: Context, endpoint: String) throws {
        socket = try Socket(context, type: .dealer)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: 3000)
        try socket.connect(endpoint)
    }

    /// Sends HELLO and waits for READY.
    func hello(_ hello: Hello) throws {
        try socket.sendControl(.hello(hello))
        while let frames = try socket.receiveMultipart() {
            if case .ready = try WireCodec().decode(frames) { return }
        }
        throw FrameFile.FormatError(description: "no READY from the server")
    }
}
