extension Reservoir {
    /// Under `.reservoir`, evicts uniformly random seen samples until at least `bytes` more are free (or no seen
    /// sample is left), and returns them; the same samples an insert would have evicted, only earlier. The server
    /// calls it when it grants credit against evictable bytes, so that stored plus in-flight bytes stay within the
    /// bound. Other policies evict nothing here (`.fifo` and `.firo` never evict; `.uniform` decides at insertion).
    ///
    /// `freeBytes + reclaimableBytes` is unchanged: the evicted bytes move from reclaimable to free.
    @discardableResult
    public mutating func reclaim(bytes needed: Int) -> [Element] {
        guard policy == .reservoir, needed > 0 else { return [] }
        let target = freeBytes + needed
        var evicted: [Element] = []
        while freeBytes < target, let victim = seen.randomMember(using: &generator) {
            evicted.append(evict(victim))
        }
        return evicted
    }
}
