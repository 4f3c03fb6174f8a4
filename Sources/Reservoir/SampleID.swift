/// The identity a ``Reservoir`` gives each sample it stores.
///
/// Identifiers are assigned from 0 upwards in insertion order, only to samples that are stored (never to a
/// discarded or refused one), so they are dense: the n-th stored sample has `rawValue == n - 1`. Under the
/// with-replacement policies, rank `r` of a group with world size `n` draws only samples with `rawValue % n == r`.
public struct SampleID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: SampleID, rhs: SampleID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String { "#\(rawValue)" }

    /// The rank of a group with `worldSize` ranks that owns this sample under the with-replacement policies.
    func rank(worldSize: Int) -> Int {
        Int(rawValue % UInt64(worldSize))
    }
}
