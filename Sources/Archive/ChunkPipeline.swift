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
final class ChunkPipeline {
    /// One chunk's encoding, filled in by a worker and taken by the writer thread.
    final class Slot: @unchecked Sendable {
        // `result` is written once by the worker before `ready.signal()` and read by the writer thread only after
        // `ready.wait()` returns: the semaphore orders the two accesses.
        private let ready = DispatchSemaphore(value: 0)
        private var result: Result<EncodedChunk, any Error> = .failure(ArchiveError("chunk not encoded"))

        func fulfil(_ value: Result<EncodedChunk, any Error>) {
            result = value
            ready.signal()
        }

        func wait() throws -> EncodedChunk {
            ready.wait()
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

    init(threads: Int) {
        queue.maxConcurrentOperationCount = max(1, threads)
        queue.qualityOfService = .userInitiated
        maxInFlight = 4 * max(1, threads)
    }

    /// Queues `prepare` (which builds one chunk) on a worker; writes finished chunks at the head of the queue
    /// through `write` (on this thread), waiting for the oldest when too many are outstanding.
    func submit(dataset: Int, offset: [Int], write: Write, _ prepare: @escaping @Sendable () throws -> EncodedChunk) throws {
        let slot = Slot()
        queue.addOperation {
            slot.fulfil(Result { try prepare() })
        }
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
        try write(item.dataset, item.offset, try item.slot.wait())
        if head > 1024 {
            pending.removeFirst(head)
            head = 0
        }
    }
}
