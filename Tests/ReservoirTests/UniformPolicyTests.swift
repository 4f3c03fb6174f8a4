import Reservoir
import SluiceModel
import Testing

@Suite("Uniform policy (Algorithm R)")
struct UniformPolicyTests {
    static let streamLength = 10_000
    static let capacity = 100
    static let trials = 1_000

    /// How often each stream position is retained after streaming `streamLength` one-byte samples through a
    /// `capacity`-byte uniform reservoir, over `trials` seeds.
    static let retention: [Int] = {
        var counts = Array(repeating: 0, count: streamLength)
        for trial in 0..<trials {
            var reservoir = try! makeReservoir(.uniform, capacity: capacity, seed: UInt64(trial))
            for position in 0..<streamLength {
                _ = reservoir.insert(position, bytes: 1)
            }
            precondition(reservoir.count == capacity, "trial \(trial) kept \(reservoir.count) samples")
            for id in reservoir.storedIDs {
                counts[reservoir[id]!] += 1
            }
        }
        return counts
    }()

    @Test("every stream position is retained equally often (chi-square, p = 0.001)")
    func retentionIsUniform() {
        // 50 bins of 200 positions; each bin expects trials * capacity * 200 / streamLength = 2,000 retentions.
        // Chi-square with 49 degrees of freedom: the p = 0.001 critical value is 85.35.
        let bins = 50
        let perBin = Self.streamLength / bins
        let expected = Double(Self.trials * Self.capacity) / Double(bins)
        var chiSquare = 0.0
        for bin in 0..<bins {
            let observed = Double(Self.retention[(bin * perBin)..<((bin + 1) * perBin)].reduce(0, +))
            chiSquare += (observed - expected) * (observed - expected) / expected
        }
        #expect(chiSquare < 85.35)
        #expect(Self.retention.reduce(0, +) == Self.trials * Self.capacity)
    }

    @Test("the first and last tenth of the stream are each retained at rate k/N")
    func noBiasTowardsEitherEnd() {
        // Per trial, the retained samples from a tenth of the stream are hypergeometric with mean k/10 = 10 and
        // variance 10 * 0.9 * (N - k)/(N - 1) ≈ 8.91; over 1,000 trials the total has mean 10,000 and standard
        // deviation ≈ 94. Allow 5 standard deviations (±470): a sampler that favours old or recent samples (one that
        // replaces the newest stored sample, or a fixed slot, instead of a uniformly random one) misses by thousands.
        let tenth = Self.streamLength / 10
        let first = Self.retention[0..<tenth].reduce(0, +)
        let last = Self.retention[(Self.streamLength - tenth)...].reduce(0, +)
        let expected = Self.trials * Self.capacity / 10
        #expect(abs(first - expected) < 470, "first tenth retained \(first) times, expected \(expected)")
        #expect(abs(last - expected) < 470, "last tenth retained \(last) times, expected \(expected)")
    }

    @Test("inserts never block: a full uniform reservoir replaces or discards, and stays within its bound")
    func neverBlocks() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        var reservoir = try makeReservoir(.uniform, capacity: 500, seed: 11)
        try reservoir.join(group: "a", worldSize: 1)
        var failures = Failures()
        for token in 0..<2_000 {
            let bytes = 1 + rng.uniform(below: 100)
            failures.check(reservoir.wouldAccept(bytes: bytes), "wouldAccept false")
            let outcome = reservoir.insert(token, bytes: bytes)
            failures.check(outcome.kind == "stored" || outcome.kind == "discarded", "insert \(token) \(outcome.kind)")
            failures.check(reservoir.bytes <= 500, "bound exceeded")
        }
        #expect(failures.isEmpty, failures.summary)
        #expect(reservoir.reclaimableBytes == reservoir.bytes)
        let statistics = reservoir.statistics
        #expect(statistics.discarded > 0)
        #expect(statistics.inserted + statistics.discarded == 2_000)
        #expect(statistics.inserted == statistics.count + statistics.evicted)
        #expect(reservoir.insert(-1, bytes: 501).kind == "tooLarge")
    }
}
