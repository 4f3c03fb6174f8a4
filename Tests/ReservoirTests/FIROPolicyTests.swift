import Reservoir
import SluiceModel
import Testing

@Suite("FIRO policy")
struct FIROPolicyTests {
    @Test("each sample is drawn at most once per group and eventually by every group", arguments: propertySeeds.prefix(50))
    func withoutReplacementAndComplete(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        var reservoir = try makeReservoir(.firo, capacity: 150, seed: seed)
        try reservoir.join(group: "a", worldSize: 3)
        try reservoir.join(group: "b", worldSize: 1)
        var received: [String: [Int]] = ["a": [], "b": []]
        var stored: [Int] = []
        var failures = Failures()
        var token = 0
        while token < 200 || reservoir.count > 0 {
            if token < 200, rng.uniform(below: 2) == 0 {
                if reservoir.insert(token, bytes: 1 + rng.uniform(below: 20)).storedID != nil {
                    stored.append(token)
                }
                token += 1
            }
            let group = rng.uniform(below: 2) == 0 ? "a" : "b"
            let rank = group == "a" ? rng.uniform(below: 3) : 0
            received[group]! += try reservoir.draw(group: group, rank: rank, count: 1 + rng.uniform(below: 3)).map(\.element)
            failures.check(reservoir.bytes <= reservoir.capacityBytes, "bound exceeded")
        }
        #expect(failures.isEmpty, failures.summary)
        for group in ["a", "b"] {
            let drawn = received[group]!
            #expect(Set(drawn).count == drawn.count, "group \(group) drew a sample twice")
            #expect(drawn.sorted() == stored, "group \(group) missed samples")
        }
    }

    @Test("draw order is random, not insertion order")
    func orderIsRandom() throws {
        var reservoir = try makeReservoir(.firo, capacity: 1000, seed: 5)
        try reservoir.join(group: "a", worldSize: 1)
        for token in 0..<50 {
            _ = reservoir.insert(token, bytes: 1)
        }
        let drawn = try reservoir.draw(group: "a", rank: 0, count: 50).map(\.element)
        #expect(drawn.sorted() == Array(0..<50))
        #expect(drawn != Array(0..<50))
    }

    @Test("each position of the draw order is uniform over the undrawn samples")
    func firstDrawIsUniform() throws {
        // The first of 10 present samples drawn, over 5,000 seeds: chi-square with 9 degrees of freedom,
        // p = 0.001 critical value 27.88.
        var counts = Array(repeating: 0, count: 10)
        for seed in 0..<5_000 {
            var reservoir = try makeReservoir(.firo, capacity: 100, seed: UInt64(seed))
            try reservoir.join(group: "a", worldSize: 1)
            for token in 0..<10 {
                _ = reservoir.insert(token, bytes: 1)
            }
            let first = try #require(try reservoir.draw(group: "a", rank: 0, count: 1).first)
            counts[first.element] += 1
        }
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - 500) * (Double($1) - 500) / 500 }
        #expect(chiSquare < 27.88, "counts \(counts)")
    }
}
