import Synchronization

/// A thread-safe "please stop" flag, set from a signal handler or another thread, read by the server loop.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func request() { flag.store(true, ordering: .sequentiallyConsistent) }
    public var isRequested: Bool { flag.load(ordering: .sequentiallyConsistent) }
}
