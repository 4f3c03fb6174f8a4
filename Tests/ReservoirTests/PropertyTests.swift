import Reservoir
import SluiceModel
import Testing

/// Random operation sequences (200 seeds per policy) checked step by step against ``ReservoirModel``: the byte bound,
/// the watermark, fifo order, firo without replacement, eviction only of seen samples, `.full` only when the seen
/// bytes are short, rank disjointness, the credit invariant and every counter.
@Suite("Reservoir properties over random operation sequences")
struct PropertyTests {
    @Test("every policy keeps its contract under random inserts, joins, leaves and draws", arguments: ReservoirPolicy.allCases)
    func contractHolds(policy: ReservoirPolicy) {
        var failures = Failures()
        var drawn = 0, evictions = 0, full = 0
        for seed in propertySeeds {
            let result = PropertyHarness(policy: policy, scriptSeed: seed).run()
            for message in result.failures.messages {
                failures.check(false, "seed \(seed): \(message)")
            }
            drawn += result.drawnSamples
            evictions += result.evictions
            full += result.fullRejections
        }
        #expect(failures.isEmpty, failures.summary)
        // The scripts must exercise the interesting paths, or the checks above prove little.
        #expect(drawn > 10_000)
        switch policy {
        case .fifo, .firo:
            #expect(full > 100)
        case .reservoir:
            #expect(evictions > 100)
            #expect(full > 100)
        case .uniform:
            #expect(evictions > 100)
        }
    }

    @Test("the same seed and operations replay the same outcomes and draws", arguments: ReservoirPolicy.allCases)
    func sameSeedReplays(policy: ReservoirPolicy) {
        for seed in propertySeeds.prefix(30) {
            var harness = PropertyHarness(policy: policy, scriptSeed: seed)
            harness.checksState = false
            let first = harness.run()
            let second = harness.run()
            #expect(first.trace == second.trace, "seed \(seed)")
        }
    }

    @Test("a different seed gives different draws", arguments: [ReservoirPolicy.firo, .reservoir, .uniform])
    func differentSeedDiffers(policy: ReservoirPolicy) {
        var differing = 0
        let seeds = propertySeeds.prefix(30)
        for seed in seeds {
            var harness = PropertyHarness(policy: policy, scriptSeed: seed, reservoirSeed: seed)
            harness.checksState = false
            let first = harness.run()
            harness.reservoirSeed = seed + 1_000_000
            let second = harness.run()
            if first.trace != second.trace {
                differing += 1
            }
        }
        // A script may draw too little to differ (no group joins, or the watermark is never reached), but most must.
        #expect(differing >= seeds.count * 3 / 4, "\(differing) of \(seeds.count) scripts differ")
    }
}
