import Foundation

/// A value behind a lock, as a class so that closures on other threads can share it. An NSLock (a pthread mutex)
/// rather than `Synchronization.Mutex`, whose futex-based implementation ThreadSanitizer cannot see through.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched while holding `lock`.
    private let lock = NSLock()
    private var stored: Value
    public init(_ value: Value) { stored = value }
    public func withLock<R: Sendable>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&stored)
    }
    public var value: Value { withLock { $0 } }
}
