import CSluiceShims
import Foundation
import ZeroMQ

/// Bounds what each TCP connection can make the server hold, where libzmq does not.
///
/// libzmq's high-water marks count complete messages, so a peer that sends an endless multipart message (frames
/// that all carry MORE) makes it buffer without limit, and the application never sees any of it. The guard
/// compares, per connection, the bytes the kernel received (TCP_INFO) with the bytes of complete messages the
/// server read (each received frame names its connection's descriptor, ZMQ_SRCFD). Whatever is in between is held
/// by the kernel or by libzmq for that peer; when it exceeds the peer's allowance, the guard shuts the connection
/// down (libzmq then closes it and frees its buffers). The allowance is the bytes its credit entitles it to send
/// (solvers: outstanding credit plus one sample, already inside the reservoir's bound) plus a fixed
/// `connection_allowance_bytes`. It also cuts connections that never say HELLO and those beyond
/// `max_connections` per endpoint.
final class ConnectionGuard {
    struct Tracked {
        let endpoint: Endpoint
        let acceptedAt: ContinuousClock.Instant
        var appBytes: Int64 = 0
        var session: PeerKey?
    }

    /// Bytes of framing and security overhead allowed per frame on top of its payload (ZMTP header up to 9 bytes;
    /// CURVE's MESSAGE command adds a nonce and a MAC).
    static let frameOverhead: Int64 = 64
    /// Greeting, READY and CURVE handshake bytes per connection.
    static let handshakeBytes: Int64 = 4096

    private(set) var connections: [Int32: Tracked] = [:]
    let allowance: Int64
    let helloTimeout: Duration
    let maxConnections: Int

    init(allowance: Int, helloTimeout: Duration, maxConnections: Int) {
        self.allowance = Int64(allowance)
        self.helloTimeout = helloTimeout
        self.maxConnections = maxConnections
    }

    /// A connection was accepted on `endpoint`; returns false if it must be cut (too many connections).
    func accepted(_ fd: Int32, on endpoint: Endpoint, now: ContinuousClock.Instant) -> Bool {
        connections[fd] = Tracked(endpoint: endpoint, acceptedAt: now)
        return connections.values.filter { $0.endpoint == endpoint }.count <= maxConnections
    }

    func closed(_ fd: Int32) { connections[fd] = nil }

    /// The application read one complete message of `frames` frames and `bytes` bytes from `fd`.
    func received(_ fd: Int32, bytes: Int, frames: Int) {
        connections[fd]?.appBytes += Int64(bytes) + Int64(frames) * Self.frameOverhead
    }

    func attach(_ fd: Int32, to session: PeerKey) { connections[fd]?.session = session }

    /// The descriptor of a session's connection.
    func descriptor(of session: PeerKey) -> Int32? { connections.first { $0.value.session == session }?.key }

    /// Connections to cut now and why (`connection-flood`, `no-hello`). `credit(key)` gives a solver session's
    /// entitlement in bytes.
    func violations(now: ContinuousClock.Instant, entitlement: (PeerKey) -> Int64) -> [(Int32, String, String)] {
        var out: [(Int32, String, String)] = []
        for (fd, c) in connections {
            if c.session == nil, now - c.acceptedAt > helloTimeout {
                out.append((fd, "no-hello", "no HELLO within \(helloTimeout.components.seconds) s"))
                continue
            }
            let kernel = csluice_tcp_bytes_received(fd)
            guard kernel >= 0 else { continue }  // not TCP (ipc): a local peer
            let held = Int64(kernel) - c.appBytes - Self.handshakeBytes
            let limit = allowance + (c.session.map(entitlement) ?? 0)
            if held > limit {
                out.append((fd, "connection-flood", "\(held) bytes received but not yet a complete message (allowance \(limit))"))
            }
        }
        return out
    }

    /// Shuts the connection down; libzmq notices and frees it.
    func cut(_ fd: Int32) {
        _ = csluice_shutdown(fd)
        connections[fd] = nil
    }
}
