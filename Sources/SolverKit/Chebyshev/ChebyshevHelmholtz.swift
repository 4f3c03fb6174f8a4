/// Solves Dirichlet Helmholtz problems `u'' - sigma u = f` on `[-1, 1]` at the Chebyshev-Gauss-Lobatto points for
/// many columns at once, by diagonalising the interior second-derivative collocation matrix once
/// (Haidvogel & Zang 1979): `D2_int = P Lambda P^-1`, so `u_int = P (Lambda - sigma)^-1 P^-1 (f - boundary terms)`.
///
/// `D2_int` commutes with the reflection `y -> -y` (the points are symmetric), so it is diagonalised separately on
/// even and odd vectors, each of half the order: a solve is four `dgemm` calls of order about `(n - 1) / 2` over all
/// columns (half the work of the full matrices) plus splitting, scaling and recombining passes. There is no
/// per-`sigma` factorisation, so one set of matrices serves every wavenumber and time-step coefficient. The
/// eigenvalues of `D2_int` are real and negative, so any `sigma >= 0` is nonsingular. The residual of the
/// collocation equations is about `1e-13` relative for `n <= 256` (the eigenvector matrices are well conditioned).
///
/// **Layout.** Data is `(n + 1) x columns` row-major (see ``ChebyshevDerivative``). On input rows `1...n-1` hold
/// `f` and rows `0` (`y = +1`) and `n` (`y = -1`) hold the boundary values; on output rows `1...n-1` hold `u`.
public final class ChebyshevHelmholtz {
    public let n: Int
    /// The eigenvalues of the even and the odd part of the interior second-derivative matrix (all negative).
    public let evenEigenvalues: [Double]
    public let oddEigenvalues: [Double]
    /// The full `(n + 1)^2` first- and second-derivative collocation matrices.
    public let firstDerivative: [Double]
    public let secondDerivative: [Double]
    private let evenVectors: [Double], evenInverse: [Double]
    private let oddVectors: [Double], oddInverse: [Double]
    private let topColumn: [Double]
    private let bottomColumn: [Double]
    /// Interior points (`n - 1`), even-part order (the first half plus the middle point when `n - 1` is odd), odd order.
    private let m: Int, he: Int, ho: Int
    private var even: [Double] = [], odd: [Double] = [], scratch: [Double] = []

    /// - Throws: ``LAPACKError`` if an eigen-decomposition fails or yields complex or non-negative eigenvalues.
    public init(intervals n: Int) throws(LAPACKError) {
        precondition(n >= 2, "ChebyshevHelmholtz needs n >= 2 intervals, got \(n)")
        self.n = n
        let size = n + 1, m = n - 1
        let d1 = Chebyshev.differentiationMatrix(n)
        let d2 = Chebyshev.multiply(d1, d1, size: size)
        firstDerivative = d1
        secondDerivative = d2
        topColumn = (1...m).map { d2[$0 * size] }
        bottomColumn = (1...m).map { d2[$0 * size + n] }
        let ho = m / 2, he = m - ho
        self.m = m
        self.he = he
        self.ho = ho
        // Interior index k (point k + 1); its mirror is m - 1 - k. Even part: columns l and its mirror added.
        func a(_ k: Int, _ l: Int) -> Double { d2[(k + 1) * size + (l + 1)] }
        var evenMatrix = [Double](repeating: 0, count: he * he)
        for k in 0..<he {
            for l in 0..<he {
                let mirror = m - 1 - l
                evenMatrix[k * he + l] = mirror == l ? a(k, l) : a(k, l) + a(k, mirror)
            }
        }
        var oddMatrix = [Double](repeating: 0, count: ho * ho)
        for k in 0..<ho { for l in 0..<ho { oddMatrix[k * ho + l] = a(k, l) - a(k, m - 1 - l) } }
        (evenEigenvalues, evenVectors, evenInverse) = try Self.diagonalise(evenMatrix, order: he)
        (oddEigenvalues, oddVectors, oddInverse) = try Self.diagonalise(oddMatrix, order: ho)
    }

    private static func diagonalise(_ matrix: [Double], order: Int) throws(LAPACKError) -> ([Double], [Double], [Double]) {
        if order == 0 { return ([], [], []) }
        let (re, im, p) = try LAPACK.dgeev(n: order, a: matrix)
        let scale = re.map { abs($0) }.max() ?? 1
        if let bad = im.indices.first(where: { abs(im[$0]) > 1e-10 * scale || re[$0] >= 0 }) {
            throw LAPACKError.noConvergence(routine: "ChebyshevHelmholtz (eigenvalue \(re[bad]) + \(im[bad])i)", info: bad + 1)
        }
        var factors = p
        var inverse = [Double](repeating: 0, count: order * order)
        for i in 0..<order { inverse[i * order + i] = 1 }
        try LAPACK.dgesv(n: order, nrhs: order, a: &factors, b: &inverse)
        return (re, p, inverse)
    }

    /// Solves `u'' - sigma[c] u = f` in every column `c` (see the type's layout), in place.
    ///
    /// - Precondition: `data` holds `(n + 1) * columns` values and `sigma.count == columns`.
    public func solve(_ data: UnsafeMutablePointer<Double>, columns: Int, sigma: UnsafePointer<Double>) {
        if even.count < he * columns { even = [Double](repeating: 0, count: he * columns) }
        if odd.count < max(1, ho * columns) { odd = [Double](repeating: 0, count: max(1, ho * columns)) }
        if scratch.count < he * columns { scratch = [Double](repeating: 0, count: he * columns) }
        let top = data, bottom = data + n * columns, interior = data + columns
        for i in 0..<m {
            let row = interior + i * columns
            let t = topColumn[i], b = bottomColumn[i]
            for c in 0..<columns { row[c] -= t * top[c] + b * bottom[c] }
        }
        even.withUnsafeMutableBufferPointer { e in
            odd.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { g in
                    let ep = e.baseAddress!, op = o.baseAddress!, gp = g.baseAddress!
                    // Split: even_k = (f_k + f_mirror) / 2, odd_k = (f_k - f_mirror) / 2; the middle point is even.
                    for k in 0..<he {
                        let f = interior + k * columns, mirror = interior + (m - 1 - k) * columns
                        let er = ep + k * columns
                        if k == m - 1 - k {
                            er.update(from: f, count: columns)
                        } else {
                            let orow = op + k * columns
                            for c in 0..<columns {
                                er[c] = 0.5 * (f[c] + mirror[c])
                                orow[c] = 0.5 * (f[c] - mirror[c])
                            }
                        }
                    }
                    Self.transformSolve(ep, order: he, columns: columns, inverse: evenInverse, vectors: evenVectors,
                                        eigenvalues: evenEigenvalues, sigma: sigma, scratch: gp)
                    Self.transformSolve(op, order: ho, columns: columns, inverse: oddInverse, vectors: oddVectors,
                                        eigenvalues: oddEigenvalues, sigma: sigma, scratch: gp)
                    // Recombine: u_k = even_k + odd_k, u_mirror = even_k - odd_k.
                    for k in 0..<he {
                        let u = interior + k * columns, mirror = interior + (m - 1 - k) * columns
                        let er = ep + k * columns
                        if k == m - 1 - k {
                            u.update(from: er, count: columns)
                        } else {
                            let orow = op + k * columns
                            for c in 0..<columns {
                                u[c] = er[c] + orow[c]
                                mirror[c] = er[c] - orow[c]
                            }
                        }
                    }
                }
            }
        }
    }

    /// `x = P (Lambda - sigma)^-1 P^-1 x` for an `order x columns` block, through `scratch`.
    private static func transformSolve(
        _ x: UnsafeMutablePointer<Double>, order: Int, columns: Int, inverse: [Double], vectors: [Double],
        eigenvalues: [Double], sigma: UnsafePointer<Double>, scratch: UnsafeMutablePointer<Double>
    ) {
        if order == 0 { return }
        let count = order * columns
        var g = UnsafeMutableBufferPointer(start: scratch, count: count)
        var out = UnsafeMutableBufferPointer(start: x, count: count)
        BLAS.gemm(m: order, n: columns, k: order, a: inverse, b: UnsafeBufferPointer(out), c: &g)
        for k in 0..<order {
            let lambda = eigenvalues[k]
            let row = scratch + k * columns
            for c in 0..<columns { row[c] /= lambda - sigma[c] }
        }
        BLAS.gemm(m: order, n: columns, k: order, a: vectors, b: UnsafeBufferPointer(g), c: &out)
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
