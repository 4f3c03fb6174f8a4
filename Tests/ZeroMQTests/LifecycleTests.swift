import Foundation
import Synchronization
import Testing
import TestSupport
@testable import ZeroMQ

final class ReleaseCounter: Sendable {
    let count = Atomic<Int>(0)
}

@Test("zero-copy send releases its buffer exactly once", arguments: ["inproc", "tcp"])
func zeroCopyReleasesOnce(transport: String) throws {
    let counter = ReleaseCounter()
    let size = 8 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    let pattern = patternedBytes(count: size, seed: 9)
    pattern.withUnsafeBytes { buffer.copyMemory(from: $0) }
    let address = UnsafeRawPointer(buffer.baseAddress!)

    do {
        let context = try Context()
        let pull = try Socket(context, type: .pull)
        let push = try Socket(context, type: .push)
        try pull.setReceiveTimeout(milliseconds: 10_000)
        let endpoint = try pull.bind(transport == "tcp" ? "tcp://127.0.0.1:*" : "inproc://zero-copy")
        try push.connect(endpoint)
        let message = try Message(noCopy: address, count: size) { counter.count.add(1, ordering: .sequentiallyConsistent) }
        try push.send(message)
        var received = try #require(try pull.receive())
        #expect(received.bytes == pattern)
        received = Message()
        _ = received
        // The last share is dropped here (our `message`); libzmq calls back once, possibly from its I/O thread.
    }
    #expect(waitUntil(seconds: 5) { counter.count.load(ordering: .sequentiallyConsistent) >= 1 })
    Thread.sleep(forTimeInterval: 0.1)
    #expect(counter.count.load(ordering: .sequentiallyConsistent) == 1)
    buffer.deallocate()
}

@Test("a message sent twice shares its buffer and stays readable")
func messageSentTwice() throws {
    let context = try Context()
    let pull = try Socket(context, type: .pull)
    let push = try Socket(context, type: .push)
    try pull.bind("inproc://twice")
    try push.connect("inproc://twice")
    let message = try Message(bytes: patternedBytes(count: 100_000, seed: 3))
    try push.send(message)
    try push.send(message)
    #expect(try pull.receive()?.bytes == message.bytes)
    #expect(try pull.receive()?.bytes == message.bytes)
    #expect(message.count == 100_000)
}

@Test("a bad endpoint throws an error that names it")
func badEndpointNamesIt() throws {
    let context = try Context()
    let socket = try Socket(context, type: .router)
    for endpoint in ["tcp://127.0.0.1:notaport", "bogus://x", "tcp://"] {
        do {
            try socket.bind(endpoint)
            Issue.record("bind(\(endpoint)) should have failed")
        } catch let error as ZMQError {
            #expect(error.call == "zmq_bind")
            #expect(error.description.contains(endpoint))
        }
    }
    #expect(throws: ZMQError.self) { try socket.connect("nonsense") }
}

@Test("shutting down the context ends a blocking receive with .terminated")
func shutdownEndsBlockingReceive() throws {
    let context = try Context()
    let outcome = Mutex<String>("running")
    let thread = Thread {
        do {
            let pull = try Socket(context, type: .pull)
            try pull.bind("inproc://shutdown")
            _ = try pull.receive()
            outcome.withLock { $0 = "returned" }
        } catch let error as ZMQError where error.kind == .terminated {
            outcome.withLock { $0 = "terminated" }
        } catch {
            outcome.withLock { $0 = "other: \(error)" }
        }
    }
    thread.start()
    Thread.sleep(forTimeInterval: 0.1)
    context.shutdown()
    #expect(waitUntil(seconds: 5) { outcome.withLock { $0 } != "running" })
    #expect(outcome.withLock { $0 } == "terminated")
}

@Test("a closed socket throws .closed instead of touching freed memory")
func closedSocketThrows() throws {
    let context = try Context()
    let socket = try Socket(context, type: .push)
    try socket.close()
    #expect(socket.isClosed)
    #expect { try socket.send([1]) } throws: { ($0 as? ZMQError)?.kind == .closed }
    try socket.close()  // closing twice is harmless
}

@Test("socket options read back what was set")
func optionsRoundTrip() throws {
    let context = try Context()
    let socket = try Socket(context, type: .dealer)
    try socket.setSendHighWaterMark(17)
    try socket.setReceiveHighWaterMark(23)
    try socket.setLinger(milliseconds: 250)
    try socket.setMaxMessageSize(1 << 30)
    try socket.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 3000, ttlMilliseconds: 3000)
    #expect(try socket.sendHighWaterMark == 17)
    #expect(try socket.receiveHighWaterMark == 23)
    #expect(try socket.linger == 250)
    #expect(try socket.maxMessageSize == 1 << 30)
    #expect(throws: ZMQError.self) { try socket.setRoutingID([]) }
}
