import Foundation
import ZeroMQ

#if _endian(big)
#error("the allreduce frames are little-endian floats sent as stored: port the encoding first")
#endif

/// Averages a vector of floats across the ranks of a data-parallel group, over ZeroMQ (star topology).
///
/// Rank 0 binds a ROUTER; ranks 1..n-1 connect DEALERs. Each call, every other rank sends its vector, rank 0 adds
/// them to its own, divides by n, and sends the average back to each: every rank leaves with the same bytes.
/// Two frames per message: a 16-byte little-endian header (`rank u32`, `count u32`, `sequence u64`) and the raw
/// floats. A star costs rank 0 `2 (n - 1)` vector transfers per step; for the surrogate's size (about a million
/// floats, 4 MB) and the handful of ranks one node holds that is milliseconds at loopback speed. A ring would
/// spread the load for large `n`.
///
/// Why ZeroMQ and not MPI: Sluice's processes already speak ZeroMQ over TCP, and trainers start as independent
/// processes (the launcher's consumers, separate Slurm jobs) that join by endpoint; MPI would need one `mpirun`
/// (or `srun --mpi`) for all ranks, a second runtime and build dependency, and gains little at this size.
///
/// Not thread-safe: one thread owns the sockets (they are not `Sendable`).
public final class GradientAllreduce {
    public let rank: Int
    public let worldSize: Int
    /// The endpoint rank 0 is bound to (read back, so a `*` port is resolved).
    public let endpoint: String
    let context: Context
    let socket: Socket
    let timeoutMilliseconds: Int
    var sequence: UInt64 = 0
    /// Rank 0: each peer's ZeroMQ routing identity, by rank, learned from its messages.
    var identities: [Int: Message] = [:]

    /// - Parameters:
    ///   - endpoint: rank 0 binds it (`tcp://127.0.0.1:*` picks a port: read ``endpoint``); the others connect.
    ///   - timeout: how long one call waits for the other ranks before failing.
    public init(rank: Int, worldSize: Int, endpoint: String, timeout: Duration = .seconds(300)) throws {
        guard worldSize >= 1, rank >= 0, rank < worldSize else {
            throw TrainingError.configuration("rank \(rank) is outside a world of \(worldSize)")
        }
        self.rank = rank
        self.worldSize = worldSize
        timeoutMilliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        context = try Context(ioThreads: 1)
        socket = try Socket(context, type: rank == 0 ? .router : .dealer)
        // LINGER 2 s: rank 0's last averages must still leave after the loop ends; HWM 16: at most one message per
        // peer is ever in flight, so a small bound only guards against a misbehaving peer.
        try socket.setLinger(milliseconds: 2000)
        try socket.setSendHighWaterMark(16)
        try socket.setReceiveHighWaterMark(16)
        try socket.setReceiveTimeout(milliseconds: timeoutMilliseconds)
        if rank == 0 {
            try socket.setRouterMandatory(true)  // a reply to a vanished rank fails instead of vanishing
            _ = try socket.bind(endpoint)
            self.endpoint = try socket.lastEndpoint()
        } else {
            try socket.setRoutingID(Array("rank-\(rank)".utf8))
            try socket.connect(endpoint)
            self.endpoint = endpoint
        }
    }

    deinit { try? socket.close() }

    /// Replaces `values` by its average over the ranks. Every rank must call this the same number of times with
    /// vectors of the same length.
    ///
    /// - Throws: ``TrainingError`` naming the ranks that did not answer within the timeout, or a rank whose vector
    ///   has another length or sequence number.
    public func average(_ values: inout [Float]) throws {
        sequence += 1
        guard worldSize > 1 else { return }
        if rank == 0 { try gather(&values) } else { try exchange(&values) }
    }

    func header(count: Int) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        withUnsafeBytes(of: UInt32(rank).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(count).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: sequence.littleEndian) { bytes += $0 }
        return bytes
    }

    /// Reads a header frame: (rank, count, sequence), or nil if it is not 16 bytes.
    static func parseHeader(_ m: Message) -> (rank: Int, count: Int, sequence: UInt64)? {
        m.withUnsafeBytes { raw in
            guard raw.count == 16 else { return nil }
            let r = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let c = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let s = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            return (Int(r), Int(c), s)
        }
    }

    func check(_ h: (rank: Int, count: Int, sequence: UInt64)?, payload: Message, expected count: Int) throws -> Int {
        guard let h else { throw TrainingError.allreduce("allreduce: a message with a malformed header reached rank \(rank)") }
        guard h.count == count, payload.count == count * 4 else {
            throw TrainingError.allreduce("allreduce: rank \(h.rank) sent \(h.count) values (\(payload.count) bytes); rank \(rank) expected \(count): are all ranks training the same model?")
        }
        guard h.sequence == sequence else {
            throw TrainingError.allreduce("allreduce: rank \(h.rank) is at step \(h.sequence), rank \(rank) at \(sequence): ranks must take the same number of steps")
        }
        return h.rank
    }

    private func gather(_ values: inout [Float]) throws {
        let count = values.count
        var sum = values
        var pending = Set(1..<worldSize)
        while !pending.isEmpty {
            guard let frames = try socket.receiveMultipart() else {
                throw TrainingError.allreduce("allreduce step \(sequence): no gradient from rank(s) \(pending.sorted()) within \(timeoutMilliseconds / 1000) s (endpoint \(endpoint))")
            }
            guard frames.count == 3 else {
                throw TrainingError.allreduce("allreduce: a message of \(frames.count) frames reached rank 0; expected identity, header, values")
            }
            let r = try check(Self.parseHeader(frames[1]), payload: frames[2], expected: count)
            guard pending.remove(r) != nil else {
                throw TrainingError.allreduce("allreduce step \(sequence): rank \(r) is outside 1..<\(worldSize) or sent twice")
            }
            identities[r] = frames[0]
            frames[2].withUnsafeBytes { raw in
                sum.withUnsafeMutableBufferPointer { s in
                    for i in 0..<count { s[i] += raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
                }
            }
        }
        let scale = 1 / Float(worldSize)
        for i in 0..<count { sum[i] *= scale }
        values = sum
        let head = try Message(bytes: header(count: count))
        let body = try values.withUnsafeBytes { try Message(copying: $0) }
        for r in 1..<worldSize {
            guard let identity = identities[r] else { continue }
            try socket.send(multipart: [identity, head, body])
        }
    }

    private func exchange(_ values: inout [Float]) throws {
        let count = values.count
        try values.withUnsafeBytes { raw in
            try socket.send(header(count: count), more: true)
            try socket.send(bytes: raw)
        }
        guard let frames = try socket.receiveMultipart() else {
            throw TrainingError.allreduce("allreduce step \(sequence): rank \(rank) got no average from rank 0 at \(endpoint) within \(timeoutMilliseconds / 1000) s")
        }
        guard frames.count == 2 else {
            throw TrainingError.allreduce("allreduce: a message of \(frames.count) frames reached rank \(rank); expected header, values")
        }
        _ = try check(Self.parseHeader(frames[0]), payload: frames[1], expected: count)
        frames[1].withUnsafeBytes { raw in
            values.withUnsafeMutableBytes { dst in dst.copyMemory(from: raw) }
        }
    }

    /// Closes the socket (rank 0 lingers up to 2 s so the last averages leave).
    public func close() { try? socket.close() }
}
