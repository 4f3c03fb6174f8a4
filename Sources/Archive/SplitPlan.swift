import SluiceModel

/// The three splits of a dataset, The Well's folder names.
public enum Split: String, Codable, Sendable, Hashable, CaseIterable {
    case train, valid, test
}

/// How members are divided into train/valid/test: by fractions, reproducibly from a seed.
///
/// With the member list known (standalone export) the members are shuffled with the seed and cut by the
/// fractions, so the counts are exact (`round(fraction * n)`, the remainder to train). Streaming from a server,
/// where the member list is not known in advance, each member's split is drawn from a generator seeded by
/// `(seed, member)`: reproducible, and the fractions hold on average.
public struct SplitPlan: Codable, Sendable, Hashable {
    public var train: Double
    public var valid: Double
    public var test: Double
    public var seed: UInt64

    public init(train: Double = 0.8, valid: Double = 0.1, test: Double = 0.1, seed: UInt64 = 0) {
        self.train = train
        self.valid = valid
        self.test = test
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey { case train, valid, test, seed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SplitPlan()
        train = try c.decodeIfPresent(Double.self, forKey: .train) ?? d.train
        valid = try c.decodeIfPresent(Double.self, forKey: .valid) ?? d.valid
        test = try c.decodeIfPresent(Double.self, forKey: .test) ?? d.test
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
    }

    /// Checks that the fractions are in [0, 1] and add up to 1.
    public func validate() throws {
        for (name, value) in [("train", train), ("valid", valid), ("test", test)] where !(0...1).contains(value) {
            throw ArchiveError("split fraction \(name) \(value) is outside 0...1")
        }
        guard abs(train + valid + test - 1) < 1e-9 else {
            throw ArchiveError("split fractions train \(train) + valid \(valid) + test \(test) add up to \(train + valid + test), not 1")
        }
    }

    /// Exact assignment of a known member list.
    public func assign(_ members: [UInt64]) -> [UInt64: Split] {
        var generator = Xoshiro256StarStar(seed: seed)
        var order = members.sorted()
        order.shuffle(using: &generator)
        let n = Double(order.count)
        let validCount = Int((valid * n).rounded()), testCount = min(order.count - validCount, Int((test * n).rounded()))
        var result: [UInt64: Split] = [:]
        for (index, member) in order.enumerated() {
            result[member] = index < validCount ? .valid : index < validCount + testCount ? .test : .train
        }
        return result
    }

    /// The split of `member` when the member list is not known in advance.
    public func split(of member: UInt64) -> Split {
        var generator = SplitMix64(seed: seed ^ (member &* 0x9E37_79B9_7F4A_7C15))
        _ = generator.next()
        let u = Double(generator.next() >> 11) / Double(1 << 53)
        return u < train ? .train : u < train + valid ? .valid : .test
    }
}
