/// One sample served by ``Reservoir/draw(group:rank:count:)``.
public struct Drawn<Element> {
    /// The sample's identity (dense, increasing in insertion order).
    public let id: SampleID
    /// The stored element (the same reference that was inserted; never copied).
    public let element: Element
    /// The byte size given when the sample was inserted.
    public let bytes: Int
    /// How many times the sample has been served, to all groups together, counting this draw.
    public let serveCount: Int

    public init(id: SampleID, element: Element, bytes: Int, serveCount: Int) {
        self.id = id
        self.element = element
        self.bytes = bytes
        self.serveCount = serveCount
    }
}

extension Drawn: Sendable where Element: Sendable {}
