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
        let real = base(plan.real)
        let padded = base(paddedSpectrum)
        let fields = physical.map { base($0) }
        let planeCount = plan.realCount, paddedCount = plan.spectrumCount
        let sourcePointers = sources.map { base($0) }
        let productPointers = products.map { base($0) }
        for j in 0...n {
            let row = j * pairs
            for q in 0..<3 {
                let source = sourcePointers[q]
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
                let out = productPointers[m] + row
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
        courantRate = rate
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
