import Meshes

/// Cell-centred finite volumes on a triangle mesh for the nonlinear shallow-water equations
///
///     h_t + div(h u) = 0,   (h u)_t + div(h u u + g h^2 / 2 I) = -g h grad z - g n^2 |u| u / h^{1/3}
///
/// (depth `h` [m], velocity `u` [m/s], bed elevation `z` [m], Manning coefficient `n` [s m^-1/3]), plus an optional
/// f-plane Coriolis term `-f k x (h u)`.
///
/// - Fluxes: HLL with Einfeldt-Davis wave speeds and the dry-front speeds `u -/+ 2 sqrt(g h)`.
/// - Well-balancing and wetting/drying: the hydrostatic reconstruction of Audusse et al. (SIAM J. Sci. Comput.
///   2004) at every edge, with the second-order centred bed source, so a lake at rest (`h + z` constant where wet,
///   `u = 0`), with or without dry cells, stays at rest to round-off.
/// - Second order: MUSCL on `h`, `h + z`, `u`, `v` with Green-Gauss gradients and the Barth-Jespersen limiter
///   (reconstructed depths stay within neighbouring cell values, so they are non-negative); cells with a dry
///   neighbour fall back to first order.
/// - Time: an ``SSPScheme`` with `dt = courant * min(inradius / (|u| + sqrt(g h)))`. With `courant <= 0.25` depths
///   stay non-negative (the forward-Euler positivity bound of the hydrostatic scheme is 0.5 on the in-radius for
///   first order and about half that for the reconstructed states on skewed triangles); round-off negatives
///   (`> -1e-12 m`) are set to zero.
/// - Boundaries: `wall` and `coast` reflect (zero mass flux exactly); `open` radiates: the ghost state keeps the
///   outgoing Riemann invariant `u_n + 2 sqrt(g h)` of the inside and takes the incoming one, `-2 sqrt(g h0)`, from
///   still water at `seaLevel` outside (zero-gradient where the flow is dry or supercritical).
/// - Mass `sum A_i h_i` is conserved to round-off with closed boundaries.
public final class ShallowWaterSolver {
    public struct Options: Sendable, Hashable {
        public var gravity = 9.81
        public var courant = 0.25
        public var scheme = SSPScheme.rk2
        /// Second-order MUSCL reconstruction (false: first order).
        public var secondOrder = true
        /// Depth below which a cell is dry: velocity zero, first-order reconstruction around it.
        public var dryDepth = 1e-6
        /// Manning coefficient, 0 for no friction.
        public var manning = 0.0
        /// Still-water surface elevation outside `open` boundaries (the radiation condition lets waves out towards it).
        public var seaLevel = 0.0
        /// Coriolis parameter `f` [1/s] of an f-plane: `(hu)_t += f hv`, `(hv)_t -= f hu` (0 for none).
        public var coriolis = 0.0
        public init(gravity: Double = 9.81, courant: Double = 0.25, scheme: SSPScheme = .rk2, secondOrder: Bool = true,
                    dryDepth: Double = 1e-6, manning: Double = 0, coriolis: Double = 0) {
            self.coriolis = coriolis
            self.gravity = gravity
            self.courant = courant
            self.scheme = scheme
            self.secondOrder = secondOrder
            self.dryDepth = dryDepth
            self.manning = manning
        }
    }

    public private(set) var mesh: TriangleMesh
    public private(set) var geometry: MeshGeometry
    public let options: Options
    /// Cell-average bed elevation.
    public internal(set) var bed: [Double]
    /// Conserved variables per cell.
    public internal(set) var h: [Double]
    public internal(set) var hu: [Double]
    public internal(set) var hv: [Double]
    public internal(set) var time = 0.0
    public internal(set) var steps = 0
    /// Sum of depth clipped from round-off negatives, in m^3 (a measure of mass lost to clipping).
    public internal(set) var clippedVolume = 0.0

    // Scratch.
    var rh: [Double], rhu: [Double], rhv: [Double]
    var stage0: ([Double], [Double], [Double])

    /// - Parameters:
    ///   - bed: cell-average bed elevation, one per triangle.
    ///   - depth: initial depth per cell (negative values are an error).
    public init(mesh: TriangleMesh, bed: [Double], depth: [Double], momentumX: [Double]? = nil, momentumY: [Double]? = nil,
                options: Options = Options()) throws {
        let n = mesh.triangleCount
        guard bed.count == n, depth.count == n else {
            throw ShallowWaterError.invalid("bed (\(bed.count)) and depth (\(depth.count)) need one value per triangle (\(n))")
        }
        guard depth.allSatisfy({ $0 >= 0 && $0.isFinite }), bed.allSatisfy(\.isFinite) else {
            throw ShallowWaterError.invalid("initial depth must be finite and non-negative, and the bed finite")
        }
        guard options.courant > 0, options.courant <= 0.5, options.gravity > 0, options.dryDepth > 0, options.manning >= 0,
              options.coriolis.isFinite else {
            throw ShallowWaterError.invalid("courant \(options.courant) must be in (0, 0.5], gravity \(options.gravity) and dry_depth \(options.dryDepth) positive, manning \(options.manning) >= 0")
        }
        self.mesh = mesh
        geometry = MeshGeometry(mesh)
        self.options = options
        self.bed = bed
        h = depth
        hu = momentumX ?? .init(repeating: 0, count: n)
        hv = momentumY ?? .init(repeating: 0, count: n)
        rh = .init(repeating: 0, count: n); rhu = rh; rhv = rh
        stage0 = (rh, rh, rh)
    }

    /// Total water volume `sum A_i h_i` [m^3].
    public var mass: Double {
        var m = 0.0
        for k in h.indices { m += geometry.area[k] * h[k] }
        return m
    }

    /// Free-surface elevation `h + z` per cell.
    public var surface: [Double] { zip(h, bed).map { $0 + $1 } }

    /// Velocity of cell `k` (zero when dry).
    @inline(__always)
    public func velocity(_ k: Int) -> SIMD2<Double> {
        let d = h[k]
        return d > options.dryDepth ? SIMD2(hu[k] / d, hv[k] / d) : .zero
    }

    /// The CFL step `courant * min(inradius / (|u| + sqrt(g h)))`, or +inf for still, dry water.
    public func stableTimeStep() -> Double {
        var dt = Double.infinity
        let g = options.gravity, dry = options.dryDepth, h = self.h, hu = self.hu, hv = self.hv, r = geometry.inradius
        for k in h.indices where h[k] > dry {
            let u = hu[k] / h[k], v = hv[k] / h[k]
            let s = (u * u + v * v).squareRoot() + (g * h[k]).squareRoot()
            if s > 0 { dt = min(dt, r[k] / s) }
        }
        return options.courant * dt
    }

    /// Advances by one step of size `dt` (use ``stableTimeStep()``).
    public func advance(by dt: Double) {
        let n = h.count
        stage0.0 = h; stage0.1 = hu; stage0.2 = hv
        _ = n
        for a in options.scheme.weights {
            computeTendency()
            Self.combine(&h, stage0.0, rh, a: a, dt: dt)
            Self.combine(&hu, stage0.1, rhu, a: a, dt: dt)
            Self.combine(&hv, stage0.2, rhv, a: a, dt: dt)
            clipRoundOff()
        }
        if options.manning > 0 { applyFriction(dt) }
        time += dt
        steps += 1
    }

    /// Steps with the CFL step until `time == endTime` (the last step is shortened).
    public func run(until endTime: Double) {
        while time < endTime {
            let dt = min(stableTimeStep(), endTime - time)
            guard dt.isFinite, dt > 0 else { time = endTime; return }
            advance(by: dt)
        }
    }

    /// `x = a x0 + (1 - a) (x + dt r)`: one Shu-Osher stage.
    private static func combine(_ x: inout [Double], _ x0: [Double], _ r: [Double], a: Double, dt: Double) {
        for k in x.indices { x[k] = a * x0[k] + (1 - a) * (x[k] + dt * r[k]) }
    }

    private func clipRoundOff() {
        clippedVolume += Self.clip(&h, &hu, &hv, area: geometry.area, floor: options.dryDepth * 1e-3)
    }

    /// Sets negative depths to zero (returning the volume added) and the momentum of near-empty cells to zero.
    private static func clip(_ h: inout [Double], _ hu: inout [Double], _ hv: inout [Double], area: [Double], floor: Double) -> Double {
        var added = 0.0
        for k in h.indices {
            if h[k] < 0 {
                added -= h[k] * area[k]
                h[k] = 0
            }
            if h[k] <= floor {
                hu[k] = 0
                hv[k] = 0
            }
        }
        return added
    }

    /// Semi-implicit Manning friction: `hu /= 1 + dt g n^2 |u| / h^{4/3}`.
    private func applyFriction(_ dt: Double) {
        let c = dt * options.gravity * options.manning * options.manning
        for k in h.indices where h[k] > options.dryDepth {
            let u = velocity(k)
            let factor = 1 + c * (u * u).sum().squareRoot() / pow43(h[k])
            hu[k] /= factor
            hv[k] /= factor
        }
    }

    @inline(__always)
    private func pow43(_ x: Double) -> Double { let c = cbrt(x); return x * c }

    /// Replaces the mesh geometry after the vertices moved (used by the ALE remap).
    func setVertices(_ vertices: [SIMD2<Double>]) {
        mesh.vertices = vertices
        geometry.update(mesh)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
