import Foundation

/// Gaussian random fields on a periodic grid, as in the FNO data generator (Li et al., "Fourier Neural
/// Operator for Parametric PDEs", ICLR 2021): `u ~ N(0, C)`, `C = sigma^2 (-Laplacian + tau^2 I)^(-alpha)`.
///
/// **Law.** On a torus of volume `V = prod L_a` the operator `C` has the orthonormal eigenfunctions
/// `e_k(x) = exp(i kappa.x) / sqrt(V)` with eigenvalues `lambda_k = sigma^2 (|kappa|^2 + tau^2)^(-alpha)`,
/// `kappa = 2 pi k / L`. A sample is the Karhunen-Loeve sum `u = sum_k sqrt(lambda_k) xi_k e_k` over the grid's
/// modes except `k = 0` (zero mean, as FNO sets `sqrt_eig[0,0] = 0`), with standard complex normal `xi_k`
/// (`E|xi|^2 = 1`) and `xi_{-k} = conj(xi_k)` so that `u` is real; self-conjugate modes (the Nyquist corners)
/// get a real standard normal. So `E[u(x) u(y)] = (1/V) sum_{k != 0} lambda_k cos(kappa.(x - y))` and the
/// unnormalised DFT of a sample has `E|U_k|^2 = N^2 lambda_k / V` (``spectralVariance``). This is the law of
/// FNO's `GaussianRF.sample`, which draws complex normals of unit variance for every mode of the full spectrum
/// and keeps the real part of the inverse transform; the draws themselves differ (our generator is
/// xoshiro256**, not PyTorch's), so fields are equal in distribution, not bit for bit.
///
/// **Parameters.** `alpha > d/2` makes the field continuous; `tau` sets the correlation length (about `1/tau`);
/// `sigma` defaults to `tau^(alpha - d/2)` (FNO), which makes the variance roughly independent of `tau`.
/// FNO's Navier-Stokes data use `alpha = 2.5`, `tau = 7` on the unit torus.
///
/// **Reproducibility.** ``sample(using:into:)`` takes the generator (solvers pass SluiceModel's seeded
/// `Xoshiro256StarStar`); the order of draws is fixed (two Box-Muller normals per half-spectrum index, in storage
/// order), so a seed gives the same field bit for bit on every run.
public final class GaussianRandomField {
    public let grid: PeriodicGrid
    public let alpha: Double
    public let tau: Double
    public let sigma: Double
    /// `E|U_k|^2` of the unnormalised DFT of a sample, per half-spectrum index (`N^2 lambda_k / V`, 0 at `k = 0`).
    public let spectralVariance: AlignedBuffer<Double>
    private let plan: RealFFTPlan<Double>
    /// For each half-spectrum index on a self-conjugate plane (last-axis index 0 or Nyquist): the index of its
    /// conjugate partner; -1 elsewhere.
    private let partner: [Int]

    /// - Throws: ``GaussianRandomFieldError`` for `alpha <= d/2`, a non-positive `tau` or `sigma`;
    ///   ``FFTError`` if the inverse transform cannot be planned.
    public init(grid: PeriodicGrid, alpha: Double, tau: Double, sigma: Double? = nil,
                rigor: FFTPlanningRigor = .estimate) throws {
        let d = Double(grid.dimensions)
        guard alpha.isFinite, alpha > d / 2 else { throw GaussianRandomFieldError.alpha(alpha, dimensions: grid.dimensions) }
        guard tau.isFinite, tau > 0 else { throw GaussianRandomFieldError.tau(tau) }
        let sigma = sigma ?? pow(tau, alpha - d / 2)
        guard sigma.isFinite, sigma > 0 else { throw GaussianRandomFieldError.sigma(sigma) }
        let operators = try SpectralOperators(grid: grid, rigor: rigor)
        self.grid = grid
        self.alpha = alpha
        self.tau = tau
        self.sigma = sigma
        self.plan = operators.plan
        let n = Double(grid.pointCount)
        let volume = grid.lengths.reduce(1, *)
        let variance = AlignedBuffer<Double>(count: operators.spectrumCount)
        for i in 0..<variance.count {
            let k2 = operators.squaredWavenumbers[i]
            variance[i] = i == 0 ? 0 : n * n * sigma * sigma * pow(k2 + tau * tau, -alpha) / volume
        }
        spectralVariance = variance
        partner = Self.conjugatePartners(shape: grid.shape, spectrumShape: plan.spectrumShape)
    }

    /// Pointwise variance `E[u(x)^2] = sum_k E|U_k|^2 / N^2` over the full spectrum (each half-spectrum index
    /// off the self-conjugate planes stands for two modes).
    public var pointVariance: Double {
        let n = Double(grid.pointCount)
        var total = 0.0
        for i in 0..<spectralVariance.count {
            total += spectralVariance[i] * (partner[i] < 0 ? 2 : 1)
        }
        return total / (n * n)
    }

    /// Draws one field into `field` (``PeriodicGrid/pointCount`` values) with generator `rng`.
    public func sample<G: RandomNumberGenerator>(using rng: inout G, into field: AlignedBuffer<Double>) {
        precondition(field.count == plan.realCount, "field has \(field.count) values, grid has \(plan.realCount)")
        let spectrum = plan.spectrum
        let scale = 1 / Double(grid.pointCount)
        for i in 0..<spectrum.count {
            let (a, b) = rng.nextStandardNormalPair()
            let s = spectralVariance[i].squareRoot() * scale
            if partner[i] == i {
                spectrum[i] = Complex(s * a, 0)
            } else {
                spectrum[i] = Complex(s * a * 0.5.squareRoot(), s * b * 0.5.squareRoot())
            }
        }
        for i in 0..<spectrum.count where partner[i] >= 0 && partner[i] < i {
            spectrum[i] = spectrum[partner[i]].conjugate
        }
        plan.inverse(spectrum, into: field)
    }

    private static func conjugatePartners(shape: [Int], spectrumShape: [Int]) -> [Int] {
        let rank = shape.count
        var strides = Array(repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * spectrumShape[axis + 1] }
        let count = spectrumShape.reduce(1, *)
        let last = shape[rank - 1]
        var result = Array(repeating: -1, count: count)
        for index in 0..<count {
            let m = index % spectrumShape[rank - 1]
            guard m == 0 || (last % 2 == 0 && m == last / 2) else { continue }
            var mirrored = m
            for axis in 0..<(rank - 1) {
                let k = (index / strides[axis]) % spectrumShape[axis]
                mirrored += ((shape[axis] - k) % shape[axis]) * strides[axis]
            }
            result[index] = mirrored
        }
        return result
    }
}

/// Gaussian random field parameters that define no valid field.
public struct GaussianRandomFieldError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case alpha, tau, sigma }
    private let code: Code
    public let description: String
    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func alpha(_ alpha: Double, dimensions: Int) -> GaussianRandomFieldError {
        GaussianRandomFieldError(.alpha, "GRF alpha \(alpha) must exceed d/2 = \(Double(dimensions) / 2) for a continuous field in \(dimensions) D")
    }

    static func tau(_ tau: Double) -> GaussianRandomFieldError {
        GaussianRandomFieldError(.tau, "GRF tau \(tau) must be finite and positive")
    }

    static func sigma(_ sigma: Double) -> GaussianRandomFieldError {
        GaussianRandomFieldError(.sigma, "GRF sigma \(sigma) must be finite and positive")
    }
}
