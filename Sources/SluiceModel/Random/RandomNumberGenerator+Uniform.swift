extension RandomNumberGenerator {
    /// A uniformly distributed integer in `0..<bound`, computed by a fixed algorithm so that a seeded run replays
    /// identically on every platform and Swift version.
    ///
    /// The standard library's `Int.random(in:using:)` is deterministic for a given generator, but its algorithm is
    /// not part of its contract; this one is D. Lemire's nearly divisionless method ("Fast random integer generation
    /// in an interval", ACM TOMACS 29(1), 2019): exact (no modulo bias), and it consumes one 64-bit output except with
    /// probability below `bound / 2^64`.
    ///
    /// - Precondition: `bound > 0`.
    public mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0, "uniform(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            // Reject the low products that would make some results one step more likely than others.
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }
}
