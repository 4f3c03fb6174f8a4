/// Per-triangle and per-edge geometry of a ``TriangleMesh`` at its current vertex positions: areas, centroids,
/// in-radii, and for every (interior or boundary) edge its length, unit normal and the triangles on either side.
///
/// Edge `e` joins vertices `edges[e]`; its normal points from `left[e]` to `right[e]` (`right[e] == -1` on the
/// boundary, where the normal points out of the domain). Recompute (``update(_:)``) after moving vertices.
public struct MeshGeometry: Sendable {
    public private(set) var area: [Double]
    public private(set) var centroid: [SIMD2<Double>]
    public private(set) var inradius: [Double]
    public private(set) var edgeLength: [Double]
    public private(set) var edgeNormal: [SIMD2<Double>]
    public private(set) var edgeMidpoint: [SIMD2<Double>]
    public let topology: MeshTopology

    public init(_ mesh: TriangleMesh) {
        topology = MeshTopology(mesh)
        area = []; centroid = []; inradius = []; edgeLength = []; edgeNormal = []; edgeMidpoint = []
        update(mesh)
    }

    /// Recomputes the geometry for moved vertices (same connectivity).
    public mutating func update(_ mesh: TriangleMesh) {
        let nt = mesh.triangleCount
        area = .init(repeating: 0, count: nt)
        centroid = .init(repeating: .zero, count: nt)
        inradius = .init(repeating: 0, count: nt)
        for k in 0..<nt {
            let (p, q, r) = mesh.corners(k)
            let a = Self.signedArea(p, q, r)
            area[k] = a
            centroid[k] = (p + q + r) / 3
            let perimeter = Self.length(q - p) + Self.length(r - q) + Self.length(p - r)
            inradius[k] = 2 * a / perimeter
        }
        let ne = topology.edges.count
        edgeLength = .init(repeating: 0, count: ne)
        edgeNormal = .init(repeating: .zero, count: ne)
        edgeMidpoint = .init(repeating: .zero, count: ne)
        for e in 0..<ne {
            let ed = topology.edges[e]
            let p = mesh.vertices[Int(ed[0])], q = mesh.vertices[Int(ed[1])]
            let d = q - p, len = Self.length(d)
            edgeLength[e] = len
            // Edges are stored in the direction of their left triangle (counter-clockwise), so the outward normal
            // of the left triangle is the tangent turned clockwise.
            edgeNormal[e] = SIMD2(d.y, -d.x) / len
            edgeMidpoint[e] = (p + q) / 2
        }
    }

    /// Twice the triangle area with sign: positive when `p, q, r` are counter-clockwise.
    @inlinable
    public static func signedArea(_ p: SIMD2<Double>, _ q: SIMD2<Double>, _ r: SIMD2<Double>) -> Double {
        ((q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)) / 2
    }

    @inlinable
    public static func length(_ v: SIMD2<Double>) -> Double { (v.x * v.x + v.y * v.y).squareRoot() }

    /// Sum of the triangle areas.
    public var totalArea: Double { area.reduce(0, +) }
}

/// Connectivity derived from a mesh: unique edges with their left/right triangles and boundary tags, each
/// triangle's three edges, and vertex adjacency. Fixed when vertices move.
public struct MeshTopology: Sendable, Hashable {
    /// Vertex pairs, oriented counter-clockwise around `left`.
    public let edges: [SIMD2<Int32>]
    public let left: [Int32]
    /// The triangle on the other side, or -1 on the boundary.
    public let right: [Int32]
    /// Boundary tag of each edge (nil for interior edges).
    public let tag: [BoundaryTag?]
    /// Edge `i` of triangle `k` joins its corners `i` and `i+1`.
    public let triangleEdges: [SIMD3<Int32>]
    /// For each boundary vertex, true.
    public let isBoundaryVertex: [Bool]

    public init(_ mesh: TriangleMesh) {
        var index: [EdgeKey: Int32] = [:]
        var edges: [SIMD2<Int32>] = [], left: [Int32] = [], right: [Int32] = []
        var triEdges = [SIMD3<Int32>](repeating: .zero, count: mesh.triangleCount)
        edges.reserveCapacity(mesh.triangleCount * 3 / 2 + mesh.boundary.count)
        for (k, t) in mesh.triangles.enumerated() {
            for i in 0..<3 {
                let a = t[i], b = t[(i + 1) % 3]
                let key = EdgeKey(a, b)
                if let e = index[key] {
                    right[Int(e)] = Int32(k)
                    triEdges[k][i] = e
                } else {
                    let e = Int32(edges.count)
                    index[key] = e
                    edges.append(SIMD2(a, b))
                    left.append(Int32(k))
                    right.append(-1)
                    triEdges[k][i] = e
                }
            }
        }
        var tag = [BoundaryTag?](repeating: nil, count: edges.count)
        var onBoundary = [Bool](repeating: false, count: mesh.vertexCount)
        for b in mesh.boundary {
            if let e = index[EdgeKey(b.a, b.b)] { tag[Int(e)] = b.tag }
            onBoundary[Int(b.a)] = true
            onBoundary[Int(b.b)] = true
        }
        self.edges = edges
        self.left = left
        self.right = right
        self.tag = tag
        triangleEdges = triEdges
        isBoundaryVertex = onBoundary
    }
}
