import SolverKit

extension ChannelFlow {
    /// The pressure spectrum `[y][kz][kx]` of the current state (kinematic, `p / rho`), from the Poisson problem
    /// the velocity-vorticity form never needs:
    /// `(D^2 - k^2) p = div H = Q - 2 D A - D^2 (vv)` (with `A = i kx uv + i kz vw`,
    /// `Q = kx^2 uu + 2 kx kz uw + kz^2 ww`) in the interior and the wall-normal momentum equation at the walls,
    /// `D p = H2 + nu (D^2 - k^2) v` (Neumann), imposed through two homogeneous solutions per mode (an influence
    /// matrix, as for `v`). The `(0, 0)` mode is `P(y) = -<vv>(y)` with zero mean over `y`: the mean pressure
    /// gradient that drives the flow is not included.
    public func pressureSpectrum() -> [Complex<Double>] {
        formProducts()
        let uu = products[0], uv = products[1], uw = products[2], vv = products[3], vw = products[4], ww = products[5]
        for i in 0..<uu.count {
            let p = i % pairs
            let ax = kx[p], az = kz[p]
            let q1: Complex<Double> = ax * ax * uu[i]
            let q2: Complex<Double> = (2 * ax * az) * uw[i]
            let q3: Complex<Double> = az * az * ww[i]
            uu[i] = q1 + q2 + q3                                                              // Q
            uv[i] = Complex(-(ax * uv[i].im + az * vw[i].im), ax * uv[i].re + az * vw[i].re)  // A
        }
        timed { differentiate(uv, into: uw) }   // D A
        timed { differentiate(vv, into: ww) }   // D vv
        timed { differentiate(ww, into: vw) }   // D^2 vv
        let meanVV = (0...n).map { vv[$0 * pairs].re }
        let out = AlignedBuffer<Complex<Double>>(count: uu.count)
        for j in 1..<n {
            for p in 0..<pairs where active[p] {
                let i = j * pairs + p
                let twice: Complex<Double> = 2 * uw[i]
                out[i] = uu[i] - twice - vw[i]
            }
        }
        // Dirichlet-zero particular solution.
        out.withUnsafeMutableBufferPointer { b in
            b.withMemoryRebound(to: Double.self) { r in
                sigmaPoisson.withUnsafeBufferPointer { helmholtz.solve(r.baseAddress!, columns: 2 * pairs, sigma: $0.baseAddress!) }
                helmholtz.derivativeRow(0, of: UnsafePointer(r.baseAddress!), columns: 2 * pairs, into: &dvTop)
                helmholtz.derivativeRow(n, of: UnsafePointer(r.baseAddress!), columns: 2 * pairs, into: &dvBottom)
            }
        }
        let (g1, top, bottom) = pressureHomogeneous()
        let size = n + 1
        let d2 = helmholtz.secondDerivative
        for p in 0..<pairs where active[p] {
            // Neumann data D p = H2 + nu (D^2 - k^2) v at each wall; H2 = -(A + D vv).
            var wall = [Complex<Double>](repeating: .zero, count: 2)
            for (w, row) in [0, n].enumerated() {
                var lap = Complex<Double>.zero
                for j in 0...n { lap += d2[row * size + j] * v[j * pairs + p] }
                let i = row * pairs + p
                wall[w] = -1 * (uv[i] + ww[i]) + configuration.viscosity * (lap - k2[p] * v[i])
            }
            let t = top[p], bt = bottom[p]
            let det = bt * bt - t * t
            let r0 = wall[0] - Complex(dvTop[2 * p], dvTop[2 * p + 1])
            let r1 = wall[1] - Complex(dvBottom[2 * p], dvBottom[2 * p + 1])
            let a1 = (-t * r0 + bt * r1) * (1 / det)
            let a2 = (t * r1 - bt * r0) * (1 / det)
            for j in 0...n { out[j * pairs + p] += g1[j * pairs + p] * a1 + g1[(n - j) * pairs + p] * a2 }
        }
        let average = 0.5 * zip(quadrature, meanVV).reduce(0) { $0 + $1.0 * $1.1 }
        for j in 0...n { out[j * pairs] = Complex(average - meanVV[j], 0) }
        return Array(out)
    }

    /// `g1` with `(D^2 - k^2) g1 = 0`, `g1(+1) = 1`, `g1(-1) = 0` for every pair (`[y][pair]`, real), and `D g1` at
    /// the upper and lower wall. Built on first use.
    func pressureHomogeneous() -> ([Double], [Double], [Double]) {
        if let cached = pressureHomogeneousCache { return cached }
        var g = [Double](repeating: 0, count: (n + 1) * pairs)
        for p in 0..<pairs { g[p] = 1 }
        var sigma = k2
        var top = [Double](repeating: 0, count: pairs), bottom = top
        g.withUnsafeMutableBufferPointer { b in
            sigma.withUnsafeMutableBufferPointer { helmholtz.solve(b.baseAddress!, columns: pairs, sigma: $0.baseAddress!) }
            helmholtz.derivativeRow(0, of: UnsafePointer(b.baseAddress!), columns: pairs, into: &top)
            helmholtz.derivativeRow(n, of: UnsafePointer(b.baseAddress!), columns: pairs, into: &bottom)
        }
        pressureHomogeneousCache = (g, top, bottom)
        return (g, top, bottom)
    }
}
