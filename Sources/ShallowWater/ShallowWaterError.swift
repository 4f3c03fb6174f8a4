/// Invalid shallow-water settings or states; messages name the values.
public struct ShallowWaterError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    private init(_ d: String) { description = d }
    public static func invalid(_ message: String) -> ShallowWaterError { ShallowWaterError(message) }
}
