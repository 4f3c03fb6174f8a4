import Meshes
import MeshMovement

/// A monitor built from the solution, as in UM2N's data generation: `m = 1 + alpha * s / max(s)` where `s` is the
/// Frobenius norm of the recovered Hessian (or the norm of the recovered gradient) of the free surface `h + z` at the
/// vertices (dry cells count as still water, 0), smoothed by `smoothingPasses` of neighbour averaging.
public struct SolutionMonitor: Sendable, Hashable, Codable {
    public enum Indicator: String, Sendable, Hashable, Codable {
        case gradient
        case hessian
    }
    public var indicator: Indicator
    public var alpha: Double
    public var smoothingPasses: Int
    public init(indicator: Indicator = .hessian, alpha: Double = 5, smoothingPasses: Int = 2) {
        self.indicator = indicator
        self.alpha = alpha
        self.smoothingPasses = smoothingPasses
    }
}

/// Features of the solution at the vertices of one mesh, recovered by L2 projection.
public struct VertexFeatures: Sendable {
    /// Free surface `h + z` (0 where dry), depth, velocity.
    public var surface: [Double]
    public var depth: [Double]
    public var velocityX: [Double]
    public var velocityY: [Double]
    /// Recovered gradient of the surface `(x, y)` and Hessian `(xx, xy, yx, yy)`.
    public var gradient: (x: [Double], y: [Double])
    public var hessian: [[Double]]
    /// Monitor values `m >= 1`.
    public var monitor: [Double]
}

/// The shallow-water solver on a mesh moved by Monge-Ampere every `every` steps (ALE): at each adaptation the
/// monitor is computed from the solution on the current mesh, the mover (whose computational mesh is the initial
/// one) relaxes from its previous potential, and the solution is remapped conservatively onto the moved mesh.
public final class MovingMeshShallowWater {
    public let solver: ShallowWaterSolver
    public let mover: MongeAmpereMover
    public var every: Int
    public var monitor: SolutionMonitor

    /// Everything about one adaptation: the mesh and features before the move, and the moved vertices.
    public struct Adaptation: Sendable {
        public var step: Int
        public var time: Double
        /// The mesh before the move (the mesh the features live on).
        public var mesh: TriangleMesh
        public var vertices: [SIMD2<Double>] { mesh.vertices }
        public var features: VertexFeatures
        /// Where Monge-Ampere moves the vertices (the UM2N target).
        public var movedVertices: [SIMD2<Double>]
        /// The monitor function sampled on a uniform `gridPoints x gridPoints` grid over the bounding box,
        /// row-major (y rows).
        public var gridMonitor: [Double]
        public var movement: MongeAmpereMover.Report
        /// The Monge-Ampere potential `phi` at the computational vertices (`x = xi + grad phi`).
        public var potential: [Double]
        /// The remap; zero sub-steps when the move was refused (tangled or diverged) and the mesh kept.
        public var remap: ShallowWaterSolver.RemapReport
    }

    public static let gridPoints = 20

    public init(solver: ShallowWaterSolver, every: Int, monitor: SolutionMonitor = SolutionMonitor(),
                moverOptions: MongeAmpereMover.Options = .init(relativeTolerance: 1e-3, maxIterations: 300)) {
        self.solver = solver
        self.every = every
        self.monitor = monitor
        mover = MongeAmpereMover(mesh: solver.mesh, options: moverOptions)
    }

    /// One solver step; adapts after it when the step count is a multiple of `every`. Returns the adaptation, if any.
    @discardableResult
    public func advance(dt: Double? = nil) throws -> Adaptation? {
        solver.advance(by: dt ?? solver.stableTimeStep())
        guard every > 0, solver.steps % every == 0 else { return nil }
        return try adapt()
    }

    /// Computes the monitor from the solution, moves the mesh and remaps.
    public func adapt() throws -> Adaptation {
        let mesh = solver.mesh
        let features = vertexFeatures()
        let locator = PointLocator(mesh: mesh)
        let values = features.monitor
        let function: MonitorFunction = { x in locator.interpolate(vertexValues: values, at: x) }
        let report = mover.move(monitor: function)
        var moved = mover.physical
        var remap = ShallowWaterSolver.RemapReport(substeps: 0, relativeMassChange: 0)
        if report.tangledCount == 0, !report.diverged, let r = try? solver.moveMesh(to: moved) {
            remap = r
        } else {
            // A tangled or diverged relaxation, or a move whose path tangles: keep the mesh, and start the next
            // adaptation from the computational mesh.
            moved = mesh.vertices
            mover.reset()
        }
        let (lo, hi) = mesh.boundingBox
        let n = Self.gridPoints
        var grid: [Double] = []
        grid.reserveCapacity(n * n)
        for j in 0..<n {
            for i in 0..<n {
                let p = lo + (hi - lo) * SIMD2(Double(i), Double(j)) / Double(n - 1)
                grid.append(function(p))
            }
        }
        return Adaptation(step: solver.steps, time: solver.time, mesh: mesh, features: features,
                          movedVertices: moved, gridMonitor: grid, movement: report, potential: mover.phi, remap: remap)
    }

    /// Vertex values (area-weighted averages of the adjacent cells) and their recovered derivatives on the current
    /// mesh, and the monitor.
    public func vertexFeatures() -> VertexFeatures {
        let mesh = solver.mesh, geo = solver.geometry, n = mesh.vertexCount
        var weight = [Double](repeating: 0, count: n)
        var eta = weight, depth = weight, u = weight, v = weight
        for k in 0..<mesh.triangleCount {
            let a = geo.area[k], d = solver.h[k]
            let wet = d > solver.options.dryDepth
            let vel = solver.velocity(k)
            for c in 0..<3 {
                let i = Int(mesh.triangles[k][c])
                weight[i] += a
                eta[i] += a * (wet ? d + solver.bed[k] : 0)
                depth[i] += a * d
                u[i] += a * vel.x
                v[i] += a * vel.y
            }
        }
        for i in 0..<n {
            eta[i] /= weight[i]; depth[i] /= weight[i]; u[i] /= weight[i]; v[i] /= weight[i]
        }
        let ops = P1Operators(mesh: mesh)
        let grad = ops.recoverGradient(eta)
        let hess = ops.recoverHessian(eta)
        var s = [Double](repeating: 0, count: n)
        for i in 0..<n {
            switch monitor.indicator {
            case .gradient: s[i] = (grad.x[i] * grad.x[i] + grad.y[i] * grad.y[i]).squareRoot()
            case .hessian: s[i] = (0..<4).reduce(0) { $0 + hess[$1][i] * hess[$1][i] }.squareRoot()
            }
        }
        // Smoothing: replace each value by the mean over itself and its edge neighbours.
        let topo = geo.topology
        for _ in 0..<monitor.smoothingPasses {
            var sum = s, count = [Double](repeating: 1, count: n)
            for e in topo.edges {
                let a = Int(e[0]), b = Int(e[1])
                sum[a] += s[b]; count[a] += 1
                sum[b] += s[a]; count[b] += 1
            }
            for i in 0..<n { s[i] = sum[i] / count[i] }
        }
        let peak = s.max() ?? 0
        let m = s.map { peak > 0 ? 1 + monitor.alpha * $0 / peak : 1 }
        return VertexFeatures(surface: eta, depth: depth, velocityX: u, velocityY: v, gradient: grad, hessian: hess, monitor: m)
    }
}
