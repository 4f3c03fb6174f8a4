import SluiceModel
import SolverKit

extension ChannelFlow {
    /// Adds deterministic random divergence-free perturbations to the low wavenumbers `|mx|, |mz| <= modes`
    /// (`mx`, `mz` in units of `2 pi / lx`, `2 pi / lz`): `v = A (1 - y^2)^2 (a + b y + c y^2)` and
    /// `omega = A (1 - y^2)(d + e y + f y^2)` with complex normal-ish coefficients from `seed`. Both satisfy the
    /// wall conditions exactly (`v = v' = 0`, `omega = 0`), and `u`, `w` come from continuity, so the
    /// perturbation is solenoidal to rounding. Enough amplitude (about `0.1 U_b`) trips turbulence.
    public func addRandomPerturbation(amplitude: Double, seed: UInt64, modes: Int = 4) {
        var random = Xoshiro256StarStar(seed: seed)
        func draw() -> Complex<Double> {
            let a = Double(random.next() >> 11) / Double(1 << 53) - 0.5
            let b = Double(random.next() >> 11) / Double(1 << 53) - 0.5
            return Complex(2 * a, 2 * b)
        }
        let nz = configuration.nz
        for jz in 0..<nz where jz != nz / 2 {
            let mz = jz <= nz / 2 ? jz : jz - nz
            for ix in 0..<min(nkx - 1, modes + 1) {
                if abs(mz) > modes || (ix == 0 && mz <= 0) { continue }
                let (a, b, c, d, e, f) = (draw(), draw(), draw(), draw(), draw(), draw())
                let k = max(1, (k2[jz * nkx + ix]).squareRoot())
                var vs = [Complex<Double>](), ws = [Complex<Double>]()
                for t in y {
                    let bump = 1 - t * t
                    vs.append(amplitude / k * bump * bump * (a + t * b + t * t * c))
                    ws.append(amplitude * bump * (d + t * e + t * t * f))
                }
                addModeWithoutRefresh(ix: ix, jz: jz, v: vs, omega: ws)
            }
        }
        refreshDerivedState()
    }
}
