/// A filter spec that cannot be built for a grid: the message names the axis, the value and what was expected.
public struct FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    static func axis(_ index: Int, _ message: String) -> FilterError {
        FilterError("filter axis \(index): \(message)")
    }
}
