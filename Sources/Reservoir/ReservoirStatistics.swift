/// A snapshot of a ``Reservoir``'s fill, counters and groups, for status replies and metrics.
///
/// Counters are totals since the reservoir was built and satisfy
/// `inserted == count + evicted + consumed` and `serveCounts.total == inserted`.
public struct ReservoirStatistics: Sendable, Codable, Equatable {
    /// The policy in force.
    public var policy: ReservoirPolicy
    /// Samples stored now.
    public var count: Int
    /// Bytes stored now; never above `capacityBytes`.
    public var bytes: Int
    /// The byte bound.
    public var capacityBytes: Int
    /// The most bytes ever stored at once.
    public var peakBytes: Int
    /// Bytes an insert could evict now (see ``Reservoir/reclaimableBytes``).
    public var reclaimableBytes: Int
    /// Stored samples that every required group has drawn (`.reservoir`, `.uniform`; always 0 under `.fifo` and
    /// `.firo`, which consume such samples).
    public var seenCount: Int
    /// The fill at which serving starts.
    public var watermarkBytes: Int
    /// Whether serving has started (see ``Reservoir/isWatermarkReached``).
    public var watermarkReached: Bool
    /// Samples stored, ever.
    public var inserted: Int
    /// Samples served, to all groups, repeats included.
    public var served: Int
    /// Samples removed to make room for a new one (`.reservoir`, `.uniform`).
    public var evicted: Int
    /// Samples removed because no group needed them any more (`.fifo`, `.firo`): not eviction.
    public var consumed: Int
    /// Samples offered under `.uniform` that Algorithm R chose not to keep.
    public var discarded: Int
    /// Samples refused for lack of room (back-pressure).
    public var rejectedFull: Int
    /// Samples refused because they are larger than the capacity.
    public var rejectedTooLarge: Int
    /// How many samples, present or gone, were served how often.
    public var serveCounts: ServeCountHistogram
    /// The active groups, sorted by name.
    public var groups: [GroupStatistics]

    /// Samples offered to ``Reservoir/insert(_:bytes:)``, whatever the outcome.
    public var offered: Int { inserted + discarded + rejectedFull + rejectedTooLarge }
}

/// One active consumer group's counters.
public struct GroupStatistics: Sendable, Codable, Equatable {
    /// The name the group joined with.
    public var name: String
    /// Its number of ranks.
    public var worldSize: Int
    /// Samples served to it, repeats included.
    public var drawn: Int
    /// Distinct samples served to it (a sample drawn again counts once).
    public var distinctDrawn: Int

    public init(name: String, worldSize: Int, drawn: Int, distinctDrawn: Int) {
        self.name = name
        self.worldSize = worldSize
        self.drawn = drawn
        self.distinctDrawn = distinctDrawn
    }
}

/// A histogram of serve counts: how many samples were served exactly `n` times, for `n` below ``overflow``,
/// and how many were served ``overflow`` times or more.
///
/// Serve counts are totals over all groups. Samples count whether still stored or gone, so
/// `total == inserted`.
public struct ServeCountHistogram: Sendable, Codable, Equatable {
    /// Serve counts at or above this share the last bucket.
    public static let overflow = 64

    /// `buckets[n]` for `n < overflow`: samples served exactly `n` times; `buckets[overflow]`: served `overflow`
    /// times or more. Always `overflow + 1` entries.
    public private(set) var buckets: [Int]

    /// A histogram from its `overflow + 1` buckets.
    ///
    /// - Precondition: `buckets.count == overflow + 1`.
    public init(buckets: [Int]) {
        precondition(buckets.count == Self.overflow + 1, "a serve-count histogram has \(Self.overflow + 1) buckets")
        self.buckets = buckets
    }

    /// Samples served exactly `n` times (for `n >= overflow`: served `overflow` times or more).
    public subscript(servedExactly n: Int) -> Int {
        buckets[min(max(n, 0), Self.overflow)]
    }

    /// All samples counted.
    public var total: Int {
        var sum = 0
        for count in buckets { sum += count }
        return sum
    }

    /// Samples served at least once.
    public var servedAtLeastOnce: Int { total - buckets[0] }
}
