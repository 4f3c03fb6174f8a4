import Logging

/// Logs a recurring problem once per key and interval, then says how many were suppressed, so that a peer that
/// sends garbage cannot flood the log.
struct RateLimitedLog {
    private var lastLogged: [String: ContinuousClock.Instant] = [:]
    private var suppressed: [String: Int] = [:]
    let interval: Duration

    init(interval: Duration = .seconds(10)) { self.interval = interval }

    mutating func warning(_ logger: Logger, key: String, _ message: @autoclosure () -> String) {
        let now = ContinuousClock.now
        if let last = lastLogged[key], now - last < interval {
            suppressed[key, default: 0] += 1
            return
        }
        let skipped = suppressed.removeValue(forKey: key) ?? 0
        lastLogged[key] = now
        logger.warning("\(message())\(skipped > 0 ? " (\(skipped) similar messages suppressed)" : "")")
        if lastLogged.count > 10_000 { lastLogged.removeAll(keepingCapacity: true) }
    }
}
