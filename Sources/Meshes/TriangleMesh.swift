/// A 2-D triangle mesh: vertex coordinates, counter-clockwise triangles, and tagged boundary edges.
///
/// Invariants (checked by ``init(vertices:triangles:boundary:)``): every triangle index is a valid vertex, every
/// triangle has positive signed area (counter-clockwise; clockwise input is reoriented), and every boundary edge is an
/// edge of exactly one triangle. Vertices may move (``vertices`` is mutable); connectivity never changes.
public struct TriangleMesh: Sendable, Hashable {
    /// Vertex coordinates.
    public var vertices: [SIMD2<Double>]
    /// Vertex indices of each triangle, counter-clockwise.
    public private(set) var triangles: [SIMD3<Int32>]
    /// Boundary edges with their tags (every edge of exactly one triangle appears here once).
    public private(set) var boundary: [BoundaryEdge]

    /// Builds a mesh, reorienting clockwise triangles and tagging untagged boundary edges `defaultTag`.
    ///
    /// - Throws: ``MeshError`` for an index out of range, a degenerate triangle, an edge shared by more than two
    ///   triangles, or a tagged edge that is not on the boundary.
    public init(vertices: [SIMD2<Double>], triangles: [SIMD3<Int32>], boundary: [BoundaryEdge] = [],
                defaultTag: BoundaryTag = .wall) throws {
        let n = Int32(vertices.count)
        var tris = triangles
        for (k, t) in tris.enumerated() {
            for v in 0..<3 where t[v] < 0 || t[v] >= n {
                throw MeshError.indexOutOfRange(triangle: k, index: Int(t[v]), vertexCount: Int(n))
            }
            guard t[0] != t[1], t[1] != t[2], t[0] != t[2] else { throw MeshError.degenerateTriangle(k, area: 0) }
            let a = MeshGeometry.signedArea(vertices[Int(t[0])], vertices[Int(t[1])], vertices[Int(t[2])])
            guard a != 0, a.isFinite else { throw MeshError.degenerateTriangle(k, area: a) }
            if a < 0 { tris[k] = SIMD3(t[0], t[2], t[1]) }
        }
        // Count edge uses to find the boundary.
        var uses: [EdgeKey: Int] = [:]
        for (k, t) in tris.enumerated() {
            for e in 0..<3 {
                let key = EdgeKey(t[e], t[(e + 1) % 3])
                let c = (uses[key] ?? 0) + 1
                guard c <= 2 else { throw MeshError.nonManifoldEdge(Int(key.a), Int(key.b), triangle: k) }
                uses[key] = c
            }
        }
        var tagged: [EdgeKey: BoundaryTag] = [:]
        for edge in boundary {
            let key = EdgeKey(edge.a, edge.b)
            guard uses[key] == 1 else { throw MeshError.taggedEdgeNotOnBoundary(Int(edge.a), Int(edge.b)) }
            tagged[key] = edge.tag
        }
        var edges: [BoundaryEdge] = []
        for t in tris {
            for e in 0..<3 {
                let a = t[e], b = t[(e + 1) % 3]
                let key = EdgeKey(a, b)
                if uses[key] == 1 { edges.append(BoundaryEdge(a, b, tag: tagged[key] ?? defaultTag)) }
            }
        }
        self.vertices = vertices
        self.triangles = tris
        self.boundary = edges
    }

    public var vertexCount: Int { vertices.count }
    public var triangleCount: Int { triangles.count }

    /// The three corners of triangle `k`.
    @inlinable
    public func corners(_ k: Int) -> (SIMD2<Double>, SIMD2<Double>, SIMD2<Double>) {
        let t = triangles[k]
        return (vertices[Int(t[0])], vertices[Int(t[1])], vertices[Int(t[2])])
    }

    /// Axis-aligned bounding box (lower, upper) of the vertices.
    public var boundingBox: (lower: SIMD2<Double>, upper: SIMD2<Double>) {
        var lo = SIMD2(Double.infinity, .infinity), hi = SIMD2(-Double.infinity, -.infinity)
        for v in vertices {
            lo = pointwiseMin(lo, v)
            hi = pointwiseMax(hi, v)
        }
        return (lo, hi)
    }
}

/// What a boundary edge is, for the solvers: a reflecting wall, an open (radiating) boundary, or a coastline
/// (a wall the water may wet and dry against).
public enum BoundaryTag: String, Sendable, Hashable, Codable, CaseIterable {
    case wall
    case open
    case coast
}

/// A boundary edge from vertex `a` to vertex `b` (the direction of its triangle, so the domain lies to its left).
public struct BoundaryEdge: Sendable, Hashable {
    public var a: Int32
    public var b: Int32
    public var tag: BoundaryTag
    public init(_ a: Int32, _ b: Int32, tag: BoundaryTag) {
        self.a = a
        self.b = b
        self.tag = tag
    }
}

/// An undirected edge, smaller index first.
struct EdgeKey: Hashable {
    let a: Int32
    let b: Int32
    init(_ x: Int32, _ y: Int32) {
        a = min(x, y)
        b = max(x, y)
    }
}
