/// A set with O(1) insert, remove, membership and uniformly random pick.
///
/// Members live in a dense array (whose order carries no meaning) and a dictionary maps each member to its position;
/// removal swaps the last member into the hole. Because the array order depends only on the sequence of operations,
/// random picks replay exactly from a seeded generator (the dictionary is never iterated).
///
/// Invariant: `positions[members[i]] == i` for every `i`, and `positions.count == members.count`.
struct IndexedSet<Member: Hashable> {
    private(set) var members: [Member] = []
    private var positions: [Member: Int] = [:]

    init() {}

    init<S: Sequence>(_ sequence: S) where S.Element == Member {
        for member in sequence {
            insert(member)
        }
    }

    var count: Int { members.count }
    var isEmpty: Bool { members.isEmpty }

    func contains(_ member: Member) -> Bool {
        positions[member] != nil
    }

    /// Adds `member`; returns false if it was already present.
    @discardableResult
    mutating func insert(_ member: Member) -> Bool {
        guard positions[member] == nil else { return false }
        positions[member] = members.count
        members.append(member)
        return true
    }

    /// Removes `member`; returns false if it was absent.
    @discardableResult
    mutating func remove(_ member: Member) -> Bool {
        guard let position = positions.removeValue(forKey: member) else { return false }
        let last = members.removeLast()
        if position < members.count {
            members[position] = last
            positions[last] = position
        }
        return true
    }

    /// A uniformly random member, or nil when empty.
    func randomMember<G: RandomNumberGenerator>(using generator: inout G) -> Member? {
        guard !members.isEmpty else { return nil }
        return members[generator.uniform(below: members.count)]
    }

    /// Removes and returns a uniformly random member, or nil when empty.
    mutating func removeRandom<G: RandomNumberGenerator>(using generator: inout G) -> Member? {
        guard let member = randomMember(using: &generator) else { return nil }
        remove(member)
        return member
    }

    /// `k` distinct members chosen uniformly (a partial Fisher–Yates shuffle of the dense array), in the order
    /// drawn. Reorders the members but keeps the set unchanged. O(k).
    ///
    /// - Precondition: `0 <= k <= count`.
    mutating func sampleWithoutReplacement<G: RandomNumberGenerator>(_ k: Int, using generator: inout G) -> [Member] {
        precondition(k >= 0 && k <= members.count, "cannot pick \(k) distinct members of \(members.count)")
        var picked: [Member] = []
        picked.reserveCapacity(k)
        for i in 0..<k {
            let j = i + generator.uniform(below: members.count - i)
            if j != i {
                members.swapAt(i, j)
                positions[members[i]] = i
                positions[members[j]] = j
            }
            picked.append(members[i])
        }
        return picked
    }
}
