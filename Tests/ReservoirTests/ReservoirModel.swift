import Reservoir

/// A deliberately naive model of the documented reservoir semantics (sets and linear scans, no clever indexing),
/// used as the oracle of the property tests. It decides everything the contract fixes, and checks the reservoir's
/// random choices against the sets they must come from.
struct ReservoirModel {
    struct Sample {
        let id: SampleID
        let token: Int
        let bytes: Int
        var required: Set<String>
        var drawnBy: Set<String> = []
        var seen = false
        var serveCount = 0
    }

    struct Group {
        var worldSize: Int
        var drawn = 0
        var distinctDrawn = 0
    }

    let configuration: ReservoirConfiguration
    var present: [SampleID: Sample] = [:]
    var groups: [String: Group] = [:]
    var watermarkReached: Bool
    var nextID: UInt64 = 0
    var inserted = 0, served = 0, evicted = 0, consumed = 0, discarded = 0, rejectedFull = 0, rejectedTooLarge = 0

    init(configuration: ReservoirConfiguration) {
        self.configuration = configuration
        watermarkReached = configuration.watermarkBytes == 0
    }

    var policy: ReservoirPolicy { configuration.policy }
    var bytes: Int { present.values.reduce(0) { $0 + $1.bytes } }
    var freeBytes: Int { configuration.capacityBytes - bytes }
    var seenBytes: Int { present.values.filter(\.seen).reduce(0) { $0 + $1.bytes } }
    var reclaimableBytes: Int {
        switch policy {
        case .fifo, .firo: 0
        case .reservoir: seenBytes
        case .uniform: bytes
        }
    }

    /// Samples the group has not drawn, oldest first.
    func undrawn(by group: String) -> [SampleID] {
        present.values.filter { !$0.drawnBy.contains(group) }.map(\.id).sorted()
    }

    /// Samples rank `rank` of `group` owns under the with-replacement policies.
    func owned(by group: String, rank: Int) -> Set<SampleID> {
        guard let worldSize = groups[group]?.worldSize else { return [] }
        return Set(present.keys.filter { Int($0.rawValue % UInt64(worldSize)) == rank })
    }

    /// Records a stored sample (the reservoir chose its id; the model checks it is the next one).
    mutating func store(id: SampleID, token: Int, bytes: Int) -> Bool {
        let expected = id.rawValue == nextID
        nextID = id.rawValue + 1
        present[id] = Sample(id: id, token: token, bytes: bytes, required: Set(groups.keys))
        inserted += 1
        if self.bytes >= configuration.watermarkBytes {
            watermarkReached = true
        }
        return expected
    }

    /// Removes an evicted sample.
    mutating func evict(_ id: SampleID) {
        present[id] = nil
        evicted += 1
    }

    /// Records one draw; returns the token if the draw consumed the sample.
    mutating func draw(_ id: SampleID, by group: String) -> Int? {
        guard var sample = present[id] else { return nil }
        sample.serveCount += 1
        served += 1
        groups[group]?.drawn += 1
        if sample.drawnBy.insert(group).inserted {
            groups[group]?.distinctDrawn += 1
        }
        present[id] = sample
        return settle(id)
    }

    /// Marks a sample seen once every (non-empty) required group drew it; consumes it under `.fifo`/`.firo`.
    mutating func settle(_ id: SampleID) -> Int? {
        guard var sample = present[id], !sample.seen, !sample.required.isEmpty,
              sample.required.isSubset(of: sample.drawnBy) else { return nil }
        if policy.drawsWithReplacement {
            sample.seen = true
            present[id] = sample
            return nil
        }
        present[id] = nil
        consumed += 1
        return sample.token
    }

    /// Joins or re-sizes a group. The first group to join while none is active adopts the orphans.
    mutating func join(_ group: String, worldSize: Int) {
        if groups[group] != nil {
            groups[group]?.worldSize = worldSize
            return
        }
        let adopts = groups.isEmpty
        groups[group] = Group(worldSize: worldSize)
        guard adopts else { return }
        for id in present.keys where !present[id]!.seen && present[id]!.required.isEmpty {
            present[id]!.required = [group]
        }
    }

    /// Leaves a group; returns the tokens consumed.
    mutating func leave(_ group: String) -> Set<Int> {
        guard groups.removeValue(forKey: group) != nil else { return [] }
        var consumedTokens: Set<Int> = []
        for id in present.keys.sorted() {
            present[id]!.drawnBy.remove(group)
            guard present[id]!.required.remove(group) != nil else { continue }
            if !present[id]!.seen, present[id]!.required.isEmpty {
                present[id]!.required = Set(groups.keys)
            }
            if let token = settle(id) {
                consumedTokens.insert(token)
            }
        }
        return consumedTokens
    }
}
