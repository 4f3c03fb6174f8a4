import Meshes

/// Linear (P1) finite-element operators on a fixed triangle mesh: the consistent mass matrix
/// `M_ij = int phi_i phi_j`, the stiffness matrix `K_ij = int grad phi_i . grad phi_j`, and the per-triangle basis
/// gradients. `K` has the constants as null space (natural Neumann boundary).
public struct P1Operators: Sendable {
    public let mesh: TriangleMesh
    public let geometry: MeshGeometry
    public let mass: SparseMatrix
    public let stiffness: SparseMatrix
    /// Gradients of the three barycentric basis functions of each triangle (constant on it).
    public let basisGradients: [(SIMD2<Double>, SIMD2<Double>, SIMD2<Double>)]
    public let inverseMassDiagonal: [Double]
    public let inverseStiffnessDiagonal: [Double]
    /// Lumped mass (row sums of `M`): the area each vertex owns.
    public let lumpedMass: [Double]

    public init(mesh: TriangleMesh) {
        self.mesh = mesh
        geometry = MeshGeometry(mesh)
        var m = SparseMatrix(p1Pattern: mesh), k = m
        var grads: [(SIMD2<Double>, SIMD2<Double>, SIMD2<Double>)] = []
        grads.reserveCapacity(mesh.triangleCount)
        for (t, tri) in mesh.triangles.enumerated() {
            let (p0, p1, p2) = mesh.corners(t)
            let area = geometry.area[t]
            // grad lambda_i = perp(p_{i+2} - p_{i+1}) / (2A), rotated so it points towards corner i.
            func g(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMD2<Double> { SIMD2(a.y - b.y, b.x - a.x) / (2 * area) }
            let gs = (g(p1, p2), g(p2, p0), g(p0, p1))
            grads.append(gs)
            let ga = [gs.0, gs.1, gs.2]
            for a in 0..<3 {
                let row = Int(tri[a])
                for b in 0..<3 {
                    let e = m.entry(row, tri[b])
                    m.values[e] += area / 12 * (a == b ? 2 : 1)
                    k.values[e] += area * (ga[a] * ga[b]).sum()
                }
            }
        }
        mass = m
        stiffness = k
        basisGradients = grads
        inverseMassDiagonal = m.diagonal.map { 1 / $0 }
        inverseStiffnessDiagonal = k.diagonal.map { $0 > 0 ? 1 / $0 : 1 }
        var lumped = [Double](repeating: 0, count: mesh.vertexCount)
        for (t, tri) in mesh.triangles.enumerated() {
            for a in 0..<3 { lumped[Int(tri[a])] += geometry.area[t] / 3 }
        }
        lumpedMass = lumped
    }

    /// Gradient of the P1 function with vertex values `u` on triangle `t`.
    @inlinable
    public func gradient(_ u: [Double], triangle t: Int) -> SIMD2<Double> {
        let tri = mesh.triangles[t], g = basisGradients[t]
        return u[Int(tri[0])] * g.0 + u[Int(tri[1])] * g.1 + u[Int(tri[2])] * g.2
    }

    /// Solves `M x = b` (mass matrix) by Jacobi CG to a relative residual of `1e-12`.
    public func solveMass(_ b: [Double], into x: inout [Double]) {
        _ = ConjugateGradient.solve(apply: { mass.multiply($0, into: &$1) }, inverseDiagonal: inverseMassDiagonal,
                                    b: b, x: &x, tolerance: 1e-12, maxIterations: 500)
    }

    /// L2 projection of the piecewise-constant gradient of `u` onto P1: `M g_i = int phi grad_i u`.
    public func recoverGradient(_ u: [Double]) -> (x: [Double], y: [Double]) {
        let n = mesh.vertexCount
        var bx = [Double](repeating: 0, count: n), by = bx
        for t in 0..<mesh.triangleCount {
            let g = gradient(u, triangle: t) * (geometry.area[t] / 3)
            for a in 0..<3 {
                let v = Int(mesh.triangles[t][a])
                bx[v] += g.x
                by[v] += g.y
            }
        }
        var gx = [Double](repeating: 0, count: n), gy = gx
        solveMass(bx, into: &gx)
        solveMass(by, into: &gy)
        return (gx, gy)
    }

    /// L2 projection of the Hessian of the P1 function `u` onto P1 tensors, by integration by parts (as in
    /// movement's equidistributor): `int psi H_ij = -int d_j psi d_i u + int_boundary psi (grad u)_tan,i n_j ds`.
    /// Returns the four components `xx, xy, yx, yy`.
    public func recoverHessian(_ u: [Double]) -> [[Double]] {
        let n = mesh.vertexCount
        var b = [[Double]](repeating: [Double](repeating: 0, count: n), count: 4)
        for t in 0..<mesh.triangleCount {
            let gu = gradient(u, triangle: t), area = geometry.area[t]
            let tri = mesh.triangles[t], g = basisGradients[t]
            let gs = [g.0, g.1, g.2]
            for a in 0..<3 {
                let v = Int(tri[a]), gp = gs[a]
                b[0][v] -= area * gp.x * gu.x
                b[1][v] -= area * gp.y * gu.x
                b[2][v] -= area * gp.x * gu.y
                b[3][v] -= area * gp.y * gu.y
            }
        }
        let topo = geometry.topology
        for e in topo.edges.indices where topo.right[e] < 0 {
            let t = Int(topo.left[e])
            let nrm = geometry.edgeNormal[e], len = geometry.edgeLength[e]
            let gu = gradient(u, triangle: t)
            let tan = gu - (gu * nrm).sum() * nrm
            let w = len / 2
            for v in [Int(topo.edges[e][0]), Int(topo.edges[e][1])] {
                b[0][v] += w * tan.x * nrm.x
                b[1][v] += w * tan.x * nrm.y
                b[2][v] += w * tan.y * nrm.x
                b[3][v] += w * tan.y * nrm.y
            }
        }
        return b.map { rhs in
            var h = [Double](repeating: 0, count: n)
            solveMass(rhs, into: &h)
            return h
        }
    }
}

/// Dunavant's 6-point rule on a triangle, exact for polynomials of degree 4: barycentric points and weights
/// (weights sum to 1; multiply by the area).
enum TriangleQuadrature {
    static let a = 0.445948490915965, b = 0.091576213509771
    static let wa = 0.223381589678011, wb = 0.109951743655322
    static let points: [(SIMD3<Double>, Double)] = [
        (SIMD3(a, a, 1 - 2 * a), wa), (SIMD3(a, 1 - 2 * a, a), wa), (SIMD3(1 - 2 * a, a, a), wa),
        (SIMD3(b, b, 1 - 2 * b), wb), (SIMD3(b, 1 - 2 * b, b), wb), (SIMD3(1 - 2 * b, b, b), wb),
    ]
}
