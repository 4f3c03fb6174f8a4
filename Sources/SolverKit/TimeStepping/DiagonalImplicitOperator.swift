/// A linear operator that is diagonal in the state's basis, `(L u)_k = lambda_k u_k` (the Fourier-space
/// viscosity `-nu |kappa|^2` and drag `-mu` of a pseudo-spectral solver), with the Crank-Nicolson sub-step of
/// ``SemiImplicitSystem/implicitSubstep(_:increment:weight:mu:)`` done in one pass:
///
/// `u_k = a_k u_k + weight * b_k * h_k`, `a_k = (1 + mu lambda_k) / (1 - mu lambda_k)`, `b_k = 1 / (1 - mu lambda_k)`.
///
/// The factor arrays depend on `mu` only, so they are computed once per distinct `mu` and cached (a fixed-step run
/// of a scheme with `s` stages uses at most `s` values). Requires `1 - mu lambda_k != 0`, true for the dissipative
/// `lambda_k <= 0` and any `mu >= 0`. Relative rounding of the result: a few ulps of `|u_k| + weight |h_k|`.
public final class DiagonalImplicitOperator {
    /// `lambda_k`, one per state element.
    public let eigenvalues: AlignedBuffer<Double>
    private var cache: [(mu: Double, a: AlignedBuffer<Double>, b: AlignedBuffer<Double>)] = []

    public init(eigenvalues: AlignedBuffer<Double>) {
        self.eigenvalues = eigenvalues
    }

    /// The sub-step on a complex state (spectral coefficients).
    public func substep(_ state: AlignedBuffer<Complex<Double>>, increment: AlignedBuffer<Complex<Double>>,
                        weight: Double, mu: Double) {
        precondition(state.count == eigenvalues.count && increment.count == eigenvalues.count,
                     "states of \(state.count) and \(increment.count) values for an operator of \(eigenvalues.count)")
        let (a, b) = factors(mu)
        let u = state.base, h = increment.base, pa = a.base, pb = b.base
        for i in 0..<eigenvalues.count {
            u[i] = u[i] * pa[i] + h[i] * (weight * pb[i])
        }
    }

    /// The sub-step on a real state.
    public func substep(_ state: AlignedBuffer<Double>, increment: AlignedBuffer<Double>, weight: Double, mu: Double) {
        precondition(state.count == eigenvalues.count && increment.count == eigenvalues.count,
                     "states of \(state.count) and \(increment.count) values for an operator of \(eigenvalues.count)")
        let (a, b) = factors(mu)
        let u = state.base, h = increment.base, pa = a.base, pb = b.base
        for i in 0..<eigenvalues.count {
            u[i] = u[i] * pa[i] + h[i] * (weight * pb[i])
        }
    }

    /// The per-mode amplification `a_k = (1 + mu lambda_k) / (1 - mu lambda_k)` of a Crank-Nicolson step with
    /// `mu = dt / 2` and no explicit term.
    public func amplification(mu: Double) -> AlignedBuffer<Double> { factors(mu).a }

    private func factors(_ mu: Double) -> (a: AlignedBuffer<Double>, b: AlignedBuffer<Double>) {
        if let hit = cache.first(where: { $0.mu == mu }) { return (hit.a, hit.b) }
        let n = eigenvalues.count
        let a = AlignedBuffer<Double>(count: n), b = AlignedBuffer<Double>(count: n)
        for i in 0..<n {
            let lambda = eigenvalues.base[i]
            let denominator = 1 - mu * lambda
            a.base[i] = (1 + mu * lambda) / denominator
            b.base[i] = 1 / denominator
        }
        if cache.count >= 16 { cache.removeFirst() }
        cache.append((mu, a, b))
        return (a, b)
    }
}
