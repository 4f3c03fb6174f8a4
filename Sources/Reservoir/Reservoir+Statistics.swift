extension Reservoir {
    /// A snapshot of the fill, counters, serve-count histogram and active groups. O(groups log groups).
    public var statistics: ReservoirStatistics {
        ReservoirStatistics(
            policy: policy,
            count: count,
            bytes: bytes,
            capacityBytes: capacityBytes,
            peakBytes: counters.peakBytes,
            reclaimableBytes: reclaimableBytes,
            seenCount: seen.count,
            watermarkBytes: configuration.watermarkBytes,
            watermarkReached: isWatermarkReached,
            inserted: counters.inserted,
            served: counters.served,
            evicted: counters.evicted,
            consumed: counters.consumed,
            discarded: counters.discarded,
            rejectedFull: counters.rejectedFull,
            rejectedTooLarge: counters.rejectedTooLarge,
            serveCounts: ServeCountHistogram(buckets: serveCountHistogram),
            groups: groups
                .map { GroupStatistics(name: $0.name, worldSize: $0.worldSize, drawn: $0.drawn, distinctDrawn: $0.distinctDrawn) }
                .sorted { $0.name < $1.name }
        )
    }
}
