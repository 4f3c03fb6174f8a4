import Dispatch
import SolverKit

/// The 2-D incompressible Navier-Stokes equations in vorticity form on a periodic box, pseudo-spectral:
///
/// `d omega/dt + u . grad omega = nu Laplacian omega - mu omega + f`,  `-Laplacian psi = omega`,
/// `u = d psi/dy`, `v = -d psi/dx`,
///
/// split for an ``IMEXScheme``: the explicit part is `F = f - D(u omega_x + v omega_y)` and the implicit, diagonal
/// part is `L = -nu |kappa|^2 - mu`. The state is the unnormalised half spectrum of `omega` (``RealFFTPlan``'s
/// convention). `x` is array axis 0, `y` axis 1 (FNO's `meshgrid(indexing="ij")`).
///
/// **The nonlinear term** is evaluated as in the FNO generator and jax-cfd: `psi`, `u`, `v`, `omega_x`, `omega_y`
/// by spectral differentiation, the product `u omega_x + v omega_y` on the grid, its transform multiplied by the
/// 2/3-rule mask `D` (``SpectralOperators/dealiasingMask``). The forcing is not dealiased (FNO). Odd derivatives
/// use 0 at the Nyquist wavenumber (see ``SpectralOperators``), where the FNO code uses `-n/2`; the two differ only
/// through the Nyquist modes of `omega`.
///
/// **Cost per explicit evaluation:** four complex-to-real and one real-to-complex FFT of the grid (about
/// `5 x 2.5 N log2 N` flops) and three passes over the spectrum; nothing is allocated.
///
/// **Invariants:** the mean vorticity (mode 0) is untouched by `F` when the forcing has zero mean, and `L` leaves
/// it alone for `mu = 0`; `u` is divergence-free to rounding.
public final class VorticityEquation: SemiImplicitSystem {
    public typealias State = AlignedBuffer<Complex<Double>>

    public let operators: SpectralOperators
    /// `FFT(f)`, unnormalised.
    public let forcingSpectrum: AlignedBuffer<Complex<Double>>
    /// `L = -nu |kappa|^2 - mu` per mode.
    public let implicitOperator: DiagonalImplicitOperator

    // Multipliers with the inverse transform's 1/N folded in: kx per spectrum row (axis 0), ky per column (axis 1),
    // 1/|kappa|^2 per mode (0 for the mean). The 2/3 mask keeps rows where `keptRow` and columns `0...keptColumns`.
    private let kx: [Double]
    private let ky: [Double]
    private let inverseK2: AlignedBuffer<Double>
    private let rows: Int
    private let columns: Int
    private let keptColumns: Int
    private let keptRow: [Bool]
    // Scratch: four spectra and fields (u, v, omega_x, omega_y) and the product's spectrum.
    private let spectra: [AlignedBuffer<Complex<Double>>]
    private let fields: [AlignedBuffer<Double>]
    private let productSpectrum: AlignedBuffer<Complex<Double>>

    /// When true, ``transformSeconds`` accumulates the wall time spent inside FFTW (for `sluice bench ns2d`).
    public var measureTransforms = false
    /// Seconds spent in FFTs since ``measureTransforms`` was set.
    public private(set) var transformSeconds = 0.0

    /// - Parameters:
    ///   - forcing: the vorticity forcing on the grid (``PeriodicGrid/pointCount`` values), or nil for none.
    public init(operators: SpectralOperators, viscosity: Double, drag: Double, forcing: AlignedBuffer<Double>?) {
        self.operators = operators
        let count = operators.spectrumCount
        let n = Double(operators.realCount)
        let eigenvalues = AlignedBuffer<Double>(count: count)
        let shape = operators.plan.spectrumShape
        rows = shape[0]
        columns = shape[1]
        inverseK2 = AlignedBuffer(count: count)
        for i in 0..<count {
            let k2 = operators.squaredWavenumbers[i]
            eigenvalues[i] = -viscosity * k2 - drag
            inverseK2[i] = k2 > 0 ? 1 / k2 : 0
        }
        kx = (0..<rows).map { operators.derivativeWavenumbers[0][$0 * shape[1]] / n }
        ky = (0..<columns).map { operators.derivativeWavenumbers[1][$0] / n }
        // The mask is a product of per-axis masks (SpectralOperators.dealiasingMask): read it off its axes.
        keptRow = (0..<rows).map { operators.dealiasingMask[$0 * shape[1]] == 1 }
        keptColumns = (0..<columns).last { operators.dealiasingMask[$0] == 1 } ?? 0
        implicitOperator = DiagonalImplicitOperator(eigenvalues: eigenvalues)
        forcingSpectrum = AlignedBuffer(count: count)
        if let forcing { operators.transform(forcing, into: forcingSpectrum) }
        spectra = (0..<4).map { _ in AlignedBuffer(count: count) }
        fields = (0..<4).map { _ in AlignedBuffer(count: operators.realCount) }
        productSpectrum = AlignedBuffer(count: count)
    }

    /// `F(omega) = FFT(f) - D FFT(u omega_x + v omega_y)`.
    public func explicitTendency(of state: State, time: Double, into tendency: State) {
        let count = operators.spectrumCount
        precondition(state.count == count && tendency.count == count, "vorticity spectra must have \(count) values")
        let plan = operators.plan
        let (rows, columns) = (self.rows, self.columns)
        state.withUnsafeBufferPointer { w in
        spectra[0].withUnsafeMutableBufferPointer { su in
        spectra[1].withUnsafeMutableBufferPointer { sv in
        spectra[2].withUnsafeMutableBufferPointer { sx in
        spectra[3].withUnsafeMutableBufferPointer { sy in
        ky.withUnsafeBufferPointer { my in
        inverseK2.withUnsafeBufferPointer { ik2 in
            for r in 0..<rows {
                let mx = kx[r], base = r * columns
                for c in 0..<columns {
                    // i omega_hat / N times kappa_x, kappa_y; u and v through psi_hat = omega_hat / |kappa|^2.
                    let i = base + c
                    let z = Complex(-w[i].im, w[i].re)
                    let wx = z * mx, wy = z * my[c]
                    sx[i] = wx
                    sy[i] = wy
                    su[i] = wy * ik2[i]
                    sv[i] = wx * -ik2[i]
                }
            }
        }}}}}}}
        let started = measureTransforms ? DispatchTime.now().uptimeNanoseconds : 0
        for k in 0..<4 { plan.inverse(spectra[k], into: fields[k]) }
        if measureTransforms { transformSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9 }
        fields[0].withUnsafeMutableBufferPointer { u in
        fields[1].withUnsafeBufferPointer { v in
        fields[2].withUnsafeBufferPointer { wx in
        fields[3].withUnsafeBufferPointer { wy in
            for i in 0..<u.count { u[i] = u[i] * wx[i] + v[i] * wy[i] }
        }}}}
        let forwardStarted = measureTransforms ? DispatchTime.now().uptimeNanoseconds : 0
        plan.forward(fields[0], into: productSpectrum)
        if measureTransforms { transformSeconds += Double(DispatchTime.now().uptimeNanoseconds - forwardStarted) * 1e-9 }
        let kept = keptColumns
        tendency.withUnsafeMutableBufferPointer { out in
        forcingSpectrum.withUnsafeBufferPointer { f in
        productSpectrum.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                let base = r * columns
                if keptRow[r] {
                    for c in 0...kept { out[base + c] = f[base + c] - p[base + c] }
                    for c in (kept + 1)..<columns { out[base + c] = f[base + c] }
                } else {
                    for c in 0..<columns { out[base + c] = f[base + c] }
                }
            }
        }}}
    }

    /// `omega = (I - mu L)^{-1} (omega + mu L omega + weight h)`, one pass (``DiagonalImplicitOperator``).
    public func implicitSubstep(_ state: State, increment: State, weight: Double, mu: Double) {
        implicitOperator.substep(state, increment: increment, weight: weight, mu: mu)
    }
}
