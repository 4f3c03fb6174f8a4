import Reservoir
import SluiceModel

/// Drives a reservoir and a ``ReservoirModel`` through the same random script (inserts of random sizes, joins with
/// random world sizes, leaves, draws by random ranks, a few invalid requests) and checks the reservoir against the
/// model and the policy's contract after every operation.
///
/// The script depends only on `scriptSeed` (never on the reservoir's random choices), so two runs that differ only
/// in the reservoir's seed perform the same operations.
struct PropertyHarness {
    let policy: ReservoirPolicy
    let scriptSeed: UInt64
    var reservoirSeed: UInt64
    var operations = 150
    /// Whether to compare the reservoir with the model after every operation (determinism checks only need the
    /// trace).
    var checksState = true

    struct Result {
        var failures = Failures()
        /// One line per operation: what was asked and what came back (ids, outcomes), for determinism checks.
        var trace: [String] = []
        var drawnSamples = 0
        var evictions = 0
        var fullRejections = 0
    }

    init(policy: ReservoirPolicy, scriptSeed: UInt64, reservoirSeed: UInt64? = nil) {
        self.policy = policy
        self.scriptSeed = scriptSeed
        self.reservoirSeed = reservoirSeed ?? scriptSeed
    }

    func run() -> Result {
        var script = Xoshiro256StarStar(seed: scriptSeed &* 0x9E37_79B9 &+ UInt64(ReservoirPolicy.allCases.firstIndex(of: policy)!))
        let capacity = 50 + script.uniform(below: 350)
        let watermark = script.uniform(below: 3) == 0 ? 0 : script.uniform(below: capacity + 1)
        let maxSize = max(2, capacity / 4)
        let configuration = ReservoirConfiguration(
            policy: policy, capacityBytes: capacity, watermarkBytes: watermark, seed: reservoirSeed)
        var result = Result()
        guard var reservoir = try? Reservoir<Int>(configuration: configuration) else {
            result.failures.check(false, "configuration \(configuration) rejected")
            return result
        }
        var model = ReservoirModel(configuration: configuration)
        var f = Failures()
        let names = ["a", "b", "c"]
        // Per group: the rank that drew each sample (reset when the world size changes), and for `.fifo`/`.firo`
        // every sample ever drawn (reset when the group leaves).
        var rankOf: [String: [SampleID: Int]] = [:]
        var everDrawn: [String: Set<SampleID>] = [:]
        var lastFIFO: [String: SampleID] = [:]

        if script.uniform(below: 2) == 0 {
            let worldSize = 1 + script.uniform(below: 3)
            try? reservoir.join(group: "a", worldSize: worldSize)
            model.join("a", worldSize: worldSize)
            result.trace.append("join a \(worldSize)")
        }

        for token in 0..<operations {
            let before = (free: reservoir.freeBytes, reclaimable: reservoir.reclaimableBytes)
            let roll = script.uniform(below: 100)
            var insertedBytes = 0
            var reclaims = false
            if roll < 50 {
                // Insert a random size: mostly fitting sizes, sometimes empty or larger than the capacity.
                let sizeRoll = script.uniform(below: 50)
                let size = sizeRoll == 0 ? capacity + 1 : sizeRoll == 1 ? 0 : 1 + script.uniform(below: maxSize)
                insertedBytes = size
                let accepts = reservoir.wouldAccept(bytes: size)
                let freeBefore = model.freeBytes
                let seenBefore = model.seenBytes
                let outcome = reservoir.insert(token, bytes: size)
                result.trace.append("insert \(size): \(outcome.kind) \(outcome.storedID.map { "\($0)" } ?? "") evicted \(outcome.evicted)")
                if size > capacity {
                    model.rejectedTooLarge += 1
                    f.check(outcome.kind == "tooLarge", "op \(token): \(size) > capacity \(capacity) gave \(outcome.kind)")
                    f.check(!accepts, "op \(token): wouldAccept(\(size)) above capacity")
                    continue
                }
                if size > freeBefore {
                    model.watermarkReached = true
                }
                // Which outcomes the contract allows, and what each must look like.
                switch outcome {
                case .tooLarge:
                    f.check(false, "op \(token): \(size) <= capacity \(capacity) but tooLarge")
                case .full:
                    model.rejectedFull += 1
                    result.fullRejections += 1
                    f.check(policy != .uniform, "op \(token): uniform insert blocked")
                    f.check(size > freeBefore, "op \(token): full with \(freeBefore) free for \(size)")
                    if policy == .reservoir {
                        f.check(size > freeBefore + seenBefore,
                                "op \(token): full although free \(freeBefore) + seen \(seenBefore) >= \(size)")
                    }
                case .discarded:
                    model.discarded += 1
                    f.check(policy == .uniform, "op \(token): \(policy) discarded a sample")
                    f.check(size > freeBefore, "op \(token): discarded a sample that fits")
                case .stored(let id, let evicted):
                    var freed = freeBefore
                    for (index, victim) in evicted.enumerated() {
                        guard let sample = model.present.values.first(where: { $0.token == victim }) else {
                            f.check(false, "op \(token): evicted token \(victim) is not stored")
                            continue
                        }
                        f.check(freed < size, "op \(token): eviction \(index) of \(evicted.count) was not needed")
                        if policy == .reservoir {
                            f.check(sample.seen, "op \(token): evicted \(sample.id), not seen by \(sample.required.subtracting(sample.drawnBy))")
                        }
                        freed += sample.bytes
                        model.evict(sample.id)
                        result.evictions += 1
                    }
                    f.check(freed >= size, "op \(token): stored \(size) bytes in \(freed) free")
                    switch policy {
                    case .fifo, .firo: f.check(evicted.isEmpty, "op \(token): \(policy) evicted")
                    case .reservoir: f.check(evicted.isEmpty == (size <= freeBefore), "op \(token): evicted with room to spare")
                    case .uniform: f.check(evicted.isEmpty == (size <= freeBefore), "op \(token): uniform replaced with room to spare")
                    }
                    f.check(model.store(id: id, token: token, bytes: size), "op \(token): id \(id) is not the next one")
                }
                let stored = outcome.storedID != nil
                if policy == .uniform {
                    f.check(accepts, "op \(token): uniform wouldAccept(\(size)) is false")
                } else {
                    f.check(accepts == stored, "op \(token): wouldAccept(\(size)) = \(accepts) but \(outcome.kind)")
                }
            } else if roll < 84 {
                // Draw by a random group (sometimes an inactive one) and a random rank (sometimes out of range).
                let name = names[script.uniform(below: names.count)]
                let worldSize = model.groups[name]?.worldSize ?? 1
                let rank = script.uniform(below: 20) == 0 ? worldSize : script.uniform(below: worldSize)
                let count = 1 + script.uniform(below: 4)
                let available = try? reservoir.available(group: name, rank: rank)
                let drawn: [Drawn<Int>]
                do {
                    drawn = try reservoir.draw(group: name, rank: rank, count: count)
                } catch {
                    let expected: ReservoirError = model.groups[name] == nil
                        ? .unknownGroup(name) : .rankOutOfRange(group: name, rank: rank, worldSize: worldSize)
                    f.check(error == expected, "op \(token): draw threw \(error), expected \(expected)")
                    f.check(available == nil, "op \(token): available answered for an invalid request")
                    result.trace.append("draw \(name) \(rank): \(error)")
                    continue
                }
                f.check(model.groups[name] != nil && rank < worldSize, "op \(token): draw \(name)/\(rank) did not throw")
                result.trace.append("draw \(name) \(rank) \(count): \(drawn.map(\.id))")
                result.drawnSamples += drawn.count
                let ids = drawn.map(\.id)
                f.check(Set(ids).count == ids.count, "op \(token): one draw returned a sample twice: \(ids)")
                let expectedAvailable: Int
                if !model.watermarkReached {
                    expectedAvailable = 0
                } else if policy.drawsWithReplacement {
                    let owned = model.owned(by: name, rank: rank)
                    expectedAvailable = owned.count
                    f.check(ids.allSatisfy(owned.contains), "op \(token): rank \(rank) drew outside its share: \(ids)")
                } else {
                    let undrawn = model.undrawn(by: name)
                    expectedAvailable = undrawn.count
                    if policy == .fifo {
                        f.check(ids == Array(undrawn.prefix(count)), "op \(token): fifo drew \(ids), oldest undrawn \(undrawn.prefix(count))")
                    } else {
                        f.check(Set(ids).isSubset(of: undrawn), "op \(token): firo drew \(ids), not all undrawn")
                    }
                }
                f.check(available == expectedAvailable, "op \(token): available \(String(describing: available)), expected \(expectedAvailable)")
                f.check(ids.count == min(count, expectedAvailable), "op \(token): drew \(ids.count) of \(count) with \(expectedAvailable) available")
                for sample in drawn {
                    let known = model.present[sample.id]
                    f.check(known?.token == sample.element && known?.bytes == sample.bytes, "op \(token): \(sample.id) has the wrong element")
                    f.check(sample.serveCount == (known?.serveCount ?? -1) + 1, "op \(token): \(sample.id) serve count \(sample.serveCount)")
                    if let rank0 = rankOf[name, default: [:]][sample.id] {
                        f.check(rank0 == rank, "op \(token): \(sample.id) drawn by ranks \(rank0) and \(rank) of \(name)")
                    }
                    rankOf[name, default: [:]][sample.id] = rank
                    if !policy.drawsWithReplacement {
                        f.check(everDrawn[name, default: []].insert(sample.id).inserted, "op \(token): \(name) drew \(sample.id) twice")
                    }
                    if policy == .fifo {
                        if let last = lastFIFO[name] {
                            f.check(last < sample.id, "op \(token): fifo order broken for \(name): \(last) then \(sample.id)")
                        }
                        lastFIFO[name] = sample.id
                    }
                    _ = model.draw(sample.id, by: name)
                }
            } else if roll < 87 {
                // Reclaim ahead of an insert, as the server does when it grants credit against seen bytes.
                let needed = 1 + script.uniform(below: maxSize)
                let target = model.freeBytes + needed
                let evicted = reservoir.reclaim(bytes: needed)
                result.trace.append("reclaim \(needed): \(evicted)")
                f.check(policy == .reservoir || evicted.isEmpty, "op \(token): \(policy) reclaimed \(evicted)")
                for victim in evicted {
                    guard let sample = model.present.values.first(where: { $0.token == victim }) else {
                        f.check(false, "op \(token): reclaimed token \(victim) is not stored")
                        continue
                    }
                    f.check(sample.seen, "op \(token): reclaimed \(sample.id), which is not seen")
                    f.check(model.freeBytes < target, "op \(token): reclaimed more than needed")
                    model.evict(sample.id)
                    result.evictions += 1
                }
                if policy == .reservoir {
                    f.check(model.freeBytes >= target || model.seenBytes == 0, "op \(token): reclaim stopped short")
                }
                reclaims = true
            } else if roll < 96 {
                let name = names[script.uniform(below: names.count)]
                let worldSize = script.uniform(below: 25) == 0 ? 0 : 1 + script.uniform(below: 3)
                do {
                    try reservoir.join(group: name, worldSize: worldSize)
                    f.check(worldSize >= 1, "op \(token): join with world size \(worldSize) accepted")
                    if model.groups[name]?.worldSize != worldSize {
                        rankOf[name] = [:]
                    }
                    model.join(name, worldSize: worldSize)
                    result.trace.append("join \(name) \(worldSize)")
                } catch {
                    f.check(worldSize == 0, "op \(token): join \(name) \(worldSize) threw \(error)")
                    result.trace.append("join \(name) \(worldSize): \(error)")
                }
            } else {
                let name = names[script.uniform(below: names.count)]
                let consumed = reservoir.leave(group: name)
                let expected = model.leave(name)
                f.check(Set(consumed) == expected && consumed.count == expected.count,
                        "op \(token): leave \(name) consumed \(consumed), expected \(expected.sorted())")
                rankOf[name] = nil
                everDrawn[name] = nil
                lastFIFO[name] = nil
                result.trace.append("leave \(name): \(consumed)")
            }

            // Credit safety: free + reclaimable drops only by what an insert stores; reclaimable only by eviction
            // (at insert or reclaim).
            let after = (free: reservoir.freeBytes, reclaimable: reservoir.reclaimableBytes)
            f.check(after.free + after.reclaimable >= before.free + before.reclaimable - insertedBytes,
                    "op \(token): free+reclaimable fell from \(before) to \(after)")
            if insertedBytes == 0 && !reclaims {
                f.check(after.reclaimable >= before.reclaimable, "op \(token): reclaimable fell from \(before.reclaimable) to \(after.reclaimable)")
            }
            if checksState {
                compare(reservoir, model, token, &f)
            }
        }
        result.failures = f
        return result
    }

    /// Checks the reservoir's whole observable state against the model.
    private func compare(_ reservoir: Reservoir<Int>, _ model: ReservoirModel, _ op: Int, _ f: inout Failures) {
        let violations = reservoir.invariantViolations()
        f.check(violations.isEmpty, "op \(op): invariants broken: \(violations)")
        f.check(reservoir.bytes <= reservoir.capacityBytes, "op \(op): \(reservoir.bytes) bytes exceed \(reservoir.capacityBytes)")
        f.check(reservoir.bytes == model.bytes, "op \(op): \(reservoir.bytes) bytes, model \(model.bytes)")
        f.check(reservoir.count == model.present.count && model.present.keys.allSatisfy(reservoir.contains),
                "op \(op): stored \(reservoir.storedIDs), model \(model.present.keys.sorted())")
        f.check(reservoir.reclaimableBytes == model.reclaimableBytes, "op \(op): reclaimable \(reservoir.reclaimableBytes), model \(model.reclaimableBytes)")
        f.check(reservoir.isWatermarkReached == model.watermarkReached, "op \(op): watermark reached \(reservoir.isWatermarkReached), model \(model.watermarkReached)")
        let s = reservoir.statistics
        let counters = [s.inserted, s.served, s.evicted, s.consumed, s.discarded, s.rejectedFull, s.rejectedTooLarge]
        let expected = [model.inserted, model.served, model.evicted, model.consumed, model.discarded, model.rejectedFull, model.rejectedTooLarge]
        f.check(counters == expected, "op \(op): counters \(counters), model \(expected)")
        f.check(s.inserted == s.count + s.evicted + s.consumed, "op \(op): inserted \(s.inserted) != count + evicted + consumed")
        f.check(s.serveCounts.total == s.inserted, "op \(op): histogram counts \(s.serveCounts.total) of \(s.inserted)")
        let groups = model.groups.keys.sorted().map { name in
            let g = model.groups[name]!
            return GroupStatistics(name: name, worldSize: g.worldSize, drawn: g.drawn, distinctDrawn: g.distinctDrawn)
        }
        f.check(s.groups == groups, "op \(op): groups \(s.groups), model \(groups)")
    }
}
