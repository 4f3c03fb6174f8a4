import SolverKit

/// An Orr-Sommerfeld eigen-solver independent of the DNS: Chebyshev collocation (dense differentiation matrices)
/// with clamped-wall rows replacing the first and last two equations, solved as the generalized problem
/// `A v = c B v` by LAPACK `zggev`.
///
/// `(U - c)(D^2 - alpha^2) v - U'' v = (1 / (i alpha Re)) (D^2 - alpha^2)^2 v`, `v = v' = 0` at `y = +-1`, for
/// plane Poiseuille flow `U = 1 - y^2` in centreline units. For an oblique wave `(alpha, beta)` the `alpha^2` of
/// the Laplacians becomes `k^2 = alpha^2 + beta^2`, and `v` grows at `alpha c_i`.
enum OrrSommerfeld {
    struct Mode {
        var c: Complex<Double>
        /// The eigenfunction `v` at the Gauss-Lobatto points (descending y), scaled so that `max |v| = 1`.
        var v: [Complex<Double>]
    }

    static func leastStableMode(reynolds: Double, alpha: Double, beta: Double = 0, intervals n: Int) throws -> Mode {
        let size = n + 1
        let y = Chebyshev.points(n)
        let d1 = Chebyshev.differentiationMatrix(n)
        let d2 = Chebyshev.multiply(d1, d1, size: size)
        let d4 = Chebyshev.multiply(d2, d2, size: size)
        let a2 = alpha * alpha + beta * beta   // k^2 of the oblique wave
        var a = [Complex<Double>](repeating: .zero, count: size * size)
        var b = a
        let viscous = Complex<Double>(0, 1 / (alpha * reynolds))   // -1/(i alpha Re)
        for i in 0..<size {
            let u = 1 - y[i] * y[i], upp = -2.0
            for j in 0..<size {
                let delta: Double = i == j ? 1 : 0
                let lap = d2[i * size + j] - a2 * delta
                let lap2 = d4[i * size + j] - 2 * a2 * d2[i * size + j] + a2 * a2 * delta
                a[i * size + j] = Complex(u * lap - upp * delta) + viscous * lap2
                b[i * size + j] = Complex(lap)
            }
        }
        // Clamped walls: v = 0 (rows 0, n) and v' = 0 (rows 1, n-1); B rows zero (infinite eigenvalues).
        for (row, kind) in [(0, 0), (n, 0), (1, 1), (n - 1, 1)] {
            let wall = row <= 1 ? 0 : n
            for j in 0..<size {
                a[row * size + j] = kind == 0 ? Complex(j == wall ? 1 : 0) : Complex(d1[wall * size + j])
                b[row * size + j] = .zero
            }
        }
        let system = try LAPACK.zggev(n: size, a: a, b: b, computeEigenvectors: true)
        var best: (Int, Complex<Double>)?
        for (j, value) in system.eigenvalues.enumerated() {
            guard let c = value, c.length < 10 else { continue }
            if best == nil || c.im > best!.1.im { best = (j, c) }
        }
        guard let (index, c) = best, let vector = system.eigenvector(index) else {
            throw LAPACKError.noConvergence(routine: "OrrSommerfeld (no finite eigenvalue)", info: 0)
        }
        let peak = vector.max { $0.length < $1.length }!
        let scale = Complex<Double>(1) / peak
        return Mode(c: c, v: vector.map { $0 * scale })
    }
}
