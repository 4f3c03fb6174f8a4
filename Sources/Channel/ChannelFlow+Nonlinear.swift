import Dispatch
import SolverKit

extension ChannelFlow {
    /// The six product spectra `uu, uv, uw, vv, vw, ww` into ``products`` (dealiased in x and z), and
    /// ``courantRate``, from the current state. The `y` planes are independent: with ``threads`` > 1 they are
    /// split into contiguous blocks, one per worker, each with its own padded scratch (FFTW's new-array execute is
    /// thread-safe for one plan).
    func formProducts() {
        computeVelocitySpectra()
        let workers = min(threads, n + 1)
        let block = (n + 1 + workers - 1) / workers
        let planes = PlaneWork(flow: self)
        if workers == 1 {
            let (rate, seconds) = planes.run(rows: 0..<(n + 1), scratch: scratch[0], measure: measureTransforms)
            courantRate = rate
            transformSeconds += seconds
            return
        }
        let results = WorkerResults(count: workers)
        let measure = measureTransforms, planeTotal = n + 1
        DispatchQueue.concurrentPerform(iterations: workers) { k in
            let rows = (k * block)..<min(planeTotal, (k + 1) * block)
            guard !rows.isEmpty else { return }
            let (rate, seconds) = planes.run(rows: rows, scratch: planes.scratch[k], measure: measure)
            results.rate[k] = rate
            results.seconds[k] = seconds
        }
        courantRate = results.rate.max() ?? 0
        // Wall time inside FFTW: the workers overlap, so their mean, not their sum.
        transformSeconds += results.seconds.reduce(0, +) / Double(workers)
    }
    /// The KMM right-hand sides from the product spectra (see the type's documentation):
    /// `A = i kx uv + i kz vw`, `C = i kz uv - i kx vw`, `F = -(kx^2 uu + 2 kx kz uw + kz^2 ww) + k^2 vv + D A`,
    /// `hv = D F + k^2 A`, `hg = kx kz (uu - ww) + (kz^2 - kx^2) uw - D C`.
    func combineProducts() {
        let uu = base(products[0]), uv = base(products[1]), uw = base(products[2])
        let vv = base(products[3]), vw = base(products[4]), ww = base(products[5])
        let hvp = base(hv), hgp = base(hg)
        let count = hv.count
        // The mean terms read uv and vw at (0,0) later: keep them before uv, vw are overwritten.
        meanProductsUV = (0...n).map { uv[$0 * pairs].re }
        meanProductsVW = (0...n).map { vw[$0 * pairs].re }
        kx.withUnsafeBufferPointer { kxs in
            kz.withUnsafeBufferPointer { kzs in
                k2.withUnsafeBufferPointer { k2s in
                    for j in 0...n {
                        for p in 0..<pairs {
                            let i = j * pairs + p
                            let ax = kxs[p], az = kzs[p]
                            let a = Complex(-(ax * uv[i].im + az * vw[i].im), ax * uv[i].re + az * vw[i].re)
                            let c = Complex(-(az * uv[i].im - ax * vw[i].im), az * uv[i].re - ax * vw[i].re)
                            let shear: Complex<Double> = (az * az - ax * ax) * uw[i]
                            hgp[i] = ax * az * (uu[i] - ww[i]) + shear
                            let q1: Complex<Double> = ax * ax * uu[i]
                            let q2: Complex<Double> = (2 * ax * az) * uw[i]
                            let q3: Complex<Double> = az * az * ww[i]
                            let normal: Complex<Double> = k2s[p] * vv[i]
                            vv[i] = normal - (q1 + q2 + q3)
                            uv[i] = a
                            vw[i] = c
                        }
                    }
                }
            }
        }
        timed { differentiate(products[1], into: products[0]) }      // D A
        for i in 0..<count { vv[i] += uu[i] }                          // F
        timed { differentiate(products[3], into: products[2]) }      // D F
        timed { differentiate(products[4], into: products[5]) }      // D C
        for j in 0...n {
            for p in 0..<pairs {
                let i = j * pairs + p
                guard active[p] else { hvp[i] = .zero; hgp[i] = .zero; continue }
                hvp[i] = uw[i] + k2[p] * uv[i]
                hgp[i] -= ww[i]
            }
        }
    }
}

/// Scratch of one worker of ``ChannelFlow/formProducts()``: the padded spectrum, `u, v, w` and one product on the
/// padded grid.
struct PlaneScratch: @unchecked Sendable {
    let padded: AlignedBuffer<Complex<Double>>
    let fields: [AlignedBuffer<Double>]
    let real: AlignedBuffer<Double>

    init(plan: RealFFTPlan<Double>) {
        padded = AlignedBuffer(count: plan.spectrumCount)
        fields = (0..<3).map { _ in AlignedBuffer<Double>(count: plan.realCount) }
        real = AlignedBuffer(count: plan.realCount)
    }
}

/// Per-worker results of ``ChannelFlow/formProducts()``.
///
/// @unchecked Sendable: worker `k` writes only index `k`, and `concurrentPerform` returns after every worker.
final class WorkerResults: @unchecked Sendable {
    var rate: [Double]
    var seconds: [Double]
    init(count: Int) {
        rate = Array(repeating: 0, count: count)
        seconds = Array(repeating: 0, count: count)
    }
}

/// What the plane loop of ``ChannelFlow/formProducts()`` reads and writes, as raw pointers.
///
/// @unchecked Sendable: the velocity spectra are only read; each worker writes the product rows of its own
/// planes and its own scratch; `concurrentPerform` returns only after every worker finished, while the flow
/// (which owns every buffer) is alive.
struct PlaneWork: @unchecked Sendable {
    let plan: RealFFTPlan<Double>
    let scratch: [PlaneScratch]
    let sources: [UnsafeMutablePointer<Complex<Double>>]
    let products: [UnsafeMutablePointer<Complex<Double>>]
    let inverseSpacingY: [Double]
    let nx: Int, nz: Int, nkx: Int, pairs: Int, px: Int, pz: Int
    let dxInverse: Double, dzInverse: Double

    init(flow: ChannelFlow) {
        let c = flow.configuration
        plan = flow.plan
        scratch = flow.scratch
        sources = [flow.base(flow.uHat), flow.base(flow.v), flow.base(flow.wHat)]
        products = flow.products.map { flow.base($0) }
        inverseSpacingY = flow.inverseSpacingY
        nx = c.nx; nz = c.nz; nkx = flow.nkx; pairs = flow.pairs; px = flow.paddedX; pz = flow.paddedZ
        // Spectral Courant rate: pi / dx is the largest Fourier wavenumber, so dt * rate < sqrt(3) keeps RK3 stable.
        dxInverse = Double.pi * Double(c.nx) / c.lx
        dzInverse = Double.pi * Double(c.nz) / c.lz
    }

    /// Products of the planes `rows`; returns the largest Courant rate there and the seconds inside FFTW
    /// (0 unless `measure`).
    func run(rows: Range<Int>, scratch s: PlaneScratch, measure: Bool) -> (rate: Double, seconds: Double) {
        let pkx = px / 2 + 1
        let scale = 1 / Double(px * pz)
        let pairsOf: [(Int, Int)] = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
        let padded = s.padded.withUnsafeMutableBufferPointer { $0.baseAddress! }
        let real = s.real.withUnsafeMutableBufferPointer { $0.baseAddress! }
        let fields = s.fields.map { f in f.withUnsafeMutableBufferPointer { $0.baseAddress! } }
        let planeCount = plan.realCount, paddedCount = plan.spectrumCount
        var rate = 0.0, seconds = 0.0
        @inline(__always) func timed(_ body: () -> Void) {
            guard measure else { body(); return }
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            seconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        }
        for j in rows {
            let row = j * pairs
            for q in 0..<3 {
                let source = sources[q]
                padded.update(repeating: .zero, count: paddedCount)
                for jz in 0..<nz where jz != nz / 2 {
                    let target = padded + (jz < nz / 2 ? jz : jz + (pz - nz)) * pkx
                    target.update(from: source + row + jz * nkx, count: nx / 2)
                }
                timed { plan.inverse(unsafeInput: padded, output: fields[q]) }
            }
            let u = fields[0], vv = fields[1], w = fields[2]
            let dyInverse = Double.pi * inverseSpacingY[j]
            for i in 0..<planeCount {
                rate = max(rate, abs(u[i]) * dxInverse + abs(vv[i]) * dyInverse + abs(w[i]) * dzInverse)
            }
            for (m, (first, second)) in pairsOf.enumerated() {
                let a = fields[first], b = fields[second]
                for i in 0..<planeCount { real[i] = a[i] * b[i] }
                timed { plan.forward(unsafeInput: real, output: padded) }
                let out = products[m] + row
                for jz in 0..<nz {
                    let to = out + jz * nkx
                    if jz == nz / 2 {
                        to.update(repeating: .zero, count: nkx)
                        continue
                    }
                    let from = padded + (jz < nz / 2 ? jz : jz + (pz - nz)) * pkx
                    for ix in 0..<(nkx - 1) { to[ix] = scale * from[ix] }
                    to[nkx - 1] = .zero   // the Nyquist kx = nx / 2
                }
            }
        }
        return (rate, seconds)
    }
}
