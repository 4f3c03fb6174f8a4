/// What a field's values mean with respect to the sample's geometry.
public enum FieldRole: UInt8, Sendable, Hashable, CaseIterable, Codable {
    /// Values on the grid points (grids) or on the vertices (meshes); the usual case.
    case data = 0
    /// A 1-D coordinate array of a stretched grid axis (one per spatial dimension, in axis order).
    case axis = 1
    /// Mesh vertex coordinates, shape [vertices, spatial dims], float.
    case vertices = 2
    /// Mesh triangles, shape [triangles, 3], integer vertex indices (0-based).
    case triangles = 3
    /// Mesh edges, shape [edges, 2], integer vertex indices (0-based).
    case edges = 4
    /// Values per triangle of a mesh, shape [triangles, ...].
    case cellData = 5
    /// Anything not tied to the geometry (gauge time series, global diagnostics).
    case auxiliary = 6

    public var name: String {
        switch self {
        case .data: "data"
        case .axis: "axis"
        case .vertices: "vertices"
        case .triangles: "triangles"
        case .edges: "edges"
        case .cellData: "cell-data"
        case .auxiliary: "auxiliary"
        }
    }
}

/// The name, element type, role and shape of one field of a sample. Its bytes travel in a frame of their own.
public struct FieldDescriptor: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var dtype: DType
    public var role: FieldRole
    /// Row-major shape; an empty shape is a scalar (one element).
    public var shape: [Int]

    public init(name: String, dtype: DType, shape: [Int], role: FieldRole = .data) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.role = role
    }

    /// Number of elements, or nil if the product overflows `Int`.
    public var elementCount: Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = p
        }
        return n
    }

    /// Number of bytes of the field's raw data, or nil if it overflows `Int`.
    public var byteCount: Int? {
        guard let n = elementCount else { return nil }
        let (b, overflow) = n.multipliedReportingOverflow(by: dtype.byteSize)
        return overflow ? nil : b
    }

    public var description: String {
        "\(name): \(dtype)[\(shape.map(String.init).joined(separator: "x"))]\(role == .data ? "" : " (\(role.name))")"
    }
}
