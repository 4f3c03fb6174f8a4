import CZeroMQ
import Synchronization

/// A libzmq context: the I/O threads and the registry of sockets.
///
/// libzmq contexts are thread-safe, hence `Sendable`. Every `Socket` keeps its context alive, so the context is
/// terminated (`zmq_ctx_term`) only after all its sockets were closed and released, and can never hang on a live
/// socket. Call `shutdown()` from any thread to make every blocking call on its sockets return
/// `ZMQError.Kind.terminated`, which is how service loops are stopped.
public final class Context: @unchecked Sendable {
    // Invariant for @unchecked Sendable: `handle` is written only under `state`'s lock; libzmq's context
    // functions are thread-safe.
    private let state: Mutex<UnsafeMutableRawPointer?>

    /// Creates a context with the given number of I/O threads (libzmq's default is 1; one thread moves about
    /// 1 GB/s, so a server that ingests several GB/s wants 2 or more).
    public init(ioThreads: Int = 1) throws {
        guard let raw = zmq_ctx_new() else { throw ZMQError.failed("zmq_ctx_new", errno: zmq_errno()) }
        if ioThreads != 1 {
            let rc = zmq_ctx_set(raw, ZMQ_IO_THREADS, Int32(ioThreads))
            if rc != 0 {
                let code = zmq_errno()
                zmq_ctx_term(raw)
                throw ZMQError.failed("zmq_ctx_set(ZMQ_IO_THREADS)", errno: code, detail: "\(ioThreads) threads")
            }
        }
        state = Mutex(raw)
    }

    /// Runs `body` with the raw context pointer; throws if the context was closed.
    @discardableResult
    public func withUnsafeHandle<R>(_ body: (UnsafeMutableRawPointer) throws -> R) throws -> R {
        guard let raw = state.withLock({ $0 }) else { throw ZMQError.closed("context") }
        return try body(raw)
    }

    /// Makes all blocking operations on this context's sockets fail with `.terminated`; sockets must still be
    /// closed. Safe to call from any thread, and more than once.
    public func shutdown() {
        state.withLock { raw in
            if let raw { zmq_ctx_shutdown(raw) }
        }
    }

    /// Terminates the context. All its sockets must have been closed first (they keep the context alive, so this
    /// is only reachable with live sockets by calling it explicitly).
    public func close() throws {
        let raw = state.withLock { raw -> UnsafeMutableRawPointer? in
            defer { raw = nil }
            return raw
        }
        guard let raw else { return }
        _ = try zmqCheck("zmq_ctx_term") { zmq_ctx_term(raw) }
    }

    deinit {
        try? close()
    }
}
