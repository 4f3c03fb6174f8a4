import CZeroMQ

/// What a poll waits for or found.
public struct PollEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }
    /// At least one message can be received without blocking.
    public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// At least one message can be sent without blocking.
    public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
}

/// Waits on several sockets at once (`zmq_poll`).
///
/// Not `Sendable`: it holds sockets, which belong to one thread.
public final class Poller {
    private var items: [zmq_pollitem_t] = []
    private var sockets: [Socket] = []

    public init() {}

    /// Adds `socket` and returns its index, used with `events(at:)`.
    @discardableResult
    public func register(_ socket: Socket, for events: PollEvents = .readable) throws -> Int {
        let raw = try socket.withUnsafeHandle { $0 }
        items.append(zmq_pollitem_t(socket: raw, fd: 0, events: events.rawValue, revents: 0))
        sockets.append(socket)
        return items.count - 1
    }

    /// Changes what is awaited on the socket at `index`.
    public func setInterest(_ events: PollEvents, at index: Int) {
        items[index].events = events.rawValue
    }

    /// Waits until a registered socket is ready or `timeoutMilliseconds` passes (-1: no limit, 0: just check).
    /// Returns the number of ready sockets (0 on time-out). EINTR is retried; a terminated context throws
    /// `.terminated`.
    @discardableResult
    public func poll(timeoutMilliseconds: Int) throws -> Int {
        let count = Int32(items.count)
        let timeout = timeoutMilliseconds
        let ready = try items.withUnsafeMutableBufferPointer { buffer in
            try zmqCall("zmq_poll") { zmq_poll(buffer.baseAddress, count, timeout) }
        }
        return Int(ready ?? 0)
    }

    /// What the last poll found on the socket at `index`.
    public func events(at index: Int) -> PollEvents {
        PollEvents(rawValue: items[index].revents)
    }

    /// The socket at `index`.
    public func socket(at index: Int) -> Socket { sockets[index] }
}
