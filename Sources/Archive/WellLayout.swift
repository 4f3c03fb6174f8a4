import HDF5
import SluiceModel

/// A boundary condition of one axis, as The Well names them (`bc_type`).
public enum BoundaryKind: String, Codable, Sendable, Hashable, CaseIterable {
    case periodic = "PERIODIC", wall = "WALL", open = "OPEN"

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let kind = BoundaryKind(rawValue: text.uppercased()) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "boundary '\(text)' is not periodic, wall or open"))
        }
        self = kind
    }
}

/// One spatial axis of an archived grid: its name (`x`, `y`, `z`), coordinates and boundary condition.
public struct WellAxis: Sendable, Hashable {
    public var name: String
    public var coordinates: [Double]
    public var boundary: BoundaryKind

    public init(name: String, coordinates: [Double], boundary: BoundaryKind) {
        self.name = name
        self.coordinates = coordinates
        self.boundary = boundary
    }
}

/// One archived field: a scalar (`order` 0, group `t0_fields`), a vector (1, `t1_fields`, trailing axis of
/// `D` components) or a rank-2 tensor (2, `t2_fields`, trailing `D x D`).
public struct WellField: Sendable, Hashable {
    public var name: String
    public var order: Int

    public init(name: String, order: Int = 0) {
        self.name = name
        self.order = order
    }

    /// Components per grid point for `dimensions` spatial axes.
    public func components(dimensions: Int) -> Int { order == 0 ? 1 : order == 1 ? dimensions : dimensions * dimensions }
}

/// Element type of the archived fields and times.
public enum WellPrecision: String, Codable, Sendable, Hashable {
    case float32, float64

    var byteCount: Int { self == .float32 ? 4 : 8 }
}

/// Everything about one archived trajectory file except its snapshots.
public struct WellFileLayout: Sendable {
    /// The Well's `dataset_name` (the same in every file of a dataset).
    public var datasetName: String
    public var axes: [WellAxis]
    public var fields: [WellField]
    public var precision: WellPrecision
    /// The member's parameters: root attributes and constant scalars (`scalars/NAME`).
    public var parameters: [Parameter]
    /// Provenance, written as string attributes on the root group under these names (`sluice_solver`, ...).
    public var provenance: [String: String]
    public var compression: Compression
    /// Worker threads preparing chunks (statistics, compression) besides the writer's thread; 0 prepares every
    /// chunk on the writer's thread.
    public var compressionThreads: Int

    public init(datasetName: String, axes: [WellAxis], fields: [WellField], precision: WellPrecision = .float32,
                parameters: [Parameter] = [], provenance: [String: String] = [:], compression: Compression = .none,
                compressionThreads: Int = 2) {
        self.datasetName = datasetName
        self.axes = axes
        self.fields = fields
        self.precision = precision
        self.parameters = parameters
        self.provenance = provenance
        self.compression = compression
        self.compressionThreads = compressionThreads
    }

    public var spatialShape: [Int] { axes.map(\.coordinates.count) }

    /// The per-snapshot shape of a field: spatial axes, then its components.
    public func snapshotShape(of field: WellField) -> [Int] {
        let d = axes.count
        return spatialShape + (field.order == 0 ? [] : field.order == 1 ? [d] : [d, d])
    }

    /// Elements of one snapshot of `field`.
    public func snapshotCount(of field: WellField) -> Int { snapshotShape(of: field).reduce(1, *) }
}
