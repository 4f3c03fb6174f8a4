import Reservoir
import SluiceModel
import Testing

@Suite("Reservoir policy (Melissa's)")
struct ReservoirPolicyTests {
    @Test("nothing is served before the watermark, and serving never stops after it")
    func watermarkGatesServing() throws {
        var reservoir = try makeReservoir(.reservoir, capacity: 100, watermark: 50)
        try reservoir.join(group: "a", worldSize: 1)
        for token in 0..<4 {
            _ = reservoir.insert(token, bytes: 12)
            #expect(!reservoir.isWatermarkReached)
            #expect(try reservoir.available(group: "a", rank: 0) == 0)
            #expect(try reservoir.draw(group: "a", rank: 0, count: 10).isEmpty)
        }
        _ = reservoir.insert(4, bytes: 12)  // 60 bytes >= 50
        #expect(reservoir.isWatermarkReached)
        #expect(try reservoir.draw(group: "a", rank: 0, count: 10).count == 5)
        #expect(reservoir.statistics.watermarkReached)
    }

    @Test("a watermark the sizes cannot reach is declared reached when a sample no longer fits")
    func unreachableWatermark() throws {
        // 40-byte samples fill 80 of 100 bytes; a watermark of 90 would otherwise deadlock producer and consumer.
        var reservoir = try makeReservoir(.reservoir, capacity: 100, watermark: 90)
        try reservoir.join(group: "a", worldSize: 1)
        _ = reservoir.insert(0, bytes: 40)
        _ = reservoir.insert(1, bytes: 40)
        #expect(!reservoir.isWatermarkReached)
        #expect(reservoir.insert(2, bytes: 40).kind == "full")
        #expect(reservoir.isWatermarkReached)
        #expect(try reservoir.draw(group: "a", rank: 0, count: 2).count == 2)
    }

    @Test("draws are with replacement across calls, distinct within a call")
    func withReplacement() throws {
        var reservoir = try makeReservoir(.reservoir, capacity: 100, seed: 3)
        try reservoir.join(group: "a", worldSize: 1)
        for token in 0..<5 {
            _ = reservoir.insert(token, bytes: 1)
        }
        var serves = 0
        for _ in 0..<20 {
            let drawn = try reservoir.draw(group: "a", rank: 0, count: 3)
            #expect(drawn.count == 3)
            #expect(Set(drawn.map(\.id)).count == 3)
            serves += drawn.count
        }
        #expect(reservoir.count == 5)
        #expect(reservoir.statistics.served == serves)
        #expect(try reservoir.draw(group: "a", rank: 0, count: 9).count == 5)
    }

    @Test("a full reservoir evicts only samples every required group has seen", arguments: propertySeeds.prefix(100))
    func evictsOnlySeen(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        var reservoir = try makeReservoir(.reservoir, capacity: 120, watermark: 60, seed: seed)
        try reservoir.join(group: "a", worldSize: 2)
        try reservoir.join(group: "b", worldSize: 1)
        var drawnBy: [String: Set<Int>] = ["a": [], "b": []]
        var size: [Int: Int] = [:]
        var failures = Failures()
        var evictions = 0, refusals = 0
        for token in 0..<300 {
            let bytes = 1 + rng.uniform(below: 25)
            let seenBytes = reservoir.reclaimableBytes
            let free = reservoir.freeBytes
            switch reservoir.insert(token, bytes: bytes) {
            case .stored(_, let evicted):
                size[token] = bytes
                for victim in evicted {
                    failures.check(drawnBy["a"]!.contains(victim) && drawnBy["b"]!.contains(victim),
                                   "seed \(seed): evicted \(victim) before both groups drew it")
                    evictions += 1
                }
                failures.check(evicted.isEmpty || bytes > free, "seed \(seed): evicted with room to spare")
            case .full:
                refusals += 1
                failures.check(bytes > free + seenBytes, "seed \(seed): refused \(bytes) with \(free) free + \(seenBytes) seen")
            default:
                failures.check(false, "seed \(seed): unexpected outcome")
            }
            failures.check(reservoir.bytes <= 120, "seed \(seed): bound exceeded")
            // Group b lags: it draws a third as often, so unseen samples pile up and inserts meet back-pressure.
            let group = rng.uniform(below: 4) == 0 ? "b" : "a"
            let rank = group == "a" ? rng.uniform(below: 2) : 0
            for sample in try reservoir.draw(group: group, rank: rank, count: 1 + rng.uniform(below: 3)) {
                drawnBy[group]!.insert(sample.element)
            }
        }
        #expect(failures.isEmpty, failures.summary)
        #expect(evictions > 0)
        #expect(refusals > 0)
    }

    @Test("the seen bytes are reclaimable and make wouldAccept true")
    func reclaimableIsSeen() throws {
        var reservoir = try makeReservoir(.reservoir, capacity: 100)
        try reservoir.join(group: "a", worldSize: 1)
        _ = reservoir.insert(0, bytes: 50)
        _ = reservoir.insert(1, bytes: 50)
        #expect(reservoir.reclaimableBytes == 0)
        #expect(!reservoir.wouldAccept(bytes: 10))
        #expect(reservoir.insert(2, bytes: 10).kind == "full")
        let drawn = try reservoir.draw(group: "a", rank: 0, count: 1)
        #expect(reservoir.reclaimableBytes == 50)
        #expect(reservoir.wouldAccept(bytes: 50))
        #expect(!reservoir.wouldAccept(bytes: 51))
        let outcome = reservoir.insert(3, bytes: 30)
        #expect(outcome.evicted == drawn.map(\.element))
        #expect(reservoir.reclaimableBytes == 0)
        #expect(reservoir.bytes == 80)
        #expect(reservoir.statistics.evicted == 1)
    }

    @Test("reclaim evicts seen samples ahead of an insert, and only under the reservoir policy")
    func reclaimAhead() throws {
        var reservoir = try makeReservoir(.reservoir, capacity: 100, seed: 8)
        try reservoir.join(group: "a", worldSize: 1)
        for token in 0..<10 {
            _ = reservoir.insert(token, bytes: 10)
        }
        let seen = Set(try reservoir.draw(group: "a", rank: 0, count: 4).map(\.element))
        let before = reservoir.freeBytes + reservoir.reclaimableBytes
        let reclaimed = reservoir.reclaim(bytes: 25)
        #expect(reclaimed.count == 3 && Set(reclaimed).isSubset(of: seen))
        #expect(reservoir.freeBytes == 30 && reservoir.reclaimableBytes == 10)
        #expect(reservoir.freeBytes + reservoir.reclaimableBytes == before)
        #expect(reservoir.reclaim(bytes: 1_000).count == 1, "stops when no seen sample is left")
        #expect(reservoir.reclaim(bytes: 10).isEmpty)
        #expect(reservoir.statistics.evicted == 4)

        var fifo = try makeReservoir(.fifo, capacity: 10)
        _ = fifo.insert(0, bytes: 10)
        #expect(fifo.reclaim(bytes: 10).isEmpty)
    }
}
