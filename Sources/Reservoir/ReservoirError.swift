/// An invalid reservoir configuration, or a request the reservoir cannot serve (an unknown group, a rank outside
/// the group's world size). Group names, ranks and counts usually arrive from the network, so the reservoir reports
/// them as errors rather than trapping; the server answers the peer with ``description``.
public struct ReservoirError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case nonPositiveCapacity(Int)
        case negativeWatermark(Int)
        case watermarkExceedsCapacity(watermark: Int, capacity: Int)
        case unknownGroup(String)
        case invalidWorldSize(group: String, worldSize: Int, maximum: Int)
        case rankOutOfRange(group: String, rank: Int, worldSize: Int)
        case negativeCount(group: String, count: Int)
        case tooManyGroups(group: String, limit: Int)
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// `capacityBytes` is zero or negative.
    public static func nonPositiveCapacity(_ capacity: Int) -> ReservoirError {
        ReservoirError(.nonPositiveCapacity(capacity))
    }

    /// `watermarkBytes` is negative.
    public static func negativeWatermark(_ watermark: Int) -> ReservoirError {
        ReservoirError(.negativeWatermark(watermark))
    }

    /// `watermarkBytes` is larger than `capacityBytes`, so serving could never start.
    public static func watermarkExceedsCapacity(watermark: Int, capacity: Int) -> ReservoirError {
        ReservoirError(.watermarkExceedsCapacity(watermark: watermark, capacity: capacity))
    }

    /// No group of this name has joined (or it has left).
    public static func unknownGroup(_ group: String) -> ReservoirError {
        ReservoirError(.unknownGroup(group))
    }

    /// A group tried to join with a world size outside `1...maximum`.
    public static func invalidWorldSize(group: String, worldSize: Int, maximum: Int) -> ReservoirError {
        ReservoirError(.invalidWorldSize(group: group, worldSize: worldSize, maximum: maximum))
    }

    /// A draw named a rank outside `0..<worldSize` of its group.
    public static func rankOutOfRange(group: String, rank: Int, worldSize: Int) -> ReservoirError {
        ReservoirError(.rankOutOfRange(group: group, rank: rank, worldSize: worldSize))
    }

    /// A draw asked for a negative number of samples.
    public static func negativeCount(group: String, count: Int) -> ReservoirError {
        ReservoirError(.negativeCount(group: group, count: count))
    }

    /// A group tried to join while `limit` groups are already active.
    public static func tooManyGroups(group: String, limit: Int) -> ReservoirError {
        ReservoirError(.tooManyGroups(group: group, limit: limit))
    }

    public var description: String {
        switch code {
        case .nonPositiveCapacity(let capacity):
            "reservoir capacity \(capacity) bytes must be positive"
        case .negativeWatermark(let watermark):
            "watermark \(watermark) must not be negative"
        case .watermarkExceedsCapacity(let watermark, let capacity):
            "watermark \(watermark) exceeds capacity \(capacity)"
        case .unknownGroup(let group):
            "consumer group '\(group)' has not joined the reservoir"
        case .invalidWorldSize(let group, let worldSize, let maximum):
            "consumer group '\(group)' has world size \(worldSize); expected 1...\(maximum)"
        case .rankOutOfRange(let group, let rank, let worldSize):
            "rank \(rank) is outside consumer group '\(group)' of world size \(worldSize); expected 0..<\(worldSize)"
        case .negativeCount(let group, let count):
            "consumer group '\(group)' asked for \(count) samples; expected a count of 0 or more"
        case .tooManyGroups(let group, let limit):
            "consumer group '\(group)' cannot join: \(limit) groups are already active, the most a reservoir supports"
        }
    }
}
