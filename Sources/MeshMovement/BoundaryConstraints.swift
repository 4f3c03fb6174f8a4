import Meshes

/// How each vertex may move: freely (interior), along a straight boundary segment (normal component zero), or not at
/// all (corners, where the two boundary edges at a vertex are not collinear, and vertices whose tag is fixed).
public struct BoundaryConstraints: Sendable {
    public enum Kind: Sendable, Hashable {
        case free
        case slide(normal: SIMD2<Double>)
        case fixed
    }
    public let kinds: [Kind]

    /// Derived from the mesh's boundary edges: a boundary vertex whose two boundary edges have unit normals within
    /// `collinearity` (cosine) of each other slides; any other boundary vertex is a corner.
    public init(mesh: TriangleMesh, collinearity: Double = 1 - 1e-10) {
        var normals = [[SIMD2<Double>]](repeating: [], count: mesh.vertexCount)
        for e in mesh.boundary {
            let d = mesh.vertices[Int(e.b)] - mesh.vertices[Int(e.a)]
            let n = SIMD2(d.y, -d.x) / MeshGeometry.length(d)
            normals[Int(e.a)].append(n)
            normals[Int(e.b)].append(n)
        }
        kinds = normals.map { ns in
            if ns.isEmpty { return .free }
            if ns.count == 2, (ns[0] * ns[1]).sum() >= collinearity { return .slide(normal: ns[0]) }
            return .fixed
        }
    }

    /// Projects the displacement field `(x, y)` onto the admissible one.
    public func apply(x: inout [Double], y: inout [Double]) {
        for (i, k) in kinds.enumerated() {
            switch k {
            case .free: break
            case .fixed:
                x[i] = 0
                y[i] = 0
            case .slide(let n):
                let d = x[i] * n.x + y[i] * n.y
                x[i] -= d * n.x
                y[i] -= d * n.y
            }
        }
    }

    /// The same projection on an interleaved `[x0, y0, x1, y1, ...]` vector.
    func apply(interleaved v: inout [Double]) {
        for (i, k) in kinds.enumerated() {
            switch k {
            case .free: break
            case .fixed:
                v[2 * i] = 0
                v[2 * i + 1] = 0
            case .slide(let n):
                let d = v[2 * i] * n.x + v[2 * i + 1] * n.y
                v[2 * i] -= d * n.x
                v[2 * i + 1] -= d * n.y
            }
        }
    }
}
