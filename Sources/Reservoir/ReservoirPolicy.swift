/// How a ``Reservoir`` chooses what to serve and what to drop.
///
/// Encoded as the strings `"fifo"`, `"firo"`, `"reservoir"` and `"uniform"`.
public enum ReservoirPolicy: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// First in, first out. Each group receives each sample at most once, in insertion order; a sample leaves memory
    /// once every required group has drawn it. When full, nothing is evicted: inserts get `.full` (back-pressure).
    case fifo
    /// First in, random out: like `.fifo`, but each draw picks uniformly among the group's undrawn samples
    /// (a random draw without replacement).
    case firo
    /// Melissa's reservoir: serving starts at the watermark; draws are uniform with replacement among the present
    /// samples; a full buffer evicts uniformly random samples that every required group has already drawn, and
    /// refuses (`.full`) when those do not free enough bytes.
    case reservoir
    /// Uniform reservoir sampling over the whole stream (Vitter's Algorithm R): the stored samples are a uniform
    /// sample of everything offered. Inserts never block; draws are as for `.reservoir`.
    case uniform

    public var description: String { rawValue }

    /// Whether draws are with replacement (a sample stays after it is served and may be served again).
    public var drawsWithReplacement: Bool {
        switch self {
        case .fifo, .firo: false
        case .reservoir, .uniform: true
        }
    }
}
