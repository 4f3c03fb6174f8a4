/// What ``Reservoir/insert(_:bytes:)`` did with an offered element.
///
/// Every case hands back the elements the reservoir no longer holds, so the caller can release their buffers or
/// count them; the reservoir never copies or frees a payload itself.
public enum InsertOutcome<Element> {
    /// The element is stored under `id`. `evicted` are the samples removed to make room for it, in the order they
    /// were evicted (under `.reservoir` only samples already seen by every required group; under `.uniform` any).
    case stored(SampleID, evicted: [Element])
    /// `.uniform` only: Algorithm R chose not to keep this element (it is counted in the stream, not stored).
    case discarded(Element)
    /// Back-pressure: storing the element would exceed the byte bound or evict a sample that is not yet seen.
    /// Nothing changed except counters; the caller keeps or drops the element.
    case full(Element)
    /// The element is larger than the whole capacity and can never be stored.
    case tooLarge(Element)
}

extension InsertOutcome: Sendable where Element: Sendable {}

extension InsertOutcome {
    /// The identifier the element was stored under, or `nil` if it was not stored.
    public var storedID: SampleID? {
        if case .stored(let id, _) = self { return id }
        return nil
    }

    /// The samples evicted to store the element (empty unless `.stored` with evictions).
    public var evicted: [Element] {
        if case .stored(_, let evicted) = self { return evicted }
        return []
    }
}
