import Foundation
import Reservoir
import SluiceModel
import Testing

@Suite("Reservoir statistics")
struct StatisticsTests {
    @Test("counters add up: inserted = present + evicted + consumed, served = total drawn", arguments: ReservoirPolicy.allCases)
    func countersAddUp(policy: ReservoirPolicy) throws {
        var rng = Xoshiro256StarStar(seed: 21)
        var reservoir = try makeReservoir(policy, capacity: 256, watermark: 64, seed: 21)
        try reservoir.join(group: "a", worldSize: 2)
        try reservoir.join(group: "b", worldSize: 1)
        var drawn: [String: Int] = ["a": 0, "b": 0]
        var distinct: [String: Set<SampleID>] = ["a": [], "b": []]
        var outcomes: [String: Int] = [:]
        for token in 0..<1_000 {
            let size = token % 97 == 0 ? 300 : 1 + rng.uniform(below: 40)
            outcomes[reservoir.insert(token, bytes: size).kind, default: 0] += 1
            let group = rng.uniform(below: 2) == 0 ? "a" : "b"
            let samples = try reservoir.draw(group: group, rank: group == "a" ? rng.uniform(below: 2) : 0, count: 3)
            drawn[group]! += samples.count
            distinct[group]!.formUnion(samples.map(\.id))
        }
        let s = reservoir.statistics
        #expect(s.inserted == outcomes["stored"])
        #expect(s.discarded == outcomes["discarded", default: 0])
        #expect(s.rejectedFull == outcomes["full", default: 0])
        #expect(s.rejectedTooLarge == outcomes["tooLarge"])
        #expect(s.offered == 1_000)
        #expect(s.inserted == s.count + s.evicted + s.consumed)
        #expect(s.served == drawn["a"]! + drawn["b"]!)
        #expect(s.groups.map(\.drawn) == [drawn["a"]!, drawn["b"]!])
        #expect(s.groups.map(\.distinctDrawn) == [distinct["a"]!.count, distinct["b"]!.count])
        #expect(s.serveCounts.total == s.inserted)
        #expect(s.count == reservoir.count && s.bytes == reservoir.bytes && s.bytes <= s.capacityBytes)
        #expect(s.peakBytes >= s.bytes && s.peakBytes <= s.capacityBytes)
        #expect(s.watermarkReached)
        switch policy {
        case .fifo, .firo: #expect(s.evicted == 0 && s.consumed > 0 && s.seenCount == 0)
        case .reservoir: #expect(s.evicted > 0 && s.consumed == 0 && s.rejectedFull > 0)
        case .uniform: #expect(s.evicted > 0 && s.consumed == 0 && s.discarded > 0 && s.rejectedFull == 0)
        }
    }

    @Test("the serve-count histogram counts present and gone samples, exactly up to 63 and then in one bucket")
    func serveCountHistogram() throws {
        var reservoir = try makeReservoir(.reservoir, capacity: 3)
        try reservoir.join(group: "a", worldSize: 1)
        _ = reservoir.insert(0, bytes: 1)
        for round in 1...70 {
            let drawn = try reservoir.draw(group: "a", rank: 0, count: 1)
            #expect(drawn.map(\.serveCount) == [round])
        }
        _ = reservoir.insert(1, bytes: 1)
        _ = reservoir.insert(2, bytes: 1)
        // Serve 1 and 2 once each (three distinct per call, so 0 is served a 71st time).
        _ = try reservoir.draw(group: "a", rank: 0, count: 3)
        #expect(reservoir.insert(3, bytes: 1).evicted.count == 1)  // evicts a seen sample: gone, but still counted
        let histogram = reservoir.statistics.serveCounts
        #expect(histogram[servedExactly: 0] == 1)
        #expect(histogram[servedExactly: 1] == 2)
        #expect(histogram[servedExactly: 64] == 1)
        #expect(histogram[servedExactly: 1_000] == 1)
        #expect(histogram.buckets.count == ServeCountHistogram.overflow + 1)
        #expect(histogram.total == 4)
        #expect(histogram.servedAtLeastOnce == 3)
    }

    @Test("statistics round-trip through JSON")
    func codable() throws {
        var reservoir = try makeReservoir(.firo, capacity: 100, watermark: 10)
        try reservoir.join(group: "trainer", worldSize: 4)
        for token in 0..<5 {
            _ = reservoir.insert(token, bytes: 7)
        }
        _ = try reservoir.draw(group: "trainer", rank: 2, count: 2)
        let statistics = reservoir.statistics
        let decoded = try JSONDecoder().decode(ReservoirStatistics.self, from: JSONEncoder().encode(statistics))
        #expect(decoded == statistics)
        #expect(decoded.groups == [GroupStatistics(name: "trainer", worldSize: 4, drawn: 2, distinctDrawn: 2)])
        #expect(decoded.policy == .firo && decoded.count == 3 && decoded.consumed == 2)
    }
}
