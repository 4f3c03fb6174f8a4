import Foundation
import ZeroMQ

/// Reusable buffers for BATCH frames.
///
/// The server maps every large allocation fresh (see `ReservoirServer.tuneProcessMemory`), so that freed sample
/// buffers go back to the system and its RSS stays near the reservoir's bound. For batch frames, which are built
/// and dropped hundreds of times a second, that means a page fault per 4 KiB of every batch on every batch (a
/// 32 x 64x64 float32 batch is 128 faults; profiled as the largest cost of serving). The pool keeps up to
/// `maxPooledBytes` of freed batch buffers, keyed by exact size (a stream's batches mostly share one size), and
/// hands them out again with their pages already mapped. libzmq returns a buffer through the message's release
/// callback, from its I/O thread, once the frame is on the wire; the pool is locked for that.
final class BatchBufferPool: @unchecked Sendable {
    // @unchecked: `free` and `pooledBytes` are only touched while holding `lock`.
    private let lock = NSLock()
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]
    private var pooledBytes = 0
    /// The most bytes of idle buffers kept; beyond it released buffers are freed.
    let maxPooledBytes: Int
    /// Frames smaller than this are ordinary messages (malloc serves them from the heap without faults).
    let minimumBytes: Int

    init(maxPooledBytes: Int = 32 << 20, minimumBytes: Int = 64 << 10) {
        self.maxPooledBytes = maxPooledBytes
        self.minimumBytes = minimumBytes
    }

    deinit {
        for (_, list) in free { for p in list { Foundation.free(p) } }
    }

    /// Idle bytes held now.
    var idleBytes: Int { lock.withLock { pooledBytes } }

    /// A message of `count` bytes, for the caller to fill before sending (through `withUnsafeMutableBytes`).
    func message(count: Int) throws -> Message {
        guard count >= minimumBytes else { return try Message(count: count) }
        let reused: UnsafeMutableRawPointer? = lock.withLock {
            guard let p = free[count]?.popLast() else { return nil }
            pooledBytes -= count
            return p
        }
        guard let buffer = reused ?? malloc(count) else {
            throw ConfigurationError("out of memory for a \(count)-byte batch frame")
        }
        let address = UInt(bitPattern: buffer)
        do {
            return try Message(noCopy: buffer, count: count) { [weak self] in
                guard let p = UnsafeMutableRawPointer(bitPattern: address) else { return }
                if let self { self.give(p, count: count) } else { Foundation.free(p) }
            }
        } catch {
            Foundation.free(buffer)
            throw error
        }
    }

    private func give(_ buffer: UnsafeMutableRawPointer, count: Int) {
        let kept: Bool = lock.withLock {
            guard pooledBytes + count <= maxPooledBytes else { return false }
            free[count, default: []].append(buffer)
            pooledBytes += count
            return true
        }
        if !kept { Foundation.free(buffer) }
    }
}
