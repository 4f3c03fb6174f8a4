extension Reservoir {
    /// Every broken internal invariant, described; empty when the state is consistent. O(stored samples × groups):
    /// a test hook, called by the tests after every operation, never by the server.
    package func invariantViolations() -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        check(bytes <= capacityBytes, "bytes \(bytes) exceed capacity \(capacityBytes)")
        check(counters.peakBytes >= bytes, "peak \(counters.peakBytes) below bytes \(bytes)")
        check(bytes < configuration.watermarkBytes || isWatermarkReached, "fill \(bytes) at the watermark but not reached")
        check(slotIndex.count == slots.count, "index has \(slotIndex.count) entries for \(slots.count) slots")
        check(counters.inserted == slots.count + counters.evicted + counters.consumed,
              "inserted \(counters.inserted) != count \(slots.count) + evicted \(counters.evicted) + consumed \(counters.consumed)")
        var histogramTotal = 0
        for count in serveCountHistogram { histogramTotal += count }
        check(histogramTotal == counters.inserted, "histogram total \(histogramTotal) != inserted \(counters.inserted)")

        var storedBytes = 0, seenCount = 0, storedSeenBytes = 0, orphanCount = 0
        for position in slots.indices {
            let slot = slots[position]
            storedBytes += slot.bytes
            check(slotIndex[slot.id] == position, "\(slot.id) indexed at \(String(describing: slotIndex[slot.id])), stored at \(position)")
            check(slot.id.rawValue < nextID, "\(slot.id) not below next id \(nextID)")
            check(slot.drawnBy.isSubset(of: activeMask), "\(slot.id) drawn by inactive groups")
            check(slot.required.isSubset(of: activeMask), "\(slot.id) requires inactive groups")
            let isOrphan = !slot.isSeen && slot.required.isEmpty
            check(!isOrphan || activeMask.isEmpty, "\(slot.id) is an unseen orphan while groups are active")
            check(isOrphan == orphans.contains(slot.id), "\(slot.id) orphan state disagrees with the orphan set")
            if isOrphan { orphanCount += 1 }
            let complete = !slot.required.isEmpty && slot.required.isSubset(of: slot.drawnBy)
            check(!complete || slot.isSeen, "\(slot.id) drawn by all required groups but not seen")
            check(policy.drawsWithReplacement || !slot.isSeen, "\(slot.id) seen but not consumed under \(policy)")
            check(slot.isSeen == seen.contains(slot.id), "\(slot.id) seen flag disagrees with the seen set")
            if slot.isSeen {
                seenCount += 1
                storedSeenBytes += slot.bytes
            }
        }
        check(bytes == storedBytes, "bytes \(bytes) != sum of stored sizes \(storedBytes)")
        check(seen.count == seenCount, "seen set has \(seen.count) members, \(seenCount) samples are seen")
        check(seenBytes == storedSeenBytes, "seen bytes \(seenBytes) != \(storedSeenBytes)")
        check(orphans.count == orphanCount, "orphan set has \(orphans.count) members, \(orphanCount) samples are orphans")

        var mask = GroupMask.empty
        for (g, group) in groups.enumerated() {
            check(groupPosition[group.name] == g, "group '\(group.name)' indexed wrongly")
            check(!mask.contains(group.slot), "two groups share slot \(group.slot)")
            mask.insert(group.slot)
            // Each view must hold exactly the right stored samples: every stored sample is checked for membership,
            // and the view's size must match, so the view holds nothing else.
            var expectedSize = 0
            for slot in slots {
                let undrawn = !slot.drawnBy.contains(group.slot)
                switch policy {
                case .fifo:
                    check((slot.id.rawValue >= group.cursor) == undrawn, "group '\(group.name)': \(slot.id) on the wrong side of the cursor")
                    if undrawn { expectedSize += 1 }
                case .firo:
                    check(group.undrawn.contains(slot.id) == undrawn, "group '\(group.name)': \(slot.id) wrongly (un)drawn")
                    if undrawn { expectedSize += 1 }
                case .reservoir, .uniform:
                    let rank = slot.id.rank(worldSize: group.worldSize)
                    check(rank < group.partitions.count && group.partitions[rank].contains(slot.id),
                          "group '\(group.name)': \(slot.id) missing from rank \(rank)")
                    expectedSize += 1
                }
            }
            switch policy {
            case .fifo:
                check(group.pending == expectedSize, "group '\(group.name)' pending \(group.pending), expected \(expectedSize)")
            case .firo:
                check(group.undrawn.count == expectedSize, "group '\(group.name)' has \(group.undrawn.count) undrawn, expected \(expectedSize)")
            case .reservoir, .uniform:
                check(group.partitions.count == group.worldSize, "group '\(group.name)' has \(group.partitions.count) partitions")
                let size = group.partitions.reduce(0) { $0 + $1.count }
                check(size == expectedSize, "group '\(group.name)' partitions hold \(size), expected \(expectedSize)")
            }
        }
        check(mask == activeMask, "active mask disagrees with the groups")
        return problems
    }
}
