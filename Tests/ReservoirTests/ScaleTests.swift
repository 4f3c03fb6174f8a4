import Reservoir
import SluiceModel
import Testing

/// Operations must be O(1) per sample (times the number of groups), never a scan of the stored samples: at
/// 200,000 operations over a few thousand stored samples, any O(n) step per operation would take minutes. This
/// checks correctness at that scale; it does not time anything (benchmarks live elsewhere).
@Suite("Reservoir at scale")
struct ScaleTests {
    @Test("200,000 small samples stream through each policy with draws in between", arguments: ReservoirPolicy.allCases)
    func manySamples(policy: ReservoirPolicy) throws {
        let operations = 50_000  // per policy: 200,000 inserts in all
        var rng = Xoshiro256StarStar(seed: 2024)
        var reservoir = try makeReservoir(policy, capacity: 40_000, watermark: 10_000, seed: 2024)
        try reservoir.join(group: "a", worldSize: 4)
        try reservoir.join(group: "b", worldSize: 1)
        var served = 0
        var overflow = 0
        for token in 0..<operations {
            let bytes = 1 + rng.uniform(below: 16)
            if reservoir.insert(token, bytes: bytes).storedID == nil {
                overflow += 1
            }
            if reservoir.bytes > reservoir.capacityBytes {
                Issue.record("bound exceeded at \(token)")
                break
            }
            // Group a draws steadily, b in bursts: under fifo/firo the slower group decides what is consumed.
            served += try reservoir.draw(group: "a", rank: token % 4, count: 1).count
            if token % 8 == 0 {
                served += try reservoir.draw(group: "b", rank: 0, count: 8).count
            }
        }
        let s = reservoir.statistics
        #expect(s.inserted + overflow == operations)
        #expect(s.inserted == s.count + s.evicted + s.consumed)
        #expect(s.served == served)
        #expect(served > operations)
        #expect(reservoir.invariantViolations().isEmpty)
    }
}
