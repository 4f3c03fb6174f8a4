import Foundation
import HDF5

/// A chunk ready to store: its encoded bytes and the statistics of its values.
struct EncodedChunk: Sendable {
    var bytes: [UInt8]
    var statistics: FieldStatistics
}

/// Prepares chunks on several threads while the writer's thread stores them in order with direct chunk writes.
///
/// HDF5 runs its own filters on the thread that holds its (process-wide) lock, so compressing through HDF5 uses
/// one core. Here each chunk is prepared (statistics gathered; shuffle + zlib with `ChunkEncoder` when compression
/// is on) by an `OperationQueue` of `threads` workers; the writer thread hands finished chunks to
/// `Dataset.writeChunk` in submission order, keeping at most `maxInFlight` chunks (and their memory) outstanding.
/// When the chunk it needs next has not been started by any worker (the workers are busy or descheduled on a
/// loaded machine), the writer's thread prepares it itself instead of waiting.
final class ChunkPipeline {
    /// One chunk's preparation: run once, by whichever thread claims it first (a worker, or the writer's thread
    /// when it reaches the chunk before any worker has started it), and taken by the writer's thread.
    final class Slot: @unchecked Sendable {
        // Every access to `work` and `result` happens under `lock`; the writer's thread sleeps on `lock`'s
        // condition until `result` is set.
        private let lock = NSCondition()
        private var work: (@Sendable () throws -> EncodedChunk)?
        private var result: Result<EncodedChunk, any Error>?

        init(_ work: @escaping @Sendable () throws -> EncodedChunk) {
            self.work = work
        }

        /// Runs the work unless another thread has claimed it already.
        func runIfUnclaimed() {
            lock.lock()
            let claimed = work
            work = nil
            lock.unlock()
            guard let claimed else { return }
            let value = Result { try claimed() }
            lock.lock()
            result = value
            lock.broadcast()
            lock.unlock()
        }

        /// The prepared chunk: runs the work on this thread if no worker has started it, else waits for it.
        func take() throws -> EncodedChunk {
            runIfUnclaimed()
            lock.lock()
            defer { lock.unlock() }
            while result == nil { lock.wait() }
            guard let result else { throw ArchiveError("chunk not prepared") }
            return try result.get()
        }
    }

    struct Pending {
        var dataset: Int
        var offset: [Int]
        var slot: Slot
    }

    typealias Write = (_ dataset: Int, _ offset: [Int], _ chunk: EncodedChunk) throws -> Void

    private let queue = OperationQueue()
    private let maxInFlight: Int
    private var pending: [Pending] = []
    private var head = 0

    private let workers: Int

    /// `threads` workers (0: every chunk is prepared on the writer's thread, as HDF5's own filters would be).
    init(threads: Int) {
        workers = max(0, threads)
        queue.maxConcurrentOperationCount = max(1, workers)
        queue.qualityOfService = .userInitiated
        maxInFlight = 4 * max(1, workers)
    }

    /// Queues `prepare` (which builds one chunk) on a worker; writes finished chunks at the head of the queue
    /// through `write` (on this thread), waiting for the oldest when too many are outstanding.
    func submit(dataset: Int, offset: [Int], write: Write, _ prepare: @escaping @Sendable () throws -> EncodedChunk) throws {
        let slot = Slot(prepare)
        if workers > 0 { queue.addOperation { slot.runIfUnclaimed() } }
        pending.append(Pending(dataset: dataset, offset: offset, slot: slot))
        while pending.count - head >= maxInFlight { try writeHead(write) }
    }

    /// Writes every outstanding chunk, in order.
    func drain(write: Write) throws {
        while head < pending.count { try writeHead(write) }
        pending.removeAll()
        head = 0
    }

    /// Drops outstanding chunks (after a failure), waiting for the workers so nothing outlives the pipeline.
    func cancel() {
        queue.cancelAllOperations()
        queue.waitUntilAllOperationsAreFinished()
        pending.removeAll()
        head = 0
    }

    private func writeHead(_ write: Write) throws {
        let item = pending[head]
        head += 1
        try write(item.dataset, item.offset, try item.slot.take())
        if head > 1024 {
            pending.removeFirst(head)
            head = 0
        }
    }
}
