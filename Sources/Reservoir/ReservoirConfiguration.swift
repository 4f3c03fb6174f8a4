/// The settings of a ``Reservoir``: its policy, byte bound, watermark and seed.
///
/// Decoding fills in the documented defaults for missing keys; ``validate()`` (also run by
/// ``Reservoir/init(configuration:)``) rejects inconsistent values with a message that names them.
public struct ReservoirConfiguration: Sendable, Codable, Equatable, Hashable {
    /// How samples are served and dropped. Required when decoding.
    public var policy: ReservoirPolicy
    /// The bound on the sum of the stored samples' byte sizes; never exceeded. Must be positive. Required when
    /// decoding.
    public var capacityBytes: Int
    /// Serving starts once the stored bytes reach this fill, and then never stops (see
    /// ``Reservoir/isWatermarkReached``). Applies to every policy; it matters most for `.reservoir` and `.uniform`,
    /// whose first draws would otherwise repeat the first few samples. Counted in bytes, like the bound (Melissa
    /// counts samples). Default 0: serve as soon as there is anything. Must be in `0...capacityBytes`.
    public var watermarkBytes: Int
    /// Seeds every random choice (draws, evictions, Algorithm R), so that the same seed and the same sequence of
    /// operations replay exactly. Default 0.
    public var seed: UInt64

    public init(policy: ReservoirPolicy, capacityBytes: Int, watermarkBytes: Int = 0, seed: UInt64 = 0) {
        self.policy = policy
        self.capacityBytes = capacityBytes
        self.watermarkBytes = watermarkBytes
        self.seed = seed
    }

    /// Throws a ``ReservoirError`` naming the offending values unless `capacityBytes > 0` and
    /// `0 <= watermarkBytes <= capacityBytes`.
    public func validate() throws(ReservoirError) {
        guard capacityBytes > 0 else {
            throw .nonPositiveCapacity(capacityBytes)
        }
        guard watermarkBytes >= 0 else {
            throw .negativeWatermark(watermarkBytes)
        }
        guard watermarkBytes <= capacityBytes else {
            throw .watermarkExceedsCapacity(watermark: watermarkBytes, capacity: capacityBytes)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case policy, capacityBytes, watermarkBytes, seed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        policy = try container.decode(ReservoirPolicy.self, forKey: .policy)
        capacityBytes = try container.decode(Int.self, forKey: .capacityBytes)
        watermarkBytes = try container.decodeIfPresent(Int.self, forKey: .watermarkBytes) ?? 0
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(capacityBytes, forKey: .capacityBytes)
        try container.encode(watermarkBytes, forKey: .watermarkBytes)
        try container.encode(seed, forKey: .seed)
    }
}
