import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// An error from libzmq, naming the call that failed and, where one was involved, the endpoint.
///
/// Errors are a struct with a private code (as swift-nio does) so that new kinds can be added without
/// breaking users. Compare with the static members: `error.kind == .terminated`.
public struct ZMQError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The broad kind of failure, for callers that branch on it.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Code: Hashable { case call, terminated, closed, timedOut, unroutable, invalidArgument }
        fileprivate let code: Code
        /// A libzmq call failed with an errno.
        public static let call = Kind(code: .call)
        /// The context was terminated or shut down (ETERM): loops should end cleanly.
        public static let terminated = Kind(code: .terminated)
        /// The socket or context was already closed by this process.
        public static let closed = Kind(code: .closed)
        /// A receive or send timed out (RCVTIMEO / SNDTIMEO or a poll deadline).
        public static let timedOut = Kind(code: .timedOut)
        /// A ROUTER with ROUTER_MANDATORY could not route to the given peer (EHOSTUNREACH).
        public static let unroutable = Kind(code: .unroutable)
        /// The caller passed a value libzmq or this wrapper refuses.
        public static let invalidArgument = Kind(code: .invalidArgument)
        public var description: String { "\(code)" }
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The libzmq function (or wrapper operation) that failed, e.g. `zmq_bind`.
    public let call: String
    /// The errno libzmq reported (0 when the wrapper itself refused).
    public let errno: Int32
    /// Context such as the endpoint or option involved.
    public let detail: String?

    init(kind: Kind, call: String, errno: Int32, detail: String?) {
        self.kind = kind
        self.call = call
        self.errno = errno
        self.detail = detail
    }

    /// The error for a failed call, classified by errno.
    static func failed(_ call: String, errno code: Int32, detail: String? = nil) -> ZMQError {
        let kind: Kind
        switch code {
        case ETERM: kind = .terminated
        case EAGAIN: kind = .timedOut
        case EHOSTUNREACH: kind = .unroutable
        case EINVAL: kind = .invalidArgument
        default: kind = .call
        }
        return ZMQError(kind: kind, call: call, errno: code, detail: detail)
    }

    static func closed(_ call: String) -> ZMQError {
        ZMQError(kind: .closed, call: call, errno: 0, detail: "socket or context already closed")
    }

    static func invalid(_ call: String, _ detail: String) -> ZMQError {
        ZMQError(kind: .invalidArgument, call: call, errno: 0, detail: detail)
    }

    public var description: String {
        var text = "\(call) failed"
        if let detail { text += " (\(detail))" }
        if errno != 0 { text += ": \(String(cString: zmq_strerror(errno))) [errno \(errno)]" }
        return text
    }
}

/// Runs one libzmq call the way every call in this module is run: EINTR is retried, EAGAIN is reported as
/// `nil` ("would block"), and any other failure throws a `ZMQError` naming the call.
@inline(__always)
func zmqCall(_ name: String, detail: @autoclosure () -> String? = nil, _ body: () -> Int32) throws -> Int32? {
    while true {
        let rc = body()
        if rc >= 0 { return rc }
        let code = zmq_errno()
        if code == EINTR { continue }
        if code == EAGAIN { return nil }
        throw ZMQError.failed(name, errno: code, detail: detail())
    }
}

/// Like `zmqCall` for calls that cannot block: EAGAIN is an error too.
@inline(__always)
@discardableResult
func zmqCheck(_ name: String, detail: @autoclosure () -> String? = nil, _ body: () -> Int32) throws -> Int32 {
    guard let rc = try zmqCall(name, detail: detail(), body) else {
        throw ZMQError.failed(name, errno: EAGAIN, detail: detail())
    }
    return rc
}
