import Foundation

/// Chebyshev-Gauss-Lobatto collocation on `[-1, 1]`: points, the differentiation matrix and Clenshaw-Curtis
/// quadrature weights (Trefethen, *Spectral Methods in MATLAB*, programs `cheb` and `clencurt`).
///
/// **Ordering.** Point `j` of an `n`-interval grid is `y_j = cos(pi j / n)`, `j = 0...n`, so `y_0 = +1` and
/// `y_n = -1` (descending, as `cheb`). All matrices are row-major `(n + 1) x (n + 1)`.
public enum Chebyshev {
    /// The `n + 1` Gauss-Lobatto points `cos(pi j / n)`, computed as `sin(pi (n - 2j) / (2n))` so that the set is
    /// symmetric about 0 to the last bit.
    ///
    /// - Precondition: `n >= 1`.
    public static func points(_ n: Int) -> [Double] {
        precondition(n >= 1, "Chebyshev.points needs n >= 1, got \(n)")
        return (0...n).map { j in sin(Double.pi * Double(n - 2 * j) / Double(2 * n)) }
    }

    /// The collocation differentiation matrix `D` (`(D f)_i = f'(y_i)` exactly for polynomials of degree `<= n`),
    /// with diagonal entries set by the negative-sum trick so that `D` annihilates constants to rounding.
    public static func differentiationMatrix(_ n: Int) -> [Double] {
        let y = points(n)
        let size = n + 1
        var d = [Double](repeating: 0, count: size * size)
        func c(_ i: Int) -> Double { (i == 0 || i == n) ? 2 : 1 }
        for i in 0...n {
            var rowSum = 0.0
            for j in 0...n where j != i {
                let sign: Double = (i + j) % 2 == 0 ? 1 : -1
                let value = c(i) / c(j) * sign / (y[i] - y[j])
                d[i * size + j] = value
                rowSum += value
            }
            d[i * size + i] = -rowSum
        }
        return d
    }

    /// `a * b` for row-major square matrices of order `size` (a plain loop: used once per setup).
    public static func multiply(_ a: [Double], _ b: [Double], size: Int) -> [Double] {
        var c = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for k in 0..<size {
                let aik = a[i * size + k]
                if aik == 0 { continue }
                for j in 0..<size { c[i * size + j] += aik * b[k * size + j] }
            }
        }
        return c
    }

    /// Clenshaw-Curtis weights `w_j` with `sum_j w_j f(y_j) = integral_{-1}^{1} f dy` exactly for polynomials of
    /// degree `<= n`. They sum to 2.
    public static func quadratureWeights(_ n: Int) -> [Double] {
        precondition(n >= 1, "Chebyshev.quadratureWeights needs n >= 1, got \(n)")
        var w = [Double](repeating: 0, count: n + 1)
        let theta = (0...n).map { Double.pi * Double($0) / Double(n) }
        if n % 2 == 0 {
            w[0] = 1 / Double(n * n - 1)
            w[n] = w[0]
        } else {
            w[0] = 1 / Double(n * n)
            w[n] = w[0]
        }
        for j in 1..<max(1, n) {
            var v = 1.0
            if n % 2 == 0 {
                v -= cos(Double(n) * theta[j]) / Double(n * n - 1)
                for k in stride(from: 1, through: n / 2 - 1, by: 1) {
                    v -= 2 * cos(2 * Double(k) * theta[j]) / Double(4 * k * k - 1)
                }
            } else {
                for k in stride(from: 1, through: (n - 1) / 2, by: 1) {
                    v -= 2 * cos(2 * Double(k) * theta[j]) / Double(4 * k * k - 1)
                }
            }
            w[j] = 2 * v / Double(n)
        }
        return w
    }

    /// Values at arbitrary `targets` in `[-1, 1]` of the degree-`n` interpolant through `values` at the
    /// Gauss-Lobatto points, as a row-major `targets.count x (n + 1)` matrix (barycentric formula, weights
    /// `(-1)^j / c_j`); a target equal to a node gives the unit row.
    public static func interpolationMatrix(_ n: Int, to targets: [Double]) -> [Double] {
        let y = points(n)
        let size = n + 1
        let weights = (0...n).map { j -> Double in
            let sign: Double = j % 2 == 0 ? 1 : -1
            return (j == 0 || j == n) ? sign / 2 : sign
        }
        var m = [Double](repeating: 0, count: targets.count * size)
        for (row, t) in targets.enumerated() {
            if let exact = y.firstIndex(where: { abs($0 - t) < 1e-15 }) {
                m[row * size + exact] = 1
                continue
            }
            var total = 0.0
            for j in 0...n {
                let term = weights[j] / (t - y[j])
                m[row * size + j] = term
                total += term
            }
            for j in 0...n { m[row * size + j] /= total }
        }
        return m
    }
}

