/// One consumer group's state: its counters and its view of the stored samples.
///
/// Only the view of the reservoir's policy is used; the others stay empty. Views are updated on every insert and
/// removal (O(1) each), so a draw never scans the samples.
struct ConsumerGroup {
    /// The name the group joined with.
    let name: String
    /// The group's bit in the samples' `required` and `drawnBy` masks.
    let slot: Int
    /// Number of ranks (data-parallel trainers) sharing the group's view.
    var worldSize: Int
    /// Samples served to the group, repeats included.
    var drawn = 0
    /// Samples served to the group at least once (each counted once, even if served again).
    var distinctDrawn = 0

    /// `.fifo`: the next identifier to consider. Every present sample with `id >= cursor` is undrawn by the group,
    /// every present sample below it was drawn by it. Absent identifiers are skipped lazily.
    var cursor: UInt64 = 0
    /// `.fifo`: the number of present samples with `id >= cursor`.
    var pending = 0
    /// `.firo`: the present samples the group has not drawn.
    var undrawn = IndexedSet<SampleID>()
    /// `.reservoir`, `.uniform`: the present samples, split by owning rank (`partitions[r]` holds the ids with
    /// `id % worldSize == r`).
    var partitions: [IndexedSet<SampleID>] = []

    init(name: String, slot: Int, worldSize: Int) {
        self.name = name
        self.slot = slot
        self.worldSize = worldSize
    }
}
