import SluiceModel

extension Reservoir {
    /// Bytes not used by stored samples: `capacityBytes - bytes`.
    public var freeBytes: Int { capacityBytes - bytes }

    /// Bytes an insert could free right now by evicting, under the policy:
    /// - `.fifo`, `.firo`: 0 (they never evict; draws free bytes by consumption, which shows in ``freeBytes``);
    /// - `.reservoir`: the bytes of the seen samples;
    /// - `.uniform`: all stored bytes (Algorithm R may replace any sample; inserts never block).
    ///
    /// Only an insert (by evicting) lowers it; draws, joins and leaves can only raise it. So `freeBytes +
    /// reclaimableBytes` drops only by the size of each stored sample, and credit granted against it is always
    /// honoured: an insert of `b` bytes with `b <= freeBytes + reclaimableBytes` is never refused as `.full`.
    public var reclaimableBytes: Int {
        switch policy {
        case .fifo, .firo: 0
        case .reservoir: seenBytes
        case .uniform: bytes
        }
    }

    /// Whether ``insert(_:bytes:)`` would take a sample of this size now rather than answer `.full` or `.tooLarge`.
    /// Under `.uniform` an accepted sample may still be `.discarded` by Algorithm R.
    public func wouldAccept(bytes size: Int) -> Bool {
        size >= 0 && size <= capacityBytes && size <= freeBytes + reclaimableBytes
    }

    /// Offers a sample of `size` bytes (the caller's measure of its payload; the reservoir only adds them up).
    ///
    /// - Larger than ``capacityBytes``: `.tooLarge`, under every policy (counted as `rejectedTooLarge`, and not part
    ///   of Algorithm R's stream).
    /// - Fits in ``freeBytes``: stored.
    /// - Otherwise, by policy:
    ///   - `.fifo`, `.firo`: `.full` (they never evict);
    ///   - `.reservoir`: uniformly random seen samples are evicted until it fits; `.full` if the seen bytes are not
    ///     enough (nothing is evicted then);
    ///   - `.uniform`: Algorithm R. With `n` the samples offered so far, this one included, and `k` the samples
    ///     stored, it is kept with probability `k/n`, replacing a uniformly random stored sample (and further random
    ///     ones while it still does not fit); otherwise `.discarded`. Equal-size samples thus leave a uniform sample
    ///     of the whole stream.
    ///
    /// A sample that does not fit in the free bytes also starts serving if the watermark was not yet reached (see
    /// ``isWatermarkReached``). Cost: O(groups) per stored or evicted sample.
    ///
    /// - Precondition: `size >= 0`.
    public mutating func insert(_ element: Element, bytes size: Int) -> InsertOutcome<Element> {
        precondition(size >= 0, "a sample cannot have a negative byte size (\(size))")
        guard size <= capacityBytes else {
            counters.rejectedTooLarge += 1
            return .tooLarge(element)
        }
        counters.streamLength += 1
        // Stored properties only on this path: in debug builds every computed getter on `self` copies the struct.
        if size <= capacityBytes - bytes {
            return .stored(store(element, bytes: size), evicted: [])
        }
        // It does not fit: the buffer cannot grow further without serving.
        isWatermarkReached = true
        switch policy {
        case .fifo, .firo:
            counters.rejectedFull += 1
            return .full(element)
        case .reservoir:
            guard size <= freeBytes + seenBytes else {
                counters.rejectedFull += 1
                return .full(element)
            }
            var evicted: [Element] = []
            while size > freeBytes, let victim = seen.randomMember(using: &generator) {
                evicted.append(evict(victim))
            }
            return .stored(store(element, bytes: size), evicted: evicted)
        case .uniform:
            return insertByAlgorithmR(element, bytes: size)
        }
    }

    /// Algorithm R's step for a sample that does not fit in the free bytes (so at least one sample is stored).
    ///
    /// Vitter, "Random sampling with a reservoir", ACM TOMS 11(1), 1985: draw `j` uniform in `0..<n`; keep the new
    /// sample iff `j < k`, replacing stored sample `j`. The dense storage order is arbitrary but fixed by the
    /// operations, so `slots[j]` is a uniformly random stored sample.
    private mutating func insertByAlgorithmR(_ element: Element, bytes size: Int) -> InsertOutcome<Element> {
        let j = generator.uniform(below: counters.streamLength)
        guard j < slots.count else {
            counters.discarded += 1
            return .discarded(element)
        }
        var evicted = [evict(slots[j].id)]
        while size > freeBytes {
            evicted.append(evict(slots[generator.uniform(below: slots.count)].id))
        }
        return .stored(store(element, bytes: size), evicted: evicted)
    }

    /// Removes a stored sample to make room, counting it as evicted.
    mutating func evict(_ id: SampleID) -> Element {
        guard let position = slotIndex[id] else {
            preconditionFailure("evicting \(id), which is not stored")
        }
        counters.evicted += 1
        return removeSlot(at: position).element
    }
}
