import Foundation
import Testing
import TestSupport
@testable import ZeroMQ

/// Endpoints of every transport Sluice uses; tcp binds a wildcard port and reads back the real one.
let transports = ["inproc", "ipc", "tcp"]

func bindEndpoint(_ transport: String) -> String {
    switch transport {
    case "inproc": "inproc://roundtrip-\(UUID().uuidString)"
    case "ipc": uniqueIPCEndpoint("roundtrip")
    default: "tcp://127.0.0.1:*"
    }
}

@Test("multipart PUSH/PULL round trip is byte-exact", arguments: transports)
func pushPullRoundTrip(transport: String) throws {
    let context = try Context()
    let pull = try Socket(context, type: .pull)
    let push = try Socket(context, type: .push)
    try pull.setLinger(milliseconds: 0)
    try push.setLinger(milliseconds: 0)
    let endpoint = try pull.bind(bindEndpoint(transport))
    try push.connect(endpoint)
    try pull.setReceiveTimeout(milliseconds: 20_000)

    // Sizes straddle libzmq's inline (VSM, 33 bytes) limit and reach 64 MiB.
    let sizes = [0, 1, 33, 34, 4096, 1 << 20, 64 << 20]
    let frames = sizes.enumerated().map { patternedBytes(count: $1, seed: UInt64($0 + 1)) }
    try push.send(multipart: frames)
    let received = try #require(try pull.receiveMultipart())
    #expect(received.count == frames.count)
    for (got, want) in zip(received, frames) {
        #expect(got.count == want.count)
        #expect(got.bytes == want)
    }
}

@Test("DEALER/ROUTER round trip carries the routing id and the frames", arguments: transports)
func dealerRouterRoundTrip(transport: String) throws {
    let context = try Context()
    let router = try Socket(context, type: .router)
    let dealer = try Socket(context, type: .dealer)
    try router.setLinger(milliseconds: 0)
    try dealer.setLinger(milliseconds: 0)
    try router.setRouterMandatory(true)
    try router.setReceiveTimeout(milliseconds: 10_000)
    try dealer.setReceiveTimeout(milliseconds: 10_000)
    try dealer.setRoutingID(Array("solver-7".utf8))
    let endpoint = try router.bind(bindEndpoint(transport))
    try dealer.connect(endpoint)

    let payload = patternedBytes(count: 3 << 20, seed: 42)
    try dealer.send(multipart: [Array("HELLO".utf8), payload])
    let request = try #require(try router.receiveMultipart())
    #expect(request.count == 3)
    #expect(request[0].bytes == Array("solver-7".utf8))
    #expect(request[1].bytes == Array("HELLO".utf8))
    #expect(request[2].bytes == payload)

    // Reply by forwarding the received payload frame: shared, not copied.
    try router.send(multipart: [request[0], try Message(bytes: Array("READY".utf8)), request[2]])
    let reply = try #require(try dealer.receiveMultipart())
    #expect(reply.map(\.bytes) == [Array("READY".utf8), payload])
}

@Test("a ROUTER with ROUTER_MANDATORY refuses to send to an unknown peer")
func routerMandatoryUnroutable() throws {
    let context = try Context()
    let router = try Socket(context, type: .router)
    try router.setRouterMandatory(true)
    try router.bind("inproc://mandatory")
    #expect {
        try router.send(multipart: [Array("nobody".utf8), [1, 2, 3]])
    } throws: { error in
        (error as? ZMQError)?.kind == .unroutable
    }
}

@Test("receiving with a frame limit drops and counts the excess frames")
func receiveFrameLimit() throws {
    let context = try Context()
    let pull = try Socket(context, type: .pull)
    let push = try Socket(context, type: .push)
    try pull.bind("inproc://frame-limit")
    try push.connect("inproc://frame-limit")
    try push.send(multipart: (0..<10).map { [UInt8($0)] })
    try push.send(multipart: [[99]])
    let first = try #require(try pull.receiveMultipart(maxFrames: 4))
    #expect(first.frames.map(\.bytes) == [[0], [1], [2], [3]])
    #expect(first.excessFrames == 6)
    // The next message starts cleanly after the dropped frames.
    let second = try #require(try pull.receiveMultipart(maxFrames: 4))
    #expect(second.frames.map(\.bytes) == [[99]])
    #expect(second.excessFrames == 0)
}

@Test("non-blocking receive on an empty socket returns nil, and a receive timeout returns nil")
func nonBlockingAndTimeout() throws {
    let context = try Context()
    let pull = try Socket(context, type: .pull)
    try pull.bind("inproc://empty")
    #expect(try pull.receive(dontWait: true) == nil)
    try pull.setReceiveTimeout(milliseconds: 50)
    let start = Date()
    #expect(try pull.receiveMultipart() == nil)
    #expect(Date().timeIntervalSince(start) >= 0.04)
}

@Test("the poller reports readiness and times out when nothing arrives")
func pollerReadiness() throws {
    let context = try Context()
    let a = try Socket(context, type: .pull)
    let b = try Socket(context, type: .pull)
    try a.bind("inproc://poll-a")
    try b.bind("inproc://poll-b")
    let pushB = try Socket(context, type: .push)
    try pushB.connect("inproc://poll-b")
    let poller = Poller()
    let ia = try poller.register(a)
    let ib = try poller.register(b)
    #expect(try poller.poll(timeoutMilliseconds: 20) == 0)
    try pushB.send([7])
    #expect(try poller.poll(timeoutMilliseconds: 1000) == 1)
    #expect(poller.events(at: ia).isEmpty)
    #expect(poller.events(at: ib).contains(.readable))
    #expect(try b.receive()?.bytes == [7])
}
