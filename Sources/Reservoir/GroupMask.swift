/// A set of consumer-group slots (0..<64) as a bit mask: the groups a sample must still be served to, or the groups
/// that have drawn it. A 64-bit mask keeps per-sample bookkeeping to two words and every test O(1), at the price of
/// at most ``capacity`` active groups (joining beyond that is an error, never a crash).
struct GroupMask: Hashable {
    static let capacity = 64

    private(set) var bits: UInt64

    init(bits: UInt64 = 0) {
        self.bits = bits
    }

    static let empty = GroupMask()

    var isEmpty: Bool { bits == 0 }

    func contains(_ slot: Int) -> Bool {
        bits & (1 << UInt64(slot)) != 0
    }

    mutating func insert(_ slot: Int) {
        bits |= 1 << UInt64(slot)
    }

    mutating func remove(_ slot: Int) {
        bits &= ~(1 << UInt64(slot))
    }

    /// Whether every slot in `self` is also in `other`.
    func isSubset(of other: GroupMask) -> Bool {
        bits & ~other.bits == 0
    }

    /// The lowest slot not in the mask, or nil when all ``capacity`` slots are taken.
    var lowestFreeSlot: Int? {
        bits == .max ? nil : (~bits).trailingZeroBitCount
    }
}
