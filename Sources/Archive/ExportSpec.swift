import Filters
import HDF5

/// Which samples an export keeps (`select:` of an export spec; `sluice export --members ... --every-steps ...`).
public struct SampleSelection: Codable, Sendable, Hashable {
    /// Member indices to keep (nil: all).
    public var members: [UInt64]?
    /// Keep only steps divisible by this (nil or 1: every snapshot).
    public var everySteps: UInt64?
    /// Keep only snapshots with `timeStart <= time <= timeEnd`.
    public var timeStart: Double?
    public var timeEnd: Double?
    /// Fields to keep (nil: every data field).
    public var fields: [String]?

    public init(members: [UInt64]? = nil, everySteps: UInt64? = nil, timeStart: Double? = nil, timeEnd: Double? = nil,
                fields: [String]? = nil) {
        self.members = members
        self.everySteps = everySteps
        self.timeStart = timeStart
        self.timeEnd = timeEnd
        self.fields = fields
    }

    public func keeps(member: UInt64) -> Bool { members.map { $0.contains(member) } ?? true }

    public func keeps(step: UInt64, time: Double) -> Bool {
        if let every = everySteps, every > 1, step % every != 0 { return false }
        if let start = timeStart, time < start { return false }
        if let end = timeEnd, time > end { return false }
        return true
    }

    /// Parses a member list such as `0-7,12,20-23`.
    public static func parseMembers(_ text: String) throws -> [UInt64] {
        var result: [UInt64] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = UInt64(bounds[0].trimmingCharacters(in: .whitespaces)),
                  let high = UInt64(bounds[bounds.count - 1].trimmingCharacters(in: .whitespaces)), low <= high,
                  high - low < 10_000_000 else {
                throw ArchiveError("member list '\(text)': '\(part)' is not N or N-M with N <= M")
            }
            result.append(contentsOf: low...high)
        }
        return result
    }
}

/// Chunk compression of an export: `none`, or deflate at a level with or without the shuffle filter.
public struct CompressionSpec: Codable, Sendable, Hashable {
    /// zlib level 0...9; nil: no compression.
    public var deflate: Int?
    public var shuffle: Bool?
    /// Threads compressing chunks (default: the machine's cores).
    public var threads: Int?

    public init(deflate: Int? = nil, shuffle: Bool? = nil, threads: Int? = nil) {
        self.deflate = deflate
        self.shuffle = shuffle
        self.threads = threads
    }

    public var compression: Compression {
        deflate.map { Compression.deflate(level: $0, shuffle: shuffle ?? true) } ?? .none
    }
}

/// An export spec file (schemas/config/export.schema.json): what `sluice export` writes. Every key is optional;
/// command-line options override the file.
///
/// ```yaml
/// name: ns2d-demo
/// filter: {axes: [{kind: spectral, points: 32}, {kind: spectral, points: 32}]}
/// precision: float32
/// compression: {deflate: 4, shuffle: true}
/// select: {every_steps: 100, time_start: 1.0}
/// split: {train: 0.8, valid: 0.1, test: 0.1, seed: 0}
/// ```
public struct ExportSpec: Codable, Sendable, Hashable {
    /// The dataset's name (The Well's `dataset_name`, the file name prefix); default: the case's name.
    public var name: String?
    /// Coarse-graining per spatial axis; nil: the solver's own grid.
    public var filter: FilterSpec?
    public var precision: WellPrecision?
    public var compression: CompressionSpec?
    public var select: SampleSelection?
    public var split: SplitPlan?
    /// Vector fields assembled from scalar fields: `{velocity: [u, v]}` writes a `t1_fields/velocity`.
    public var vectors: [String: [String]]?
    /// Boundary conditions per axis (default: periodic for uniform grids, wall for stretched axes).
    public var boundaries: [BoundaryKind]?

    public init(name: String? = nil, filter: FilterSpec? = nil, precision: WellPrecision? = nil,
                compression: CompressionSpec? = nil, select: SampleSelection? = nil, split: SplitPlan? = nil,
                vectors: [String: [String]]? = nil, boundaries: [BoundaryKind]? = nil) {
        self.name = name
        self.filter = filter
        self.precision = precision
        self.compression = compression
        self.select = select
        self.split = split
        self.vectors = vectors
        self.boundaries = boundaries
    }
}
