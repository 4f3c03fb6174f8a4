/// Fourier-spectral calculus on a ``PeriodicGrid``, through one reusable ``RealFFTPlan``.
///
/// Spectra here are the unnormalised half spectra of ``RealFFTPlan`` (`X[k] = sum_x x[x] exp(-2 pi i k.x / n)`),
/// indexed by the plan's ``RealFFTPlan/spectrumShape``. On axis `a` of length `L_a` the physical wavenumber of
/// integer wavenumber `k` is `kappa = 2 pi k / L_a`, so `d/dx_a` multiplies by `i kappa_a` and the Laplacian by
/// `-|kappa|^2`.
///
/// **Nyquist modes.** On an axis with an even number of points, index `n/2` holds `k = -n/2` (FFTW's order).
/// Even-order operators (the Laplacian, its inverse) use `kappa^2` there; odd-order derivatives use 0 instead
/// (``derivativeWavenumbers``), because `i kappa` would turn the self-conjugate Nyquist coefficient into one that
/// is not Hermitian, and the complex-to-real transform of a non-Hermitian array is not defined (FFTW and NumPy's
/// pocketfft give different answers). Zeroing it is the usual choice (Trefethen, *Spectral Methods in MATLAB*,
/// ch. 3) and keeps every result a real field.
///
/// **Dealiasing.** ``dealiasingMask`` is Orszag's 2/3 rule as the FNO generator writes it: a mode is kept when
/// `|k_a| <= (2/3) floor(n_a / 2)` on every axis. Multiplying a quadratic product's spectrum by it removes the
/// modes its aliases can reach.
///
/// The operators hold no state between calls beyond the plan's scratch buffers; every buffer argument must have
/// the plan's ``RealFFTPlan/realCount`` or ``RealFFTPlan/spectrumCount`` elements (checked by precondition).
public final class SpectralOperators {
    public let grid: PeriodicGrid
    public let plan: RealFFTPlan<Double>
    /// Signed physical wavenumbers `2 pi k / L_a` per axis over the half spectrum (Nyquist as `k = -n/2`).
    public let wavenumbers: [AlignedBuffer<Double>]
    /// As ``wavenumbers`` with the Nyquist index of each even axis set to 0: the multipliers of odd derivatives.
    public let derivativeWavenumbers: [AlignedBuffer<Double>]
    /// `|kappa|^2 = sum_a kappa_a^2` over the half spectrum.
    public let squaredWavenumbers: AlignedBuffer<Double>
    /// 1 for modes kept by the 2/3 rule, 0 for the rest.
    public let dealiasingMask: AlignedBuffer<Double>

    /// Plans the transforms for `grid` and tabulates the wavenumbers and the dealiasing mask.
    public init(grid: PeriodicGrid, rigor: FFTPlanningRigor = .measure) throws(FFTError) {
        let plan = try RealFFTPlan<Double>(shape: grid.shape, rigor: rigor)
        self.grid = grid
        self.plan = plan
        let count = plan.spectrumCount
        let spectral = plan.spectrumShape
        var strides = Array(repeating: 1, count: spectral.count)
        for axis in stride(from: spectral.count - 2, through: 0, by: -1) {
            strides[axis] = strides[axis + 1] * spectral[axis + 1]
        }
        var signed: [AlignedBuffer<Double>] = []
        var odd: [AlignedBuffer<Double>] = []
        let squared = AlignedBuffer<Double>(count: count)
        let mask = AlignedBuffer<Double>(repeating: 1, count: count)
        for axis in 0..<grid.dimensions {
            let integers = plan.wavenumbers(axis: axis)
            let n = grid.shape[axis]
            let scale = 2 * Double.pi / grid.lengths[axis]
            let keep = (2.0 / 3.0) * Double(n / 2)
            let full = AlignedBuffer<Double>(count: count)
            let derivative = AlignedBuffer<Double>(count: count)
            for index in 0..<count {
                let k = integers[(index / strides[axis]) % spectral[axis]]
                let kappa = scale * Double(k)
                full[index] = kappa
                derivative[index] = (n % 2 == 0 && abs(k) == n / 2) ? 0 : kappa
                squared[index] += kappa * kappa
                if Double(abs(k)) > keep { mask[index] = 0 }
            }
            signed.append(full)
            odd.append(derivative)
        }
        wavenumbers = signed
        derivativeWavenumbers = odd
        squaredWavenumbers = squared
        dealiasingMask = mask
    }

    /// Number of complex values in a half spectrum.
    public var spectrumCount: Int { plan.spectrumCount }
    /// Number of real values on the grid.
    public var realCount: Int { plan.realCount }

    // MARK: Transforms

    /// `spectrum = FFT(field)`, unnormalised; `field` is left intact.
    public func transform(_ field: AlignedBuffer<Double>, into spectrum: AlignedBuffer<Complex<Double>>) {
        plan.forward(field, into: spectrum)
    }

    /// `field = IFFT(spectrum) / N`, the exact inverse of ``transform(_:into:)``. `spectrum` is overwritten.
    public func inverseTransform(_ spectrum: AlignedBuffer<Complex<Double>>, into field: AlignedBuffer<Double>) {
        plan.normalizedInverse(spectrum, into: field)
    }

    // MARK: Spectral operators (may work in place: `output` may be `input`)

    /// `output = i kappa_axis * input`: the spectrum of `d/dx_axis` (Nyquist multiplier 0, see the type's notes).
    public func differentiate(
        _ input: AlignedBuffer<Complex<Double>>, axis: Int, into output: AlignedBuffer<Complex<Double>>
    ) {
        checkSpectra(input, output)
        let kappa = derivativeWavenumbers[axis].base, a = input.base, b = output.base
        for i in 0..<spectrumCount {
            let z = a[i], k = kappa[i]
            b[i] = Complex(-k * z.im, k * z.re)
        }
    }

    /// `output = -|kappa|^2 * input`: the spectrum of the Laplacian.
    public func laplacian(_ input: AlignedBuffer<Complex<Double>>, into output: AlignedBuffer<Complex<Double>>) {
        checkSpectra(input, output)
        let k2 = squaredWavenumbers.base, a = input.base, b = output.base
        for i in 0..<spectrumCount { b[i] = a[i] * -k2[i] }
    }

    /// `output = input / |kappa|^2` with the mean mode set to 0: the spectrum of the zero-mean `psi` solving
    /// `-Laplacian psi = f` for `input = FFT(f)`.
    public func solvePoisson(_ input: AlignedBuffer<Complex<Double>>, into output: AlignedBuffer<Complex<Double>>) {
        checkSpectra(input, output)
        let k2 = squaredWavenumbers.base, a = input.base, b = output.base
        for i in 0..<spectrumCount { b[i] = k2[i] > 0 ? a[i] * (1 / k2[i]) : .zero }
    }

    /// Multiplies `spectrum` by the 2/3-rule mask in place.
    public func dealias(_ spectrum: AlignedBuffer<Complex<Double>>) {
        precondition(spectrum.count == spectrumCount, "spectrum has \(spectrum.count) values, expected \(spectrumCount)")
        let m = dealiasingMask.base, a = spectrum.base
        for i in 0..<spectrumCount { a[i] = a[i] * m[i] }
    }

    // MARK: Physical-space helpers (use the plan's own buffers as scratch)

    /// `output = d field / dx_axis`, spectrally accurate for a smooth periodic field.
    public func derivative(of field: AlignedBuffer<Double>, axis: Int, into output: AlignedBuffer<Double>) {
        plan.forward(field, into: plan.spectrum)
        differentiate(plan.spectrum, axis: axis, into: plan.spectrum)
        plan.normalizedInverse(plan.spectrum, into: output)
    }

    /// `output = Laplacian field`.
    public func laplacian(of field: AlignedBuffer<Double>, into output: AlignedBuffer<Double>) {
        plan.forward(field, into: plan.spectrum)
        laplacian(plan.spectrum, into: plan.spectrum)
        plan.normalizedInverse(plan.spectrum, into: output)
    }

    private func checkSpectra(_ a: AlignedBuffer<Complex<Double>>, _ b: AlignedBuffer<Complex<Double>>) {
        precondition(a.count == spectrumCount && b.count == spectrumCount,
                     "spectra have \(a.count) and \(b.count) values, expected \(spectrumCount)")
    }
}
