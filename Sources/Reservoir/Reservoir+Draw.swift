import SluiceModel

extension Reservoir {
    /// Serves up to `count` samples to rank `rank` of `group`. Returns fewer (possibly none) when fewer are
    /// available, and none before the watermark is reached.
    ///
    /// - `.fifo`: the group's oldest undrawn samples, in insertion order. The ranks share the group's queue, so
    ///   they are disjoint. A sample is consumed (removed, freeing its bytes) once every required group has drawn it.
    /// - `.firo`: like `.fifo`, but each sample is picked uniformly among the group's undrawn ones.
    /// - `.reservoir`, `.uniform`: `min(count, available)` distinct samples picked uniformly among the rank's share of
    ///   the present samples; they stay stored and may be drawn again by later calls (with replacement across calls).
    ///   Rank `r` of a world of `n` owns the samples with `id % n == r`: the rule needs no coordination between
    ///   ranks, keeps their draws disjoint at all times, gives each rank a uniform draw within its share, and since
    ///   identifiers are dense and evictions random the shares stay balanced in expectation.
    ///
    /// Cost: O(count × groups) expected (`.fifo` skips each removed identifier once per group, amortised O(1)).
    ///
    /// - Throws: ``ReservoirError`` for an unknown group, a rank outside `0..<worldSize`, or a negative count.
    public mutating func draw(group name: String, rank: Int, count: Int) throws(ReservoirError) -> [Drawn<Element>] {
        let g = try position(ofGroup: name, rank: rank)
        guard count >= 0 else {
            throw .negativeCount(group: name, count: count)
        }
        guard isWatermarkReached, count > 0 else { return [] }
        var result: [Drawn<Element>] = []
        switch policy {
        case .fifo:
            while result.count < count, groups[g].pending > 0 {
                let id = SampleID(rawValue: groups[g].cursor)
                groups[g].cursor += 1
                // Ids below nextID that are absent were removed; the cursor skips each once.
                guard let position = slotIndex[id] else { continue }
                groups[g].pending -= 1
                result.append(serve(at: position, toGroupAt: g))
            }
        case .firo:
            while result.count < count, let id = groups[g].undrawn.removeRandom(using: &generator) {
                guard let position = slotIndex[id] else {
                    preconditionFailure("group '\(name)' had \(id) undrawn, but it is not stored")
                }
                result.append(serve(at: position, toGroupAt: g))
            }
        case .reservoir, .uniform:
            let k = min(count, groups[g].partitions[rank].count)
            let ids = groups[g].partitions[rank].sampleWithoutReplacement(k, using: &generator)
            result.reserveCapacity(k)
            for id in ids {
                guard let position = slotIndex[id] else {
                    preconditionFailure("rank \(rank) of group '\(name)' owns \(id), but it is not stored")
                }
                result.append(serve(at: position, toGroupAt: g))
            }
        }
        return result
    }

    /// How many samples rank `rank` of `group` could receive now: 0 before the watermark; for `.fifo` and `.firo`
    /// the group's undrawn samples (shared by its ranks); for `.reservoir` and `.uniform` the present samples the rank
    /// owns (the most one ``draw(group:rank:count:)`` returns; they can be drawn again later).
    ///
    /// - Throws: ``ReservoirError`` for an unknown group or a rank outside `0..<worldSize`.
    public func available(group name: String, rank: Int) throws(ReservoirError) -> Int {
        let g = try position(ofGroup: name, rank: rank)
        guard isWatermarkReached else { return 0 }
        switch policy {
        case .fifo: return groups[g].pending
        case .firo: return groups[g].undrawn.count
        case .reservoir, .uniform: return groups[g].partitions[rank].count
        }
    }

    /// The position of an active group in `groups`, after checking the rank.
    private func position(ofGroup name: String, rank: Int) throws(ReservoirError) -> Int {
        guard let g = groupPosition[name] else {
            throw .unknownGroup(name)
        }
        let worldSize = groups[g].worldSize
        guard rank >= 0, rank < worldSize else {
            throw .rankOutOfRange(group: name, rank: rank, worldSize: worldSize)
        }
        return g
    }

    /// Records one draw of the sample at `position` by group `g`, and settles it (a `.fifo`/`.firo` sample that
    /// every required group has now drawn is consumed here).
    private mutating func serve(at position: Int, toGroupAt g: Int) -> Drawn<Element> {
        let before = slots[position].serveCount
        slots[position].serveCount = before + 1
        if before < Self.serveCountOverflow {
            serveCountHistogram[before] -= 1
            serveCountHistogram[before + 1] += 1
        }
        counters.served += 1
        groups[g].drawn += 1
        let slot = groups[g].slot
        if !slots[position].drawnBy.contains(slot) {
            slots[position].drawnBy.insert(slot)
            groups[g].distinctDrawn += 1
        }
        let sample = slots[position]
        _ = settle(at: position)
        return Drawn(id: sample.id, element: sample.element, bytes: sample.bytes, serveCount: sample.serveCount)
    }
}
