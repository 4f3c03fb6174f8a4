/// Bounds the decoder enforces on every message, so that no input can make it allocate or loop without limit.
public struct WireLimits: Sendable, Hashable, Codable {
    /// Most fields in one sample or batch.
    public var maxFields: Int = 256
    /// Highest rank (number of dimensions) of one field.
    public var maxRank: Int = 8
    /// Longest field or parameter name, in UTF-8 bytes (the wire stores it in one byte).
    public var maxNameBytes: Int = 255
    /// Most parameters in one sample.
    public var maxParameters: Int = 256
    /// Largest single payload frame, in bytes.
    public var maxFrameBytes: Int = 1 << 31
    /// Largest header frame (SAMPLE or BATCH), in bytes.
    public var maxHeaderBytes: Int = 4 << 20
    /// Largest JSON body of a control command, in bytes.
    public var maxControlBytes: Int = 16 << 20
    /// Most samples in one batch.
    public var maxBatchSamples: Int = 1 << 16

    public init() {}

    /// The defaults.
    public static let standard = WireLimits()
}

extension WireLimits {
    enum CodingKeys: String, CodingKey {
        case maxFields, maxRank, maxNameBytes, maxParameters, maxFrameBytes, maxHeaderBytes, maxControlBytes
        case maxBatchSamples
    }

    /// Decodes with the defaults for absent keys.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = WireLimits()
        maxFields = try c.decodeIfPresent(Int.self, forKey: .maxFields) ?? d.maxFields
        maxRank = try c.decodeIfPresent(Int.self, forKey: .maxRank) ?? d.maxRank
        maxNameBytes = try c.decodeIfPresent(Int.self, forKey: .maxNameBytes) ?? d.maxNameBytes
        maxParameters = try c.decodeIfPresent(Int.self, forKey: .maxParameters) ?? d.maxParameters
        maxFrameBytes = try c.decodeIfPresent(Int.self, forKey: .maxFrameBytes) ?? d.maxFrameBytes
        maxHeaderBytes = try c.decodeIfPresent(Int.self, forKey: .maxHeaderBytes) ?? d.maxHeaderBytes
        maxControlBytes = try c.decodeIfPresent(Int.self, forKey: .maxControlBytes) ?? d.maxControlBytes
        maxBatchSamples = try c.decodeIfPresent(Int.self, forKey: .maxBatchSamples) ?? d.maxBatchSamples
    }
}
