import Testing
@testable import Transport

/// A clock instant the tests move by hand.
struct FakeInstant: InstantProtocol, Sendable {
    var offset: Duration
    func advanced(by duration: Duration) -> FakeInstant { FakeInstant(offset: offset + duration) }
    func duration(to other: FakeInstant) -> Duration { other.offset - offset }
    static func < (a: FakeInstant, b: FakeInstant) -> Bool { a.offset < b.offset }
}

@Test("liveness asks for a heartbeat after one quiet interval and declares the peer lost after three")
func livenessTimeline() {
    let t0 = FakeInstant(offset: .zero)
    var l = Liveness(interval: .seconds(1), liveness: 3, now: t0)
    #expect(l.check(at: t0.advanced(by: .milliseconds(999))) == .none)
    #expect(l.check(at: t0.advanced(by: .seconds(1))) == .sendHeartbeat)
    l.sent(at: t0.advanced(by: .seconds(1)))
    #expect(l.check(at: t0.advanced(by: .milliseconds(1500))) == .none)
    #expect(l.nextDeadline == t0.advanced(by: .seconds(2)))
    #expect(l.check(at: t0.advanced(by: .milliseconds(2999))) == .sendHeartbeat)
    #expect(l.check(at: t0.advanced(by: .seconds(3))) == .peerLost)
    // Hearing from the peer pushes the expiry back.
    l.received(at: t0.advanced(by: .milliseconds(2500)))
    #expect(l.check(at: t0.advanced(by: .seconds(3))) == .sendHeartbeat)
    #expect(l.expiry == t0.advanced(by: .milliseconds(5500)))
    #expect(l.check(at: t0.advanced(by: .milliseconds(5500))) == .peerLost)
}

@Test("back-off doubles from 1 s to 32 s and resets")
func backoffSequence() {
    var b = Backoff()
    let delays = (0..<8).map { _ in b.next() }
    #expect(delays == [1, 2, 4, 8, 16, 32, 32, 32].map { Duration.seconds($0) })
    b.reset()
    #expect(b.next() == .seconds(1))
    #expect(Duration.milliseconds(1500).milliseconds == 1500)
    #expect(Duration.milliseconds(250).seconds == 0.25)
}
