import Testing
import ZeroMQ
@testable import Server

@Suite("batch buffer pool")
struct BatchBufferPoolTests {
    @Test("a released batch buffer is handed out again for the same size, and the idle bytes stay bounded")
    func reuseAndBound() throws {
        let pool = BatchBufferPool(maxPooledBytes: 3 * 100_000, minimumBytes: 65_536)
        var first: UnsafeRawPointer?
        do {
            let m = try pool.message(count: 100_000)
            m.withUnsafeMutableBytes { $0.storeBytes(of: 42, toByteOffset: 0, as: UInt64.self) }
            first = m.withUnsafeBytes { UnsafeRawPointer($0.baseAddress) }
            #expect(m.count == 100_000)
        }  // dropped unsent: libzmq releases the buffer into the pool
        #expect(pool.idleBytes == 100_000)
        let again = try pool.message(count: 100_000)
        #expect(again.withUnsafeBytes { UnsafeRawPointer($0.baseAddress) } == first)
        #expect(pool.idleBytes == 0)
        // Another size gets its own buffer; small frames are ordinary messages and never pooled.
        let other = try pool.message(count: 200_000)
        #expect(other.withUnsafeBytes { UnsafeRawPointer($0.baseAddress) } != first)
        _ = try pool.message(count: 1_000)
        #expect(pool.idleBytes == 0)
        // Five buffers released at once: only three fit under the 300,000-byte bound; the rest are freed.
        var many: [Message]? = try (0..<5).map { _ in try pool.message(count: 100_000) }
        #expect(many?.count == 5)
        many = nil
        #expect(pool.idleBytes == 300_000)
        _ = again
        _ = other
    }

    @Test("a batch frame sent over a real socket comes back to the pool once libzmq is done with it")
    func releasedAfterSend() throws {
        let pool = BatchBufferPool(maxPooledBytes: 1 << 20, minimumBytes: 1)
        let context = try Context()
        let pull = try Socket(context, type: .pull)
        let push = try Socket(context, type: .push)
        _ = try pull.bind("inproc://pool-test")
        try push.connect("inproc://pool-test")
        let m = try pool.message(count: 70_000)
        m.withUnsafeMutableBytes { raw in for i in 0..<raw.count { raw[i] = UInt8(truncatingIfNeeded: i) } }
        try push.send(multipart: [m])
        let received = try #require(try pull.receiveMultipart())
        #expect(received[0].bytes == (0..<70_000).map { UInt8(truncatingIfNeeded: $0) })
        _ = consume received
        _ = consume m
        // libzmq dropped its share when the receiver's message went away (inproc passes the buffer itself).
        #expect(pool.idleBytes == 70_000)
        try push.close()
        try pull.close()
    }
}
