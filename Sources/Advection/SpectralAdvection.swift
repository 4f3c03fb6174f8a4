import SolverKit

/// Fourier pseudo-spectral advection on the conservative form, for periodic velocity fields:
/// `dq_hat/dt = -D (i kappa_x FFT(u q) + i kappa_y FFT(v q))`, with `u`, `v` the point velocities times `g(t)`
/// and `D` the 2/3-rule mask. The state is the unnormalised half spectrum of the point values.
///
/// **Invariants.** The mean mode's tendency is exactly 0 (`kappa = 0`), so `sum q h^2` is conserved to the last
/// bit of the stored mean coefficient. Spectrally accurate in space for smooth data; the time error is the
/// Runge-Kutta scheme's (RK4: fourth order). Not monotone: discontinuous data ring (Gibbs).
///
/// Cost per evaluation: one complex-to-real and two real-to-complex FFTs, four passes.
public final class SpectralAdvection: ExplicitSystem {
    public typealias State = AlignedBuffer<Complex<Double>>
    public let operators: SpectralOperators
    private let velocity: VelocityField
    private let u: AlignedBuffer<Double>
    private let v: AlignedBuffer<Double>
    private let scratch: AlignedBuffer<Complex<Double>>
    private let q: AlignedBuffer<Double>
    private let fluxX: AlignedBuffer<Double>
    private let fluxY: AlignedBuffer<Double>
    private let spectrumX: AlignedBuffer<Complex<Double>>
    private let spectrumY: AlignedBuffer<Complex<Double>>

    init(operators: SpectralOperators, velocity: VelocityField) {
        self.operators = operators
        self.velocity = velocity
        let grid = operators.grid
        let x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1)
        let n = grid.shape[1]
        u = AlignedBuffer(count: grid.pointCount)
        v = AlignedBuffer(count: grid.pointCount)
        for i in x.indices {
            for j in y.indices {
                let w = velocity.pointVelocity(x[i], y[j])
                u[i * n + j] = w.u
                v[i * n + j] = w.v
            }
        }
        scratch = AlignedBuffer(count: operators.spectrumCount)
        q = AlignedBuffer(count: grid.pointCount)
        fluxX = AlignedBuffer(count: grid.pointCount)
        fluxY = AlignedBuffer(count: grid.pointCount)
        spectrumX = AlignedBuffer(count: operators.spectrumCount)
        spectrumY = AlignedBuffer(count: operators.spectrumCount)
    }

    /// `max|u| + max|v|` over the grid at `g = 1`.
    var maximumSpeedSum: Double {
        u.reduce(0) { max($0, abs($1)) } + v.reduce(0) { max($0, abs($1)) }
    }

    public func tendency(of state: State, time: Double, into tendency: State) {
        let g = velocity.timeFactor(time)
        scratch.assign(state)
        operators.inverseTransform(scratch, into: q)
        for i in 0..<q.count {
            fluxX[i] = g * u[i] * q[i]
            fluxY[i] = g * v[i] * q[i]
        }
        operators.transform(fluxX, into: spectrumX)
        operators.transform(fluxY, into: spectrumY)
        let kx = operators.derivativeWavenumbers[0], ky = operators.derivativeWavenumbers[1]
        let mask = operators.dealiasingMask
        for i in 0..<tendency.count {
            // -(i kx Fx + i ky Fy) D
            let sum = spectrumX[i] * kx[i] + spectrumY[i] * ky[i]
            tendency[i] = Complex(sum.im, -sum.re) * mask[i]
        }
    }
}
