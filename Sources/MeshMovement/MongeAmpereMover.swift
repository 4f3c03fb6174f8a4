import Meshes

/// Monge-Ampere mesh movement by pseudo-time relaxation, the method of movement's `MongeAmpereMover_Relaxation`
/// (McRae, Cotter & Budd, SIAM J. Sci. Comput. 2018).
///
/// Physical vertices are `x = xi + grad phi` for a potential `phi` on the fixed computational mesh (coordinates `xi`)
/// such that `m(x) det(I + H(phi)) = theta`, `theta = int m det(I + H) dxi / |Omega|`. The equation is relaxed in
/// pseudo-time, `-d/dtau Laplace(phi) = m det(I + H) - theta`, by forward Euler with P1 finite elements:
///
///     int grad psi . grad phi^{n+1} = int grad psi . grad phi^n + dtau int psi (m det(I + H^n) - theta)
///
/// (the Neumann Laplacian, singular with the constants as null space, is solved by Jacobi CG on zero-mean data),
/// then `H^{n+1}` is the L2-projected Hessian of `phi^{n+1}` and `grad phi` the L2-projected gradient, with the
/// normal component removed at boundary vertices on straight segments and both components at corners. Integrals
/// use a degree-4 rule on the computational mesh; `m` is the P1 interpolant of its values at the physical vertices.
///
/// Convergence: the relative residual `|r| / |t|`, `r_i = int psi_i (m det(I+H) - theta)`, `t_i = int psi_i theta`
/// (movement's `relative_l2_residual`) below `relativeTolerance`.
public final class MongeAmpereMover {
    public struct Options: Sendable, Hashable {
        /// Pseudo-time step `dtau`. movement's default is 0.1; here 0.05, because with 0.1 movement's own ring demo
        /// settles into a period-2 oscillation with two tangled cells (forward Euler on the stiffest mode has
        /// amplification `1 - dtau m`, which leaves (-1, 1) where the monitor exceeds 20).
        public var pseudoTimestep = 0.05
        public var relativeTolerance = 1e-3
        public var maxIterations = 1000
        /// Stop as diverged when the residual exceeds this multiple of the first one (movement's `dtol`, 2).
        public var divergenceTolerance = 2.0
        public init(pseudoTimestep: Double = 0.05, relativeTolerance: Double = 1e-3, maxIterations: Int = 1000) {
            self.pseudoTimestep = pseudoTimestep
            self.relativeTolerance = relativeTolerance
            self.maxIterations = maxIterations
        }
    }

    /// Equidistribution figures as movement prints them: per cell `e_K = int_K m dx` over the physical cell divided
    /// by the computational cell's area; volume ratio `max e / min e`, coefficient of variation `std e / mean e`.
    public struct Equidistribution: Sendable, Hashable {
        public var volumeRatio: Double
        public var coefficientOfVariation: Double
    }

    public struct Report: Sendable, Hashable {
        public var iterations: Int
        public var residual: Double
        public var converged: Bool
        public var diverged: Bool
        /// Triangles of the physical mesh with non-positive signed area.
        public var tangledCount: Int
        public var equidistribution: Equidistribution
    }

    public let computational: P1Operators
    public let constraints: BoundaryConstraints
    public var options: Options
    /// The potential and its recovered Hessian (xx, xy, yx, yy), kept between calls as the next initial guess.
    public private(set) var phi: [Double]
    public private(set) var hessian: [[Double]]
    /// Physical vertex positions from the latest iteration.
    public private(set) var physical: [SIMD2<Double>]
    /// Monitor values at the physical vertices from the latest iteration.
    public private(set) var monitorValues: [Double]
    private let totalArea: Double

    public init(mesh: TriangleMesh, options: Options = Options()) {
        computational = P1Operators(mesh: mesh)
        constraints = BoundaryConstraints(mesh: mesh)
        self.options = options
        let n = mesh.vertexCount
        phi = .init(repeating: 0, count: n)
        hessian = .init(repeating: .init(repeating: 0, count: n), count: 4)
        physical = mesh.vertices
        monitorValues = .init(repeating: 1, count: n)
        totalArea = computational.geometry.totalArea
    }

    /// Forgets the previous solution (the next ``move(monitor:)`` starts from the computational mesh).
    public func reset() {
        for i in phi.indices { phi[i] = 0 }
        for c in 0..<4 { for i in phi.indices { hessian[c][i] = 0 } }
    }

    /// The physical mesh: the computational connectivity at ``physical``.
    public var physicalMesh: TriangleMesh {
        var m = computational.mesh
        m.vertices = physical
        return m
    }

    /// Relaxes to convergence (or `maxIterations`, or divergence) for `monitor` and returns the report; the moved
    /// vertices are ``physical``.
    @discardableResult
    public func move(monitor: MonitorFunction, progress: ((_ iteration: Int, _ residual: Double) -> Void)? = nil) -> Report {
        let mesh = computational.mesh, n = mesh.vertexCount
        var initialResidual = 0.0, residual = 0.0
        var iteration = 0, converged = false, diverged = false
        let stiffness = computational.stiffness
        while true {
            updatePhysical()
            for i in 0..<n { monitorValues[i] = monitor(physical[i]) }
            let (theta, r, t) = residualVectors()
            residual = ConjugateGradient.norm(r) / ConjugateGradient.norm(t)
            if iteration == 0 { initialResidual = residual }
            progress?(iteration, residual)
            if residual < options.relativeTolerance { converged = true; break }
            if residual > options.divergenceTolerance * initialResidual { diverged = true; break }
            if iteration >= options.maxIterations { break }
            _ = theta
            // Pseudo-time step: K phi_new = K phi + dtau r, solved for the increment K delta = dtau r (zero-mean
            // data; the tolerance is relative to the increment, not to K phi).
            let b = r.map { options.pseudoTimestep * $0 }
            var delta = [Double](repeating: 0, count: n)
            _ = ConjugateGradient.solve(apply: { stiffness.multiply($0, into: &$1) },
                                        inverseDiagonal: computational.inverseStiffnessDiagonal, b: b, x: &delta,
                                        tolerance: 1e-8, maxIterations: 10 * n, singular: true)
            for i in 0..<n { phi[i] += delta[i] }
            hessian = computational.recoverHessian(phi)
            iteration += 1
        }
        let tangled = (0..<mesh.triangleCount).reduce(0) { count, k in
            let t = mesh.triangles[k]
            let a = MeshGeometry.signedArea(physical[Int(t[0])], physical[Int(t[1])], physical[Int(t[2])])
            return count + (a <= 0 ? 1 : 0)
        }
        return Report(iterations: iteration, residual: residual, converged: converged, diverged: diverged,
                      tangledCount: tangled, equidistribution: equidistribution())
    }

    /// `x = xi + grad phi`, the gradient L2-projected with the boundary constraints (projected CG on the
    /// interleaved two-component mass system).
    private func updatePhysical() {
        let ops = computational, mesh = ops.mesh, n = mesh.vertexCount
        var b = [Double](repeating: 0, count: 2 * n)
        for t in 0..<mesh.triangleCount {
            let g = ops.gradient(phi, triangle: t) * (ops.geometry.area[t] / 3)
            for a in 0..<3 {
                let v = Int(mesh.triangles[t][a])
                b[2 * v] += g.x
                b[2 * v + 1] += g.y
            }
        }
        var g = [Double](repeating: 0, count: 2 * n)
        let inv = (0..<(2 * n)).map { ops.inverseMassDiagonal[$0 / 2] }
        _ = ConjugateGradient.solve(apply: { ops.mass.multiplyInterleaved($0, into: &$1) }, inverseDiagonal: inv, b: b, x: &g, tolerance: 1e-12, maxIterations: 1000,
           constrain: { [constraints] in constraints.apply(interleaved: &$0) })
        for i in 0..<n { physical[i] = mesh.vertices[i] + SIMD2(g[2 * i], g[2 * i + 1]) }
    }

    /// `theta`, the residual vector `r_i = int psi_i (m det(I + H) - theta)` and `t_i = int psi_i theta`, by the
    /// degree-4 rule on the computational mesh.
    private func residualVectors() -> (Double, [Double], [Double]) {
        let ops = computational, mesh = ops.mesh, n = mesh.vertexCount
        var md = [Double](repeating: 0, count: n)  // int psi_i m det(I+H)
        var integral = 0.0
        let h = hessian
        for t in 0..<mesh.triangleCount {
            let tri = mesh.triangles[t], area = ops.geometry.area[t]
            let i0 = Int(tri[0]), i1 = Int(tri[1]), i2 = Int(tri[2])
            for (l, w) in TriangleQuadrature.points {
                func at(_ f: [Double]) -> Double { l.x * f[i0] + l.y * f[i1] + l.z * f[i2] }
                let det = (1 + at(h[0])) * (1 + at(h[3])) - at(h[1]) * at(h[2])
                let value = at(monitorValues) * det * w * area
                integral += value
                md[i0] += value * l.x
                md[i1] += value * l.y
                md[i2] += value * l.z
            }
        }
        let theta = integral / totalArea
        var r = md, t = [Double](repeating: 0, count: n)
        for i in 0..<n {
            t[i] = theta * ops.lumpedMass[i]
            r[i] -= t[i]
        }
        return (theta, r, t)
    }

    /// movement's volume ratio and coefficient of variation for the current physical mesh.
    public func equidistribution() -> Equidistribution {
        let mesh = computational.mesh
        var e = [Double](repeating: 0, count: mesh.triangleCount)
        for k in 0..<mesh.triangleCount {
            let t = mesh.triangles[k]
            let a = MeshGeometry.signedArea(physical[Int(t[0])], physical[Int(t[1])], physical[Int(t[2])])
            let mean = (monitorValues[Int(t[0])] + monitorValues[Int(t[1])] + monitorValues[Int(t[2])]) / 3
            e[k] = a * mean / computational.geometry.area[k]
        }
        let mu = e.reduce(0, +) / Double(e.count)
        let variance = e.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(e.count)
        return Equidistribution(volumeRatio: (e.max() ?? 0) / (e.min() ?? 1), coefficientOfVariation: variance.squareRoot() / mu)
    }
}
