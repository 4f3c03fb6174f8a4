/// Solves Dirichlet Helmholtz problems `u'' - sigma u = f` on `[-1, 1]` at the Chebyshev-Gauss-Lobatto points for
/// many columns at once, by diagonalising the interior second-derivative collocation matrix once
/// (Haidvogel & Zang 1979): `D2_int = P Lambda P^-1`, so `u_int = P (Lambda - sigma)^-1 P^-1 (f - boundary terms)`.
///
/// Each solve is two `dgemm` calls of order `n - 1` over all columns plus one scaling pass: `O(n^2)` per column,
/// with no per-`sigma` factorisation, so one set of matrices serves every wavenumber and time-step coefficient.
/// The eigenvalues of `D2_int` are real and negative, so any `sigma >= 0` is nonsingular. The residual of the
/// collocation equations is about `1e-13` relative for `n <= 256` (the eigenvector matrix is well conditioned).
///
/// **Layout.** Data is `(n + 1) x columns` row-major (see ``ChebyshevDerivative``). On input rows `1...n-1` hold
/// `f` and rows `0` (`y = +1`) and `n` (`y = -1`) hold the boundary values; on output rows `1...n-1` hold `u`.
public final class ChebyshevHelmholtz {
    public let n: Int
    /// The eigenvalues of the interior second-derivative matrix (all negative).
    public let eigenvalues: [Double]
    /// The full `(n + 1)^2` first- and second-derivative collocation matrices.
    public let firstDerivative: [Double]
    public let secondDerivative: [Double]
    private let vectors: [Double]
    private let inverseVectors: [Double]
    private let topColumn: [Double]
    private let bottomColumn: [Double]
    private var scratch: [Double] = []

    /// - Throws: ``LAPACKError`` if the eigen-decomposition fails or yields complex eigenvalues.
    public init(intervals n: Int) throws(LAPACKError) {
        precondition(n >= 2, "ChebyshevHelmholtz needs n >= 2 intervals, got \(n)")
        self.n = n
        let size = n + 1, m = n - 1
        let d1 = Chebyshev.differentiationMatrix(n)
        let d2 = Chebyshev.multiply(d1, d1, size: size)
        firstDerivative = d1
        secondDerivative = d2
        var interior = [Double](repeating: 0, count: m * m)
        for i in 0..<m { for j in 0..<m { interior[i * m + j] = d2[(i + 1) * size + (j + 1)] } }
        topColumn = (1...m).map { d2[$0 * size] }
        bottomColumn = (1...m).map { d2[$0 * size + n] }
        let (re, im, p) = try LAPACK.dgeev(n: m, a: interior)
        let scale = re.map { abs($0) }.max() ?? 1
        if let bad = im.indices.first(where: { abs(im[$0]) > 1e-10 * scale || re[$0] >= 0 }) {
            throw LAPACKError.noConvergence(routine: "ChebyshevHelmholtz (complex eigenvalue \(re[bad]) + \(im[bad])i)", info: bad + 1)
        }
        eigenvalues = re
        vectors = p
        var a = p
        var identity = [Double](repeating: 0, count: m * m)
        for i in 0..<m { identity[i * m + i] = 1 }
        try LAPACK.dgesv(n: m, nrhs: m, a: &a, b: &identity)
        inverseVectors = identity
    }

    /// Solves `u'' - sigma[c] u = f` in every column `c` (see the type's layout), in place.
    ///
    /// - Precondition: `data` holds `(n + 1) * columns` values and `sigma.count == columns`.
    public func solve(_ data: UnsafeMutablePointer<Double>, columns: Int, sigma: UnsafePointer<Double>) {
        let m = n - 1
        if scratch.count < m * columns { scratch = [Double](repeating: 0, count: m * columns) }
        let top = data, bottom = data + n * columns, interior = data + columns
        for i in 0..<m {
            let row = interior + i * columns
            let t = topColumn[i], b = bottomColumn[i]
            for c in 0..<columns { row[c] -= t * top[c] + b * bottom[c] }
        }
        let interiorView = UnsafeMutableBufferPointer(start: interior, count: m * columns)
        scratch.withUnsafeMutableBufferPointer { g in
            var gView = UnsafeMutableBufferPointer(start: g.baseAddress!, count: m * columns)
            BLAS.gemm(m: m, n: columns, k: m, a: inverseVectors, b: UnsafeBufferPointer(interiorView), c: &gView)
            for k in 0..<m {
                let lambda = eigenvalues[k]
                let row = g.baseAddress! + k * columns
                for c in 0..<columns { row[c] /= lambda - sigma[c] }
            }
            var out = interiorView
            BLAS.gemm(m: m, n: columns, k: m, a: vectors, b: UnsafeBufferPointer(gView), c: &out)
        }
    }

    /// Values of `D f` at row `row` (0: `y = +1`, `n`: `y = -1`) for every column: `out[c] = sum_j D[row, j] f[j, c]`.
    public func derivativeRow(_ row: Int, of data: UnsafePointer<Double>, columns: Int, into out: UnsafeMutablePointer<Double>) {
        let size = n + 1
        out.update(repeating: 0, count: columns)
        for j in 0...n {
            let d = firstDerivative[row * size + j]
            let src = data + j * columns
            for c in 0..<columns { out[c] += d * src[c] }
        }
    }
}
