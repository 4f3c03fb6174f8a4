import Reservoir
import SluiceModel
import Testing

@Suite("Consumer groups and ranks")
struct ConsumerGroupTests {
    @Test("ranks of a group draw disjoint samples under every policy", arguments: ReservoirPolicy.allCases)
    func ranksAreDisjoint(policy: ReservoirPolicy) throws {
        for seed in propertySeeds.prefix(20) {
            var rng = Xoshiro256StarStar(seed: seed)
            var reservoir = try makeReservoir(policy, capacity: 300, seed: seed)
            try reservoir.join(group: "a", worldSize: 4)
            var owner: [SampleID: Int] = [:]
            var failures = Failures()
            for token in 0..<400 {
                _ = reservoir.insert(token, bytes: 1 + rng.uniform(below: 20))
                let rank = rng.uniform(below: 4)
                for sample in try reservoir.draw(group: "a", rank: rank, count: 1 + rng.uniform(below: 4)) {
                    if let other = owner[sample.id] {
                        failures.check(other == rank, "seed \(seed): \(sample.id) drawn by ranks \(other) and \(rank)")
                    }
                    owner[sample.id] = rank
                    if policy.drawsWithReplacement {
                        failures.check(Int(sample.id.rawValue % 4) == rank, "seed \(seed): \(sample.id) outside rank \(rank)'s share")
                    }
                }
            }
            #expect(failures.isEmpty, failures.summary)
            #expect(Set(owner.values) == [0, 1, 2, 3])
        }
    }

    @Test("joining again with the same world size changes nothing; a new size re-partitions the ranks")
    func worldSizeChangeRepartitions() throws {
        var reservoir = try makeReservoir(.reservoir, capacity: 100)
        try reservoir.join(group: "a", worldSize: 2)
        for token in 0..<12 {
            _ = reservoir.insert(token, bytes: 1)
        }
        #expect(try reservoir.available(group: "a", rank: 1) == 6)
        _ = try reservoir.draw(group: "a", rank: 0, count: 2)
        try reservoir.join(group: "a", worldSize: 2)
        #expect(reservoir.statistics.groups == [GroupStatistics(name: "a", worldSize: 2, drawn: 2, distinctDrawn: 2)])
        try reservoir.join(group: "a", worldSize: 3)
        #expect(reservoir.statistics.groups == [GroupStatistics(name: "a", worldSize: 3, drawn: 2, distinctDrawn: 2)])
        for rank in 0..<3 {
            #expect(try reservoir.available(group: "a", rank: rank) == 4)
            let drawn = try reservoir.draw(group: "a", rank: rank, count: 4)
            #expect(drawn.allSatisfy { $0.id.rawValue % 3 == UInt64(rank) })
        }
        #expect(throws: ReservoirError.rankOutOfRange(group: "a", rank: 3, worldSize: 3)) {
            try reservoir.draw(group: "a", rank: 3, count: 1)
        }
    }

    @Test("samples stored before any group joins are adopted by the first group, not lost")
    func firstGroupAdoptsEarlySamples() throws {
        var fifo = try makeReservoir(.fifo, capacity: 100)
        for token in 0..<5 {
            _ = fifo.insert(token, bytes: 10)
        }
        try fifo.join(group: "a", worldSize: 1)
        try fifo.join(group: "b", worldSize: 1)
        #expect(try fifo.draw(group: "a", rank: 0, count: 10).map(\.element) == [0, 1, 2, 3, 4])
        #expect(fifo.count == 0, "a adopted the early samples, so they are consumed once a drew them")

        var reservoir = try makeReservoir(.reservoir, capacity: 30)
        for token in 0..<3 {
            _ = reservoir.insert(token, bytes: 10)
        }
        #expect(reservoir.reclaimableBytes == 0, "early samples are not seen, so not evictable")
        try reservoir.join(group: "a", worldSize: 1)
        try reservoir.join(group: "b", worldSize: 1)
        _ = try reservoir.draw(group: "b", rank: 0, count: 3)
        #expect(reservoir.reclaimableBytes == 0, "b joined after a, so it is not required for them")
        _ = try reservoir.draw(group: "a", rank: 0, count: 3)
        #expect(reservoir.reclaimableBytes == 30)
    }

    @Test("a late group may draw older samples but is not required for them")
    func lateGroupDrawsOlderSamples() throws {
        var fifo = try makeReservoir(.fifo, capacity: 100)
        try fifo.join(group: "a", worldSize: 1)
        for token in 0..<3 {
            _ = fifo.insert(token, bytes: 10)
        }
        #expect(try fifo.draw(group: "a", rank: 0, count: 2).map(\.element) == [0, 1])
        try fifo.join(group: "b", worldSize: 1)
        _ = fifo.insert(3, bytes: 10)
        #expect(try fifo.draw(group: "b", rank: 0, count: 5).map(\.element) == [2, 3])
        #expect(fifo.count == 2, "2 still waits for a, 3 for a")
        #expect(try fifo.draw(group: "a", rank: 0, count: 5).map(\.element) == [2, 3])
        #expect(fifo.count == 0)

        var reservoir = try makeReservoir(.reservoir, capacity: 100)
        try reservoir.join(group: "a", worldSize: 1)
        _ = reservoir.insert(0, bytes: 10)
        _ = try reservoir.draw(group: "a", rank: 0, count: 1)
        #expect(reservoir.reclaimableBytes == 10)
        try reservoir.join(group: "b", worldSize: 1)
        #expect(reservoir.reclaimableBytes == 10, "a join never makes a seen sample unseen")
        #expect(try reservoir.draw(group: "b", rank: 0, count: 1).map(\.element) == [0])
    }

    @Test("leaving consumes what only the leaving group still needed, and hands abandoned samples on")
    func leaveReleasesAndHandsOn() throws {
        var fifo = try makeReservoir(.fifo, capacity: 100)
        try fifo.join(group: "a", worldSize: 1)
        try fifo.join(group: "b", worldSize: 1)
        for token in 0..<3 {
            _ = fifo.insert(token, bytes: 10)
        }
        _ = try fifo.draw(group: "a", rank: 0, count: 2)
        #expect(fifo.leave(group: "b").sorted() == [0, 1])
        #expect(fifo.count == 1)
        #expect(fifo.leave(group: "nobody").isEmpty)

        // a is the only required group of 2 and leaves without drawing it: the active group c adopts it.
        try fifo.join(group: "c", worldSize: 1)
        #expect(fifo.leave(group: "a").isEmpty)
        #expect(try fifo.draw(group: "c", rank: 0, count: 5).map(\.element) == [2])
        #expect(fifo.count == 0)

        // With no group left, abandoned samples wait for the next group, and stay unevictable meanwhile.
        var reservoir = try makeReservoir(.reservoir, capacity: 20)
        try reservoir.join(group: "a", worldSize: 1)
        _ = reservoir.insert(0, bytes: 10)
        _ = reservoir.insert(1, bytes: 10)
        _ = try reservoir.draw(group: "a", rank: 0, count: 1)
        #expect(reservoir.reclaimableBytes == 10)
        reservoir.leave(group: "a")
        #expect(reservoir.reclaimableBytes == 10, "the seen sample stays seen")
        #expect(reservoir.insert(2, bytes: 20).kind == "full")
        try reservoir.join(group: "d", worldSize: 1)
        _ = try reservoir.draw(group: "d", rank: 0, count: 2)
        #expect(reservoir.reclaimableBytes == 20)
        #expect(reservoir.insert(2, bytes: 20).evicted.count == 2)
    }

    @Test("invalid group requests are errors that name the problem, not crashes")
    func invalidRequests() throws {
        var reservoir = try makeReservoir(.firo, capacity: 100)
        #expect(throws: ReservoirError.unknownGroup("x")) { try reservoir.draw(group: "x", rank: 0, count: 1) }
        #expect(throws: ReservoirError.unknownGroup("x")) { try reservoir.available(group: "x", rank: 0) }
        #expect(throws: ReservoirError.invalidWorldSize(group: "x", worldSize: 0, maximum: Reservoir<Int>.maximumWorldSize)) {
            try reservoir.join(group: "x", worldSize: 0)
        }
        try reservoir.join(group: "x", worldSize: 2)
        #expect(throws: ReservoirError.rankOutOfRange(group: "x", rank: -1, worldSize: 2)) {
            try reservoir.draw(group: "x", rank: -1, count: 1)
        }
        #expect(throws: ReservoirError.negativeCount(group: "x", count: -3)) {
            try reservoir.draw(group: "x", rank: 1, count: -3)
        }
        for index in 1..<Reservoir<Int>.maximumGroups {
            try reservoir.join(group: "g\(index)", worldSize: 1)
        }
        #expect(throws: ReservoirError.tooManyGroups(group: "one-more", limit: 64)) {
            try reservoir.join(group: "one-more", worldSize: 1)
        }
        reservoir.leave(group: "g7")
        try reservoir.join(group: "one-more", worldSize: 1)
        #expect(reservoir.groupNames.count == 64)
        #expect(ReservoirError.rankOutOfRange(group: "x", rank: 5, worldSize: 2).description
                == "rank 5 is outside consumer group 'x' of world size 2; expected 0..<2")
        #expect(reservoir.invariantViolations().isEmpty)
    }
}
