/// Heartbeat bookkeeping for one peer (the Paranoid Pirate pattern, zguide ch. 4): send a HEARTBEAT after
/// `interval` without sending anything else, and consider the peer gone after `liveness` intervals without
/// hearing from it. A state machine over an injected clock's instants, so tests advance time instead of sleeping.
public struct Liveness<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration, Instant: Sendable {
    /// What the owner should do now.
    public enum Action: Equatable, Sendable {
        case none
        case sendHeartbeat
        case peerLost
    }

    public let interval: Duration
    public let liveness: Int
    public private(set) var lastReceived: Instant
    public private(set) var lastSent: Instant

    public init(interval: Duration = .seconds(1), liveness: Int = 3, now: Instant) {
        precondition(liveness >= 1 && interval > .zero, "heartbeat interval and liveness must be positive")
        self.interval = interval
        self.liveness = liveness
        self.lastReceived = now
        self.lastSent = now
    }

    /// Any message from the peer counts as a sign of life.
    public mutating func received(at now: Instant) { lastReceived = now }

    /// Any message to the peer counts as a heartbeat.
    public mutating func sent(at now: Instant) { lastSent = now }

    /// When the peer is declared lost if nothing arrives.
    public var expiry: Instant { lastReceived.advanced(by: interval * liveness) }

    /// When the next heartbeat is due if nothing else is sent.
    public var heartbeatDue: Instant { lastSent.advanced(by: interval) }

    /// The earliest instant at which `check` may return something other than `.none`.
    public var nextDeadline: Instant { min(expiry, heartbeatDue) }

    /// What to do at `now`. `.peerLost` takes precedence over `.sendHeartbeat`.
    public func check(at now: Instant) -> Action {
        if now >= expiry { return .peerLost }
        if now >= heartbeatDue { return .sendHeartbeat }
        return .none
    }
}

/// Reconnect back-off: the first retry after `initial`, doubling up to `maximum`, reset on success
/// (Paranoid Pirate: 1 s to 32 s).
public struct Backoff: Sendable, Equatable {
    public let initial: Duration
    public let maximum: Duration
    public private(set) var current: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(32)) {
        precondition(initial > .zero && maximum >= initial, "back-off needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    /// The delay before the next attempt; doubles the one after.
    public mutating func next() -> Duration {
        let delay = current
        current = min(current * 2, maximum)
        return delay
    }

    /// Back to `initial` after a successful connection.
    public mutating func reset() { current = initial }
}

extension Duration {
    /// Milliseconds, rounded down, for libzmq time-outs.
    public var milliseconds: Int {
        let (s, atto) = components
        return Int(s) * 1000 + Int(atto / 1_000_000_000_000_000)
    }

    /// Seconds as a Double.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
