/// How a sample's fields are placed in space.
public enum GeometryKind: UInt8, Sendable, Hashable, CaseIterable, Codable {
    /// No spatial layout (scalars, series).
    case none = 0
    /// A uniform grid over `bounds`; field shapes give the point counts.
    case uniformGrid = 1
    /// A tensor-product grid whose axis coordinates travel as `.axis` fields.
    case stretchedGrid = 2
    /// A triangle mesh: a `.vertices` field, a `.triangles` field, per-vertex `.data` fields.
    case triangleMesh = 3

    public var name: String {
        switch self {
        case .none: "none"
        case .uniformGrid: "uniform-grid"
        case .stretchedGrid: "stretched-grid"
        case .triangleMesh: "triangle-mesh"
        }
    }
}

/// The lower and upper coordinate of a grid's domain along one axis.
public struct AxisBounds: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
    public var length: Double { upper - lower }
}

/// A named scalar parameter of the member that produced a sample (viscosity, forcing amplitude, seed...).
public struct Parameter: Sendable, Hashable, Codable {
    public var name: String
    public var value: Double
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}

/// Bits of a sample's header flags.
public struct SampleFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The member sends no more samples after this one.
    public static let final = SampleFlags(rawValue: 1 << 0)
    /// The server found NaN or Inf in a field and accepted the sample under the accept-and-flag policy.
    public static let nonFinite = SampleFlags(rawValue: 1 << 1)
}

/// Everything about a sample except its field bytes: who produced it, when, where its fields live, and their
/// descriptors. This is the fixed little-endian header of a SAMPLE message (schemas/wire/PROTOCOL.md).
public struct SampleHeader: Sendable, Hashable {
    /// Index of the member (solver run) in its study.
    public var member: UInt64
    /// Attempt number of that member (0 for the first run, +1 for each relaunch).
    public var attempt: UInt32
    public var flags: SampleFlags
    /// Solver step number of this snapshot.
    public var step: UInt64
    /// Simulated time of this snapshot.
    public var time: Double
    public var geometry: GeometryKind
    /// Number of spatial dimensions (0 to 3).
    public var spatialDims: Int
    /// Domain bounds per axis, for uniform and stretched grids (empty otherwise).
    public var bounds: [AxisBounds]
    public var parameters: [Parameter]
    public var fields: [FieldDescriptor]

    public init(member: UInt64, attempt: UInt32 = 0, step: UInt64, time: Double, flags: SampleFlags = [],
                geometry: GeometryKind = .none, spatialDims: Int = 0, bounds: [AxisBounds] = [],
                parameters: [Parameter] = [], fields: [FieldDescriptor]) {
        self.member = member
        self.attempt = attempt
        self.flags = flags
        self.step = step
        self.time = time
        self.geometry = geometry
        self.spatialDims = spatialDims
        self.bounds = bounds
        self.parameters = parameters
        self.fields = fields
    }

    /// Total bytes of all fields' data, or nil on overflow.
    public var payloadBytes: Int? {
        var total = 0
        for f in fields {
            guard let b = f.byteCount else { return nil }
            let (t, o) = total.addingReportingOverflow(b)
            if o { return nil }
            total = t
        }
        return total
    }

    /// The field named `name`, if present.
    public func field(named name: String) -> FieldDescriptor? { fields.first { $0.name == name } }

    /// The value of the parameter named `name`, if present.
    public func parameter(named name: String) -> Double? { parameters.first { $0.name == name }?.value }
}
