import SluiceModel

/// An in-memory, byte-bounded store of samples that serves them to consumer groups under a ``ReservoirPolicy``.
///
/// The reservoir never copies payloads: it keeps each `Element` (usually a class holding received message buffers)
/// with the byte size the caller gave at insert, and hands back every element it lets go of (evicted at insert or
/// by ``reclaim(bytes:)``, consumed at draw or leave) so the caller can release it. It does no I/O and takes no locks: the server owns one
/// reservoir on one thread or actor, so the type is deliberately not `Sendable`.
///
/// ## Invariants (checked after every operation by the tests)
/// - `bytes <= capacityBytes`, always: an insert that would break it is refused (`.full`, `.tooLarge`) or makes
///   room by eviction first.
/// - `inserted == count + evicted + consumed`: every stored sample is present, was evicted to make room, or was
///   consumed (removed because no group needs it any more, under `.fifo` and `.firo`).
/// - A sample's *required groups* are the groups active when it was inserted, minus those that left (a sample
///   stored while no group was active is adopted by the first group to join; see ``join(group:worldSize:)`` and
///   ``leave(group:)``). It is *seen* once every required group has drawn it. A seen sample never becomes unseen,
///   so `reclaimableBytes` only shrinks when an insert or ``reclaim(bytes:)`` evicts (the server's credit rests on
///   this).
/// - `.reservoir` evicts only seen samples; `.fifo` and `.firo` never evict.
/// - While any group is active, every unseen sample has at least one required group.
/// - Every random choice comes from one ``Xoshiro256StarStar`` seeded with the configuration's seed, and no choice
///   depends on hash order: the same seed and operations replay the same draws, evictions and outcomes.
///
/// ## Groups
/// Each named group has its own view and counters; ranks inside a group get disjoint draws. See ``join(group:worldSize:)``
/// and ``leave(group:)`` for samples stored before a group joins and after it leaves.
///
/// ## Cost
/// `insert`, eviction and each drawn sample cost O(1) expected, times the number of active groups (each group's view
/// is updated). `join` and `leave` cost O(stored samples): they build or clear a group's view.
public struct Reservoir<Element> {
    /// The most consumer groups that can be active at once.
    public static var maximumGroups: Int { GroupMask.capacity }
    /// The largest world size a group may join with.
    public static var maximumWorldSize: Int { 1 << 16 }
    /// Serve counts at or above this share the last bucket of ``ReservoirStatistics/serveCounts``.
    static var serveCountOverflow: Int { ServeCountHistogram.overflow }

    /// The validated configuration the reservoir was built with.
    public let configuration: ReservoirConfiguration
    /// The policy in force (`configuration.policy`, kept at hand for the hot paths).
    public let policy: ReservoirPolicy
    /// The byte bound (`configuration.capacityBytes`).
    public let capacityBytes: Int

    /// One stored sample.
    struct Slot {
        let id: SampleID
        let element: Element
        let bytes: Int
        /// Draws of this sample by all groups together.
        var serveCount = 0
        /// Groups that must draw the sample before it is seen (active at insert, minus those that left).
        var required: GroupMask
        /// Active groups that have drawn the sample at least once.
        var drawnBy = GroupMask.empty
        /// Every required group has drawn it (monotone: never reset). Under `.fifo`/`.firo` a seen sample is
        /// consumed at once, so present samples are never seen.
        var isSeen = false
    }

    /// Every stored sample, densely packed (swap-remove), so a uniformly random one is one index away.
    var slots: [Slot] = []
    /// Position of each stored sample in `slots`.
    var slotIndex: [SampleID: Int] = [:]
    /// The identifier the next stored sample gets.
    var nextID: UInt64 = 0
    /// `.reservoir`, `.uniform`: the present samples that are seen (the ones `.reservoir` may evict).
    var seen = IndexedSet<SampleID>()
    /// Sum of the bytes of the samples in `seen`.
    var seenBytes = 0
    /// Active groups in join order (never iterated through a dictionary, so updates replay in a fixed order).
    var groups: [ConsumerGroup] = []
    /// Position of each active group in `groups`.
    var groupPosition: [String: Int] = [:]
    /// Slots of the active groups.
    var activeMask = GroupMask.empty
    /// Present samples stored (or abandoned) while no group was active: unseen, with no required group. The next
    /// group to join adopts them. Empty while any group is active.
    var orphans = IndexedSet<SampleID>()
    /// The source of every random choice.
    var generator: Xoshiro256StarStar
    /// Monotone counters reported by ``statistics``.
    var counters = Counters()
    /// `serveCountHistogram[i]`: samples (present or gone) served exactly `i` times; the last bucket holds
    /// `serveCountOverflow` or more.
    var serveCountHistogram: [Int]

    /// The sum of the stored samples' byte sizes; never above ``capacityBytes``.
    public private(set) var bytes = 0

    /// Whether serving has started. It starts when the stored bytes first reach `watermarkBytes`, or when an offered
    /// sample first fails to fit in the free bytes (the buffer cannot fill further without serving, so waiting for a
    /// watermark it cannot reach would deadlock). Once reached it stays reached, even if evictions or consumption
    /// bring the fill back below the watermark (Melissa's behaviour). With a watermark of 0 it is reached from the
    /// start.
    public internal(set) var isWatermarkReached: Bool

    struct Counters {
        var inserted = 0
        var served = 0
        var evicted = 0
        var consumed = 0
        var discarded = 0
        var rejectedFull = 0
        var rejectedTooLarge = 0
        var streamLength = 0
        var peakBytes = 0
    }

    /// An empty reservoir; throws if the configuration does not validate.
    public init(configuration: ReservoirConfiguration) throws(ReservoirError) {
        try configuration.validate()
        self.configuration = configuration
        policy = configuration.policy
        capacityBytes = configuration.capacityBytes
        generator = Xoshiro256StarStar(seed: configuration.seed)
        isWatermarkReached = configuration.watermarkBytes == 0
        serveCountHistogram = Array(repeating: 0, count: Self.serveCountOverflow + 1)
    }


    /// The number of stored samples.
    public var count: Int { slots.count }

    /// Whether nothing is stored.
    public var isEmpty: Bool { slots.isEmpty }

    /// Whether `id` is stored now.
    public func contains(_ id: SampleID) -> Bool {
        slotIndex[id] != nil
    }

    /// The stored element with this identifier, or nil if it is not stored (never was, or was removed).
    public subscript(id: SampleID) -> Element? {
        slotIndex[id].map { slots[$0].element }
    }

    /// The identifiers of the stored samples, in increasing (insertion) order. O(n log n); for status and tests.
    public var storedIDs: [SampleID] {
        slots.map(\.id).sorted()
    }

    /// The names of the active groups, sorted.
    public var groupNames: [String] {
        groups.map(\.name).sorted()
    }
}

// MARK: - Storage primitives shared by insert, draw and the group operations.

extension Reservoir {
    /// Stores a sample that fits (`bytes <= freeBytes`) and adds it to every group's view.
    mutating func store(_ element: Element, bytes size: Int) -> SampleID {
        let id = SampleID(rawValue: nextID)
        nextID += 1
        if activeMask.isEmpty {
            orphans.insert(id)
        }
        slotIndex[id] = slots.count
        slots.append(Slot(id: id, element: element, bytes: size, required: activeMask))
        bytes += size
        counters.peakBytes = max(counters.peakBytes, bytes)
        counters.inserted += 1
        serveCountHistogram[0] += 1
        for g in groups.indices {
            addToView(id, groupAt: g)
        }
        if bytes >= configuration.watermarkBytes {
            isWatermarkReached = true
        }
        return id
    }

    /// Adds a present sample that group `g` has not drawn to the group's view.
    mutating func addToView(_ id: SampleID, groupAt g: Int) {
        switch policy {
        case .fifo:
            // Stored ids are >= every cursor (cursors never pass nextID), so the sample is pending.
            groups[g].pending += 1
        case .firo:
            groups[g].undrawn.insert(id)
        case .reservoir, .uniform:
            groups[g].partitions[id.rank(worldSize: groups[g].worldSize)].insert(id)
        }
    }

    /// Removes the sample at `position` from storage and from every view; returns it.
    mutating func removeSlot(at position: Int) -> Slot {
        let slot = slots[position]
        let last = slots.removeLast()
        if position < slots.count {
            slots[position] = last
            slotIndex[last.id] = position
        }
        slotIndex[slot.id] = nil
        bytes -= slot.bytes
        if slot.isSeen {
            seen.remove(slot.id)
            seenBytes -= slot.bytes
        }
        if !orphans.isEmpty {
            orphans.remove(slot.id)
        }
        for g in groups.indices {
            switch policy {
            case .fifo:
                if slot.id.rawValue >= groups[g].cursor {
                    groups[g].pending -= 1
                }
            case .firo:
                groups[g].undrawn.remove(slot.id)
            case .reservoir, .uniform:
                groups[g].partitions[slot.id.rank(worldSize: groups[g].worldSize)].remove(slot.id)
            }
        }
        return slot
    }

    /// Marks the sample at `position` seen if every required group has drawn it. Under `.fifo` and `.firo` a seen
    /// sample is consumed: removed and returned. Returns nil otherwise.
    mutating func settle(at position: Int) -> Element? {
        let slot = slots[position]
        guard !slot.isSeen, !slot.required.isEmpty, slot.required.isSubset(of: slot.drawnBy) else { return nil }
        if policy.drawsWithReplacement {
            slots[position].isSeen = true
            seen.insert(slot.id)
            seenBytes += slot.bytes
            return nil
        }
        counters.consumed += 1
        return removeSlot(at: position).element
    }
}
