import SluiceModel

extension Reservoir {
    /// Makes `group` active with `worldSize` ranks (`0..<worldSize`), or updates an active group's world size.
    ///
    /// - A new group's view starts with every sample stored now: it may draw them while they are present, but it is
    ///   not *required* for them (they do not wait for it, and do not become unseen because it joined), so
    ///   `reclaimableBytes` never shrinks on a join. It is required for every sample stored from now on.
    /// - Samples stored while no group was active (or abandoned by every group, see ``leave(group:)``) are adopted by
    ///   the first group to join afterwards: it becomes required for them, so data produced before the first trainer
    ///   connects is not lost. Groups joining after it are not required for them.
    /// - Joining again with the same world size does nothing. Joining again with a different world size
    ///   re-partitions: the group keeps its counters and what it has drawn, and under `.reservoir` and `.uniform`
    ///   the ranks' shares are recomputed from the new size (`id % worldSize`). Under `.fifo` and `.firo` the ranks
    ///   share one queue, so only the size changes. Draws before and after a change are disjoint within each size,
    ///   not across the change.
    ///
    /// Cost: O(stored samples) for a new group or a re-partition, O(1) otherwise.
    ///
    /// - Throws: ``ReservoirError`` if `worldSize` is outside `1...maximumWorldSize`, or if ``maximumGroups`` groups
    ///   are already active.
    public mutating func join(group name: String, worldSize: Int) throws(ReservoirError) {
        guard worldSize >= 1, worldSize <= Self.maximumWorldSize else {
            throw .invalidWorldSize(group: name, worldSize: worldSize, maximum: Self.maximumWorldSize)
        }
        if let g = groupPosition[name] {
            guard groups[g].worldSize != worldSize else { return }
            groups[g].worldSize = worldSize
            if policy.drawsWithReplacement {
                groups[g].partitions = partitionedSamples(worldSize: worldSize)
            }
            return
        }
        guard let slot = activeMask.lowestFreeSlot else {
            throw .tooManyGroups(group: name, limit: Self.maximumGroups)
        }
        let adopts = activeMask.isEmpty
        activeMask.insert(slot)
        groups.append(ConsumerGroup(name: name, slot: slot, worldSize: worldSize))
        groupPosition[name] = groups.count - 1
        buildView(groupAt: groups.count - 1)
        if adopts {
            for id in orphans.members {
                guard let position = slotIndex[id] else {
                    preconditionFailure("orphan \(id) is not stored")
                }
                slots[position].required.insert(slot)
            }
            orphans = IndexedSet()
        }
    }

    /// Makes `group` inactive and returns the samples this consumes. Leaving an unknown group does nothing.
    ///
    /// The group is removed from every sample's required groups, and its counters are dropped (a group that joins
    /// again under the same name starts afresh). Then, for each sample it was required for:
    /// - if the remaining required groups have all drawn it, it becomes seen: under `.fifo` and `.firo` it is
    ///   consumed (removed and returned here); under `.reservoir` it becomes evictable;
    /// - if no required group remains and it is not seen (the group left before drawing it), it is *abandoned*: the
    ///   groups active now become required for it (and it is seen at once if they have all drawn it), or, when no
    ///   group is active, it waits for the next group to join, like a sample stored before any group joined.
    ///
    /// Seen samples stay seen, so `reclaimableBytes` never shrinks on a leave.
    ///
    /// Cost: O(stored samples).
    @discardableResult
    public mutating func leave(group name: String) -> [Element] {
        guard let g = groupPosition[name] else { return [] }
        let slot = groups[g].slot
        groups.remove(at: g)
        groupPosition = Dictionary(uniqueKeysWithValues: groups.indices.map { (groups[$0].name, $0) })
        activeMask.remove(slot)
        var consumed: [Element] = []
        // Backwards, so that a consumption (which moves the last slot into the hole) only moves visited slots.
        for position in slots.indices.reversed() {
            slots[position].drawnBy.remove(slot)
            guard slots[position].required.contains(slot) else { continue }
            slots[position].required.remove(slot)
            if !slots[position].isSeen, slots[position].required.isEmpty {
                slots[position].required = activeMask
                if activeMask.isEmpty {
                    orphans.insert(slots[position].id)
                }
            }
            if let element = settle(at: position) {
                consumed.append(element)
            }
        }
        return consumed
    }

    /// Builds a new group's view: every stored sample, none of which it has drawn.
    private mutating func buildView(groupAt g: Int) {
        switch policy {
        case .fifo:
            groups[g].cursor = slots.lazy.map(\.id.rawValue).min() ?? nextID
            groups[g].pending = slots.count
        case .firo:
            groups[g].undrawn = IndexedSet(slots.lazy.map(\.id))
        case .reservoir, .uniform:
            groups[g].partitions = partitionedSamples(worldSize: groups[g].worldSize)
        }
    }

    /// The stored samples split by owning rank: `result[r]` holds the ids with `id % worldSize == r`.
    private func partitionedSamples(worldSize: Int) -> [IndexedSet<SampleID>] {
        var partitions = Array(repeating: IndexedSet<SampleID>(), count: worldSize)
        for slot in slots {
            partitions[slot.id.rank(worldSize: worldSize)].insert(slot.id)
        }
        return partitions
    }
}
