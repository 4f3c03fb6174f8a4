import Foundation
import SolverKit

/// Plane channel flow by the Kim-Moin-Moser (1987) velocity-vorticity method: Fourier in `x` and `z`, Chebyshev
/// collocation at the Gauss-Lobatto points in `y`.
///
/// **Equations.** With `phi = Laplacian v` and `omega = omega_y = du/dz - dw/dx`, for every wavenumber pair
/// `k != 0`: `d phi/dt = h_v + nu Laplacian phi`, `d omega/dt = h_g + nu Laplacian omega`, with
/// `v = dv/dy = 0` and `omega = 0` at the walls; `h_v = -d/dy (d H1/dx + d H3/dz) + (d^2/dx^2 + d^2/dz^2) H2` and
/// `h_g = d H1/dz - d H3/dx` where `H = -div(u u)` (divergence form). The `k = 0` mode holds the mean flow
/// `U(y)`, `W(y)`: `dU/dt = -d<uv>/dy + nu U'' + f`. `u` and `w` follow from continuity and `omega`:
/// `u = i (kx v' - kz omega) / k^2`, `w = i (kz v' + kx omega) / k^2`, so `div u = 0` holds to rounding.
///
/// **Discretisation.** Products are formed on a 3/2-padded grid in `x` and `z` (dealiased), not in `y`.
/// Time: ``LowStorageRK3`` (explicit RK3 on `h`, Crank-Nicolson-type on viscosity). Every implicit solve is a
/// Dirichlet Helmholtz problem (``ChebyshevHelmholtz``); the fourth-order `v` problem is split into two second-order
/// ones with an influence matrix (homogeneous solutions precomputed per wavenumber and stage) so that both
/// `v = 0` and `v' = 0` hold at the walls to rounding. `L u` is carried between stages from the implicit solve
/// (`L u_{k+1} = (u_{k+1} - R) / (beta dt)`), so no second derivative is ever formed explicitly.
///
/// **Layout.** Spectral fields are `[y][kz][kx]` of `Complex<Double>`, `ny x nz x (nx/2 + 1)`, true Fourier
/// coefficients (`u(x, z) = sum u_hat exp(i (kx x + kz z))` over the half spectrum and its conjugate). Row `j` is
/// at `y_j = cos(pi j / (ny - 1))`: row 0 is the upper wall. Nyquist modes are kept at zero.
public final class ChannelFlow {
    public let configuration: ChannelConfiguration
    public let scheme = LowStorageRK3()
    /// Chebyshev intervals (`ny - 1`).
    public let n: Int
    public let nkx: Int
    /// Wavenumber pairs per plane (`nz * nkx`); real columns are twice that.
    public let pairs: Int
    public let y: [Double]
    public let kx: [Double]
    public let kz: [Double]
    public let k2: [Double]
    /// 1 for the modes that evolve, 0 for Nyquist modes and for the (0, 0) mode in the `v`/`omega` equations.
    let active: [Bool]
    /// Clenshaw-Curtis weights in y.
    public let quadrature: [Double]
    let helmholtz: ChebyshevHelmholtz
    let derivative: ChebyshevDerivative
    /// With ``threads`` > 1: the derivative split into column blocks (offset in values, plan), one per worker.
    let derivativeBlocks: [DerivativeBlock]
    let plan: RealFFTPlan<Double>
    public let paddedX: Int
    public let paddedZ: Int

    // State.
    public let v: AlignedBuffer<Complex<Double>>
    public let omega: AlignedBuffer<Complex<Double>>
    public let phi: AlignedBuffer<Complex<Double>>
    let lphi: AlignedBuffer<Complex<Double>>
    let lomega: AlignedBuffer<Complex<Double>>
    let hvPrevious: AlignedBuffer<Complex<Double>>
    let hgPrevious: AlignedBuffer<Complex<Double>>
    public internal(set) var meanU: [Double]
    public internal(set) var meanW: [Double]
    var lmeanU: [Double]
    var lmeanW: [Double]
    var nuPrevious: [Double]
    var nwPrevious: [Double]

    public internal(set) var step: UInt64 = 0
    public internal(set) var time: Double = 0
    public internal(set) var timeStep: Double
    /// The mean pressure gradient `-dP/dx` of the last stage (constant for `.pressureGradient`).
    public internal(set) var pressureGradient: Double = 0
    /// `max(|u|/dx + |v|/dy + |w|/dz)` over the padded grid at the last stage evaluated.
    public internal(set) var courantRate: Double = 0

    // Scratch.
    let dv: AlignedBuffer<Complex<Double>>
    let uHat: AlignedBuffer<Complex<Double>>
    let wHat: AlignedBuffer<Complex<Double>>
    let products: [AlignedBuffer<Complex<Double>>]
    let hv: AlignedBuffer<Complex<Double>>
    let hg: AlignedBuffer<Complex<Double>>
    let rhs: AlignedBuffer<Complex<Double>>
    let work: AlignedBuffer<Complex<Double>>
    /// Per-worker scratch of the products (one per thread).
    let scratch: [PlaneScratch]
    /// Worker threads for the products (the `y` planes are split between them); 1 runs on the caller's thread.
    public let threads: Int
    var dvTop: [Double]
    var meanProductsUV: [Double] = []
    var meanProductsVW: [Double] = []
    var dvBottom: [Double]
    let inverseSpacingY: [Double]

    // Per-stage implicit data, rebuilt when dt changes.
    var sigmaImplicit: [[Double]] = []
    let sigmaPoisson: [Double]
    var homogeneousPhi: [AlignedBuffer<Double>] = []
    var homogeneousV: [AlignedBuffer<Double>] = []
    var influenceTop: [[Double]] = []
    var influenceBottom: [[Double]] = []
    var unitForcingMean: [[Double]] = []
    var builtFor: Double = -1
    var pressureHomogeneousCache: ([Double], [Double], [Double])?

    /// Seconds spent inside FFTW calls (2-D FFTs and DCTs) since creation, when ``measureTransforms`` is set.
    public var transformSeconds = 0.0
    public var measureTransforms = false
    /// Seconds in the three phases of the stages while ``measureTransforms`` is set: products (FFTs), their
    /// combination and `y` derivatives, the implicit solves (with the mean flow).
    public var phaseSeconds = [0.0, 0.0, 0.0]

    /// - Parameter threads: worker threads for the nonlinear products (the bulk of a step); at least 1.
    public init(configuration c: ChannelConfiguration, rigor: FFTPlanningRigor = .measure, threads: Int = 1) throws {
        try c.validate()
        guard threads >= 1 else { throw ChannelError.invalidCase("threads \(threads) must be at least 1") }
        self.threads = threads
        configuration = c
        n = c.ny - 1
        nkx = c.nx / 2 + 1
        pairs = c.nz * nkx
        y = Chebyshev.points(n)
        quadrature = Chebyshev.quadratureWeights(n)
        var kxs = [Double](), kzs = [Double](), act = [Bool]()
        for jz in 0..<c.nz {
            let mz = jz <= c.nz / 2 ? jz : jz - c.nz
            for ix in 0..<nkx {
                kxs.append(2 * Double.pi * Double(ix) / c.lx)
                kzs.append(2 * Double.pi * Double(mz) / c.lz)
                act.append(ix != c.nx / 2 && jz != c.nz / 2 && !(ix == 0 && jz == 0))
            }
        }
        kx = kxs
        kz = kzs
        k2 = zip(kxs, kzs).map { $0 * $0 + $1 * $1 }
        active = act
        do {
            helmholtz = try ChebyshevHelmholtz(intervals: n)
        } catch {
            throw ChannelError.numerics("Chebyshev Helmholtz set-up for ny \(c.ny) failed: \(error)")
        }
        derivative = try ChebyshevDerivative(intervals: n, columns: 2 * pairs, rigor: rigor)
        if threads > 1 {
            // Blocks of a multiple of 8 columns keep every block's start aligned like the field.
            let total = 2 * pairs
            let width = ((total + threads - 1) / threads + 7) / 8 * 8
            var blocks: [DerivativeBlock] = []
            var offset = 0
            while offset < total {
                let count = min(width, total - offset)
                blocks.append(DerivativeBlock(offset: offset, plan: try ChebyshevDerivative(
                    intervals: n, columns: count, rowStride: total, rigor: rigor)))
                offset += count
            }
            derivativeBlocks = blocks
        } else {
            derivativeBlocks = []
        }
        paddedX = 3 * c.nx / 2
        paddedZ = max(1, 3 * c.nz / 2)
        let fft = try RealFFTPlan<Double>(shape: [max(1, 3 * c.nz / 2), 3 * c.nx / 2], rigor: rigor)
        plan = fft
        let count = c.ny * pairs
        func field() -> AlignedBuffer<Complex<Double>> { AlignedBuffer(count: count) }
        v = field(); omega = field(); phi = field(); lphi = field(); lomega = field()
        hvPrevious = field(); hgPrevious = field()
        dv = field(); uHat = field(); wHat = field(); hv = field(); hg = field(); rhs = field(); work = field()
        products = (0..<6).map { _ in field() }
        scratch = (0..<threads).map { _ in PlaneScratch(plan: fft) }
        meanU = Array(repeating: 0, count: c.ny)
        meanW = meanU; lmeanU = meanU; lmeanW = meanU; nuPrevious = meanU; nwPrevious = meanU
        dvTop = Array(repeating: 0, count: 2 * pairs)
        dvBottom = dvTop
        timeStep = c.timeStep
        let ys = Chebyshev.points(c.ny - 1)
        let last = c.ny - 1
        inverseSpacingY = (0...last).map { j in
            let up = j > 0 ? ys[j - 1] - ys[j] : .infinity
            let down = j < last ? ys[j] - ys[j + 1] : .infinity
            return 1 / min(up, down)
        }
        var sp = [Double](repeating: 0, count: 2 * pairs)
        for p in 0..<pairs { sp[2 * p] = k2[p]; sp[2 * p + 1] = k2[p] }
        sigmaPoisson = sp
        if case .pressureGradient(let g) = c.driving { pressureGradient = g }
    }

    // MARK: Initial conditions

    /// Sets the state to the mean profile `u(y)` along x (values at the points ``y``) and no fluctuations.
    public func setMeanFlow(_ profile: [Double]) {
        precondition(profile.count == configuration.ny, "mean profile needs \(configuration.ny) values")
        v.fill(with: .zero); omega.fill(with: .zero); phi.fill(with: .zero)
        meanU = profile
        meanU[0] = 0
        meanU[n] = 0
        meanW = Array(repeating: 0, count: configuration.ny)
        refreshDerivedState()
    }

    /// The laminar Poiseuille profile of the current driving, `U = (G / 2 nu) (1 - y^2)` (`G = 3 nu U_b` for a
    /// given bulk velocity `U_b`).
    public func laminarProfile() -> [Double] {
        let nu = configuration.viscosity
        let g: Double
        switch configuration.driving {
        case .pressureGradient(let value): g = value
        case .flowRate(let bulk): g = 3 * nu * bulk
        }
        return y.map { g / (2 * nu) * (1 - $0 * $0) }
    }

    /// Adds the mode `v(y), omega(y)` at pair `(ix, jz)` (and its conjugate partner when `ix == 0`).
    /// `phi` is recomputed from `v` (`phi = v'' - k^2 v`). The profiles must vanish at the walls (and `v'` too).
    public func addMode(ix: Int, jz: Int, v values: [Complex<Double>], omega omegaValues: [Complex<Double>]) {
        addModeWithoutRefresh(ix: ix, jz: jz, v: values, omega: omegaValues)
        refreshDerivedState()
    }

    func addModeWithoutRefresh(ix: Int, jz: Int, v values: [Complex<Double>], omega omegaValues: [Complex<Double>]) {
        precondition(values.count == configuration.ny && omegaValues.count == configuration.ny)
        let p = jz * nkx + ix
        for j in 0...n {
            v[j * pairs + p] += values[j]
            omega[j * pairs + p] += omegaValues[j]
            if ix == 0, jz != 0 {
                let q = ((configuration.nz - jz) % configuration.nz) * nkx
                v[j * pairs + q] += values[j].conjugate
                omega[j * pairs + q] += omegaValues[j].conjugate
            }
        }
    }

    /// Recomputes `phi = (D^2 - k^2) v`, `L phi`, `L omega`, `L U`, `L W` from `v`, `omega`, `U`, `W`, and
    /// clears the stored explicit terms (the next step starts the scheme afresh).
    public func refreshDerivedState() {
        let nu = configuration.viscosity
        for p in 0..<pairs where !active[p] {
            for j in 0...n { v[j * pairs + p] = .zero; omega[j * pairs + p] = .zero }
        }
        // phi = D2 v - k^2 v (via two DCT derivatives).
        differentiate(v, into: work)
        differentiate(work, into: phi)
        for j in 0...n { for p in 0..<pairs { phi[j * pairs + p] -= k2[p] * v[j * pairs + p] } }
        laplacian(phi, into: lphi, scale: nu)
        laplacian(omega, into: lomega, scale: nu)
        lmeanU = secondDerivative(meanU).map { nu * $0 }
        lmeanW = secondDerivative(meanW).map { nu * $0 }
        hvPrevious.fill(with: .zero); hgPrevious.fill(with: .zero)
        nuPrevious = Array(repeating: 0, count: configuration.ny)
        nwPrevious = nuPrevious
    }

    /// `out = scale (D^2 - k^2) field` (DCT derivatives).
    func laplacian(_ field: AlignedBuffer<Complex<Double>>, into out: AlignedBuffer<Complex<Double>>, scale: Double) {
        differentiate(field, into: work)
        differentiate(work, into: out)
        for j in 0...n {
            for p in 0..<pairs {
                let i = j * pairs + p
                out[i] = scale * (out[i] - k2[p] * field[i])
            }
        }
    }

    /// `D^2 f` for one profile (dense matrix).
    func secondDerivative(_ f: [Double]) -> [Double] {
        let size = n + 1
        return (0...n).map { i in
            var s = 0.0
            for j in 0...n { s += helmholtz.secondDerivative[i * size + j] * f[j] }
            return s
        }
    }

    /// `D f` for one profile (dense matrix).
    public func firstDerivative(_ f: [Double]) -> [Double] {
        let size = n + 1
        return (0...n).map { i in
            var s = 0.0
            for j in 0...n { s += helmholtz.firstDerivative[i * size + j] * f[j] }
            return s
        }
    }

    /// `out = d field / dy` for every mode (DCT-I derivative; `out` may be `field`).
    func differentiate(_ field: AlignedBuffer<Complex<Double>>, into out: AlignedBuffer<Complex<Double>>) {
        if field !== out { out.assign(from: field) }
        if !derivativeBlocks.isEmpty {
            let data = DerivativeData(base: UnsafeMutableRawPointer(base(out)).assumingMemoryBound(to: Double.self))
            let blocks = derivativeBlocks
            DispatchQueue.concurrentPerform(iterations: blocks.count) { b in
                blocks[b].plan.differentiateInPlace(data.base + blocks[b].offset)
            }
            return
        }
        out.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { reals in
                // The buffer comes from fftw_malloc, so the base address exists and is SIMD-aligned.
                derivative.differentiateInPlace(reals.baseAddress!)
            }
        }
    }

    // MARK: Diagnostics

    /// `(1/2) integral U dy`.
    public var bulkVelocity: Double { 0.5 * zip(quadrature, meanU).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Wall shear `nu dU/dy` at the lower and upper walls (positive for forward flow at both).
    public var wallShear: (lower: Double, upper: Double) {
        let d = firstDerivative(meanU)
        return (configuration.viscosity * d[n], -configuration.viscosity * d[0])
    }

    /// Fills ``uHat``, ``wHat`` (and ``dv``) with the spectra of `u` and `w` of the current state.
    func computeVelocitySpectra() {
        timed { differentiate(v, into: dv) }
        let d = base(dv), o = base(omega), u = base(uHat), w = base(wHat)
        for j in 0...n {
            let row = j * pairs
            for p in 0..<pairs {
                let i = row + p
                guard active[p] else { u[i] = .zero; w[i] = .zero; continue }
                let a = d[i], b = o[i]
                let inv = 1 / k2[p]
                // u = i (kx dv - kz omega) / k^2, w = i (kz dv + kx omega) / k^2
                let su = kx[p] * a - kz[p] * b, sw = kz[p] * a + kx[p] * b
                u[i] = Complex(-su.im * inv, su.re * inv)
                w[i] = Complex(-sw.im * inv, sw.re * inv)
            }
            u[row] = Complex(meanU[j], 0)
            w[row] = Complex(meanW[j], 0)
        }
    }

    /// Spectra of the velocity components of the current state (copies), `[y][kz][kx]`.
    public func velocitySpectra() -> (u: [Complex<Double>], v: [Complex<Double>], w: [Complex<Double>]) {
        computeVelocitySpectra()
        return (Array(uHat), Array(v), Array(wHat))
    }

    /// The largest `|i kx u + dv/dy + i kz w|` over all modes, relative to the largest `|dv/dy|` (0 for a mean flow).
    public func divergenceResidual() -> Double {
        computeVelocitySpectra()
        var worst = 0.0, scale = 0.0
        for i in 0..<uHat.count {
            let p = i % pairs
            let d = Complex(-kx[p] * uHat[i].im - kz[p] * wHat[i].im, kx[p] * uHat[i].re + kz[p] * wHat[i].re) + dv[i]
            worst = max(worst, d.length)
            scale = max(scale, dv[i].length)
        }
        return scale > 0 ? worst / scale : worst
    }

    /// Kinetic energy of the fluctuations per unit volume, `(1/2) <|u'|^2>` averaged over the box.
    public func fluctuationEnergy() -> Double {
        computeVelocitySpectra()
        var e = 0.0
        for j in 0...n {
            var plane = 0.0
            for p in 0..<pairs where active[p] {
                let weight = p % nkx == 0 ? 1.0 : 2.0
                let i = j * pairs + p
                plane += weight * (uHat[i].lengthSquared + v[i].lengthSquared + wHat[i].lengthSquared)
            }
            e += quadrature[j] * plane
        }
        return 0.25 * e
    }

    /// The storage of a buffer the flow owns. `AlignedBuffer` storage comes from `fftw_malloc` and never moves, and
    /// every buffer passed here is a stored property of the flow, so the pointer is valid for the flow's lifetime.
    @inline(__always)
    func base<T>(_ buffer: AlignedBuffer<T>) -> UnsafeMutablePointer<T> {
        buffer.withUnsafeMutableBufferPointer { $0.baseAddress! }
    }

    @inline(__always)
    func timed(_ body: () -> Void) {
        guard measureTransforms else { body(); return }
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        transformSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
}

/// A block of adjacent columns of the `y` derivative with its own plan and scratch.
///
/// @unchecked Sendable: each block is used by one worker at a time (``ChannelFlow/differentiate(_:into:)`` hands
/// block `b` to worker `b` only).
struct DerivativeBlock: @unchecked Sendable {
    let offset: Int
    let plan: ChebyshevDerivative
}

/// The field a parallel derivative works on. @unchecked Sendable: the blocks' columns are disjoint.
struct DerivativeData: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}
