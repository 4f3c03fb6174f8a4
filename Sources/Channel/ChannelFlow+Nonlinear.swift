import SolverKit

extension ChannelFlow {
    /// `hv`, `hg` and the (0,0) products from the current state: `u, v, w` on the 3/2-padded grid plane by plane,
    /// the six products `uu, uv, uw, vv, vw, ww` back to the truncated spectrum, then the `y` derivatives by DCT.
    /// Also sets ``courantRate``.
    func computeNonlinearTerms() {
        formProducts()
        combineProducts()
    }

    /// The six product spectra `uu, uv, uw, vv, vw, ww` into ``products`` (dealiased in x and z), and
    /// ``courantRate``, from the current state.
    func formProducts() {
        computeVelocitySpectra()
        let nx = configuration.nx, nz = configuration.nz
        let px = paddedX, pz = paddedZ, pkx = px / 2 + 1
        // Spectral Courant rate: pi / dx is the largest Fourier wavenumber, so dt * rate < sqrt(3) keeps RK3 stable.
        let dxInverse = Double.pi * Double(nx) / configuration.lx, dzInverse = Double.pi * Double(nz) / configuration.lz
        let scale = 1 / Double(px * pz)
        var rate = 0.0
        let sources = [uHat, v, wHat]
        let pairsOf: [(Int, Int)] = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
        let real = plan.real
        for j in 0...n {
            let row = j * pairs
            for (q, source) in sources.enumerated() {
                paddedSpectrum.fill(with: .zero)
                for jz in 0..<nz where jz != nz / 2 {
                    let target = (jz < nz / 2 ? jz : jz + (pz - nz)) * pkx
                    let from = row + jz * nkx
                    for ix in 0..<(nx / 2) { paddedSpectrum[target + ix] = source[from + ix] }
                }
                timed { plan.inverse(paddedSpectrum, into: physical[q]) }
            }
            let u = physical[0], vv = physical[1], w = physical[2]
            let dyInverse = Double.pi * inverseSpacingY[j]
            for i in 0..<u.count {
                rate = max(rate, abs(u[i]) * dxInverse + abs(vv[i]) * dyInverse + abs(w[i]) * dzInverse)
            }
            for (m, (first, second)) in pairsOf.enumerated() {
                let a = physical[first], b = physical[second]
                for i in 0..<real.count { real[i] = a[i] * b[i] }
                timed { plan.forward(real, into: paddedSpectrum) }
                let out = products[m]
                for jz in 0..<nz {
                    let to = row + jz * nkx
                    if jz == nz / 2 {
                        for ix in 0..<nkx { out[to + ix] = .zero }
                        continue
                    }
                    let from = (jz < nz / 2 ? jz : jz + (pz - nz)) * pkx
                    for ix in 0..<nkx { out[to + ix] = ix == nx / 2 ? .zero : scale * paddedSpectrum[from + ix] }
                }
            }
        }
        courantRate = rate
    }

    /// The KMM right-hand sides from the product spectra (see the type's documentation):
    /// `A = i kx uv + i kz vw`, `C = i kz uv - i kx vw`, `F = -(kx^2 uu + 2 kx kz uw + kz^2 ww) + k^2 vv + D A`,
    /// `hv = D F + k^2 A`, `hg = kx kz (uu - ww) + (kz^2 - kx^2) uw - D C`.
    func combineProducts() {
        let uu = products[0], uv = products[1], uw = products[2], vv = products[3], vw = products[4], ww = products[5]
        // The mean terms read uv and vw at (0,0) later: keep them before uv, vw are overwritten.
        meanProductsUV = (0...n).map { uv[$0 * pairs].re }
        meanProductsVW = (0...n).map { vw[$0 * pairs].re }
        for j in 0...n {
            for p in 0..<pairs {
                let i = j * pairs + p
                let ax = kx[p], az = kz[p]
                let a = Complex(-(ax * uv[i].im + az * vw[i].im), ax * uv[i].re + az * vw[i].re)
                let c = Complex(-(az * uv[i].im - ax * vw[i].im), az * uv[i].re - ax * vw[i].re)
                let shear: Complex<Double> = (az * az - ax * ax) * uw[i]
                hg[i] = ax * az * (uu[i] - ww[i]) + shear
                let q1: Complex<Double> = ax * ax * uu[i]
                let q2: Complex<Double> = (2 * ax * az) * uw[i]
                let q3: Complex<Double> = az * az * ww[i]
                let normal: Complex<Double> = k2[p] * vv[i]
                vv[i] = normal - (q1 + q2 + q3)
                uv[i] = a
                vw[i] = c
            }
        }
        timed { differentiate(uv, into: uu) }      // D A
        for i in 0..<vv.count { vv[i] += uu[i] }    // F
        timed { differentiate(vv, into: uw) }      // D F
        timed { differentiate(vw, into: ww) }      // D C
        for j in 0...n {
            for p in 0..<pairs {
                let i = j * pairs + p
                guard active[p] else { hv[i] = .zero; hg[i] = .zero; continue }
                hv[i] = uw[i] + k2[p] * uv[i]
                hg[i] -= ww[i]
            }
        }
    }
}
