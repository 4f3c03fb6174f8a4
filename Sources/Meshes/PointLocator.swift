/// Finds the triangle containing a point, through a uniform bucket grid over the mesh's bounding box, and
/// interpolates vertex (P1) or cell (P0) values there. Built for one set of vertex positions: rebuild after moving.
public struct PointLocator: Sendable {
    public let mesh: TriangleMesh
    private let lower: SIMD2<Double>
    private let cellSize: SIMD2<Double>
    private let nx: Int, ny: Int
    private let bucketStart: [Int]
    private let bucketTriangles: [Int32]

    public init(mesh: TriangleMesh) {
        self.mesh = mesh
        let (lo, hi) = mesh.boundingBox
        let side = max(1, Int(Double(mesh.triangleCount).squareRoot() / 2))
        let span = pointwiseMax(hi - lo, SIMD2(repeating: 1e-300))
        lower = lo
        nx = side; ny = side
        cellSize = span / SIMD2(Double(side), Double(side))
        var buckets = [[Int32]](repeating: [], count: side * side)
        for k in 0..<mesh.triangleCount {
            let (p, q, r) = mesh.corners(k)
            let a = pointwiseMin(p, pointwiseMin(q, r)), b = pointwiseMax(p, pointwiseMax(q, r))
            let (i0, j0) = Self.bucket(a, lower: lo, size: cellSize, nx: side, ny: side)
            let (i1, j1) = Self.bucket(b, lower: lo, size: cellSize, nx: side, ny: side)
            for j in j0...j1 { for i in i0...i1 { buckets[j * side + i].append(Int32(k)) } }
        }
        var start = [0], flat: [Int32] = []
        for b in buckets { flat += b; start.append(flat.count) }
        bucketStart = start
        bucketTriangles = flat
    }

    private static func bucket(_ p: SIMD2<Double>, lower: SIMD2<Double>, size: SIMD2<Double>, nx: Int, ny: Int) -> (Int, Int) {
        let s = (p - lower) / size
        let i = s.x.isFinite ? min(max(Int(s.x.rounded(.down)), 0), nx - 1) : 0
        let j = s.y.isFinite ? min(max(Int(s.y.rounded(.down)), 0), ny - 1) : 0
        return (i, j)
    }

    /// The triangle containing `p` and its barycentric coordinates; for a point outside the mesh (up to round-off at
    /// the boundary), the candidate triangle whose smallest barycentric coordinate is largest, clamped.
    public func locate(_ p: SIMD2<Double>) -> (triangle: Int, barycentric: SIMD3<Double>) {
        let (i, j) = Self.bucket(p, lower: lower, size: cellSize, nx: nx, ny: ny)
        var best = -1, bestMin = -Double.infinity, bestL = SIMD3<Double>.zero
        var radius = 0
        while best < 0 || bestMin < -1e-12 {
            for jj in max(0, j - radius)...min(ny - 1, j + radius) {
                for ii in max(0, i - radius)...min(nx - 1, i + radius)
                    where radius == 0 || abs(ii - i) == radius || abs(jj - j) == radius {
                    let b = jj * nx + ii
                    for t in bucketTriangles[bucketStart[b]..<bucketStart[b + 1]] {
                        let l = barycentric(p, Int(t))
                        let m = l.min()
                        if m > bestMin { best = Int(t); bestMin = m; bestL = l }
                    }
                }
            }
            radius += 1
            if radius > max(nx, ny) { break }
        }
        if bestMin < 0 {
            bestL = pointwiseMax(bestL, .zero)
            bestL /= bestL.sum()
        }
        return (max(best, 0), bestL)
    }

    private func barycentric(_ p: SIMD2<Double>, _ k: Int) -> SIMD3<Double> {
        let (a, b, c) = mesh.corners(k)
        let area = MeshGeometry.signedArea(a, b, c)
        return SIMD3(MeshGeometry.signedArea(p, b, c), MeshGeometry.signedArea(a, p, c), MeshGeometry.signedArea(a, b, p)) / area
    }

    /// The P1 interpolant of vertex values at `p`.
    public func interpolate(vertexValues v: [Double], at p: SIMD2<Double>) -> Double {
        let (k, l) = locate(p)
        let t = mesh.triangles[k]
        return l.x * v[Int(t[0])] + l.y * v[Int(t[1])] + l.z * v[Int(t[2])]
    }
}
