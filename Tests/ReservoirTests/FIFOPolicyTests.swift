import Reservoir
import SluiceModel
import Testing

@Suite("FIFO policy")
struct FIFOPolicyTests {
    @Test("each group receives the whole stream once, in insertion order", arguments: propertySeeds.prefix(50))
    func twoGroupsSeeWholeStream(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        var reservoir = try makeReservoir(.fifo, capacity: 200, seed: seed)
        try reservoir.join(group: "a", worldSize: 2)
        try reservoir.join(group: "b", worldSize: 1)
        var received: [String: [Int]] = ["a": [], "b": []]
        var offered: [Int] = []
        var failures = Failures()
        var token = 0
        // Producer and two consumers at random relative speeds; a refused sample is offered again (back-pressure).
        while token < 300 || reservoir.count > 0 {
            if token < 300, rng.uniform(below: 2) == 0 {
                let outcome = reservoir.insert(token, bytes: 1 + rng.uniform(below: 30))
                if case .stored = outcome {
                    offered.append(token)
                    token += 1
                } else {
                    failures.check(outcome.kind == "full", "unexpected \(outcome.kind)")
                }
            }
            let group = rng.uniform(below: 2) == 0 ? "a" : "b"
            let rank = group == "a" ? rng.uniform(below: 2) : 0
            received[group]! += try reservoir.draw(group: group, rank: rank, count: 1 + rng.uniform(below: 3)).map(\.element)
            failures.check(reservoir.bytes <= reservoir.capacityBytes, "bound exceeded")
        }
        #expect(failures.isEmpty, failures.summary)
        #expect(received["a"] == offered)
        #expect(received["b"] == offered)
        #expect(reservoir.statistics.consumed == offered.count)
    }

    @Test("a full fifo refuses new samples until a draw frees room, and never evicts")
    func backPressure() throws {
        var reservoir = try makeReservoir(.fifo, capacity: 100)
        try reservoir.join(group: "a", worldSize: 1)
        #expect(reservoir.insert(1, bytes: 60).storedID != nil)
        #expect(!reservoir.wouldAccept(bytes: 50))
        guard case .full(50) = reservoir.insert(50, bytes: 50) else {
            Issue.record("expected back-pressure")
            return
        }
        #expect(reservoir.reclaimableBytes == 0)
        #expect(try reservoir.draw(group: "a", rank: 0, count: 1).map(\.element) == [1])
        #expect(reservoir.bytes == 0)
        #expect(reservoir.wouldAccept(bytes: 100))
        #expect(reservoir.insert(2, bytes: 100).storedID != nil)
        #expect(reservoir.statistics.rejectedFull == 1)
        #expect(reservoir.statistics.evicted == 0)
        guard case .tooLarge(3) = reservoir.insert(3, bytes: 101) else {
            Issue.record("expected a too-large refusal")
            return
        }
    }

    @Test("ranks of a group share one queue, so their draws are disjoint and in order")
    func ranksShareQueue() throws {
        var reservoir = try makeReservoir(.fifo, capacity: 1000)
        try reservoir.join(group: "a", worldSize: 3)
        for token in 0..<30 {
            _ = reservoir.insert(token, bytes: 10)
        }
        var all: [Int] = []
        for round in 0..<10 {
            all += try reservoir.draw(group: "a", rank: round % 3, count: 3).map(\.element)
        }
        #expect(all == Array(0..<30))
        #expect(try reservoir.available(group: "a", rank: 1) == 0)
    }

    @Test("a sample stays until every required group drew it")
    func removalWaitsForAllGroups() throws {
        var reservoir = try makeReservoir(.fifo, capacity: 100)
        try reservoir.join(group: "a", worldSize: 1)
        try reservoir.join(group: "b", worldSize: 1)
        let id = try #require(reservoir.insert(7, bytes: 10).storedID)
        _ = try reservoir.draw(group: "a", rank: 0, count: 5)
        #expect(reservoir.contains(id))
        #expect(try reservoir.draw(group: "a", rank: 0, count: 5).isEmpty)
        #expect(try reservoir.draw(group: "b", rank: 0, count: 5).map(\.id) == [id])
        #expect(!reservoir.contains(id))
        #expect(reservoir.bytes == 0)
    }
}
