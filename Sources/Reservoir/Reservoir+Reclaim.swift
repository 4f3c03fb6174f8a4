extension Reservoir {
    /// Under `.reservoir`, evicts uniformly random seen samples until at least `bytes` more are free (or no seen
    /// sample is left), and returns them; the same samples an insert would have evicted, only earlier. The server
    /// calls it when it grants credit against evictable bytes, so that stored plus in-flight bytes stay within the
    /// bound. Other policies evict nothing here (`.fifo` and `.firo` never evict; `.uniform` decides at insertion).
    @discardableResult
    public mutating func reclaim(bytes needed: Int) -> [Element] {
        guard policy == .reservoir, needed > 0 else { return [] }
        let target = freeBytes + needed
        var evicted: [Element] = []
        while freeBytes < target, let victim = seen.randomMember(using: &generator) {
            guard let position = slotIndex[victim] else {
                preconditionFailure("seen sample \(victim) is not stored")
            }
            counters.evicted += 1
            evicted.append(removeSlot(at: position).element)
        }
        return evicted
    }
}
