/// Why an archive could not be written or read: the message names the file, field or sample and the value.
public struct ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
