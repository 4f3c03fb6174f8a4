import CLAPACK

/// The result of ``LAPACK/zggev(n:a:b:computeEigenvectors:)``: the generalized eigenvalues of `A x = lambda B x`
/// as pairs `(alpha_j, beta_j)` with `lambda_j = alpha_j / beta_j`, and optionally the right eigenvectors.
public struct GeneralizedEigensystem: Sendable {
    /// The matrix order `n`.
    public let order: Int
    /// Numerators `alpha_j`, `n` values.
    public let alpha: [Complex<Double>]
    /// Denominators `beta_j`, `n` values. `beta_j == 0` marks an infinite eigenvalue, which occurs when `B` is
    /// singular (as in Orr-Sommerfeld discretisations whose boundary rows of `B` are zero).
    public let beta: [Complex<Double>]
    /// Right eigenvectors as an `n x n` row-major matrix whose column `j` is `x_j` (`A x_j = lambda_j B x_j`),
    /// each scaled by LAPACK so that its largest component has `|re| + |im| = 1`; `nil` if not requested.
    public let rightEigenvectors: [Complex<Double>]?

    /// `lambda_j = alpha_j / beta_j`, or `nil` where `beta_j == 0` (an infinite eigenvalue).
    ///
    /// Nearly singular `B` gives finite but huge `lambda_j` instead: filter those by magnitude as the problem
    /// requires (spurious Orr-Sommerfeld modes typically have `|lambda| > 1e6`).
    public var eigenvalues: [Complex<Double>?] {
        zip(alpha, beta).map { a, b in b == .zero ? nil : a / b }
    }

    /// The right eigenvector for eigenvalue `j` (column `j` of ``rightEigenvectors``), or `nil` if not requested.
    ///
    /// - Precondition: `0 <= j < order`.
    public func eigenvector(_ j: Int) -> [Complex<Double>]? {
        precondition(j >= 0 && j < order, "eigenvector index \(j) is out of range 0..<\(order)")
        guard let vectors = rightEigenvectors else { return nil }
        return (0..<order).map { i in vectors[i * order + j] }
    }
}

extension LAPACK {
    /// Solves the generalized complex eigenproblem `A x = lambda B x` (`zggev`, QZ algorithm).
    ///
    /// `a` and `b` are `n x n` complex matrices, row-major; they are copied, so the caller's values are unchanged.
    /// Eigenvalues are returned as `(alpha, beta)` pairs because `B` may be singular (see
    /// ``GeneralizedEigensystem/eigenvalues``). They are accurate to about `n * ulp * |(A, B)|` in the
    /// chordal metric; no ordering is guaranteed. Left eigenvectors are not computed.
    ///
    /// - Parameter computeEigenvectors: also compute the right eigenvectors (about twice the work).
    /// - Throws: ``LAPACKError/noConvergence(routine:info:)`` if the QZ iteration fails (`info` in `1...n`: only
    ///   pairs `info...n` are correct; `n + 1`: other failure in `zhgeqz`; `n + 2`: failure in `ztgevc`).
    /// - Precondition: `n >= 0`, `a.count == b.count == n * n`.
    public static func zggev(
        n: Int, a: some Collection<Complex<Double>>, b: some Collection<Complex<Double>>,
        computeEigenvectors: Bool = false
    ) throws(LAPACKError) -> GeneralizedEigensystem {
        precondition(n >= 0, "zggev needs n >= 0, got \(n)")
        precondition(a.count == n * n, "zggev: A must hold n*n = \(n * n) values, has \(a.count)")
        precondition(b.count == n * n, "zggev: B must hold n*n = \(n * n) values, has \(b.count)")
        if n == 0 {
            return GeneralizedEigensystem(
                order: 0, alpha: [], beta: [], rightEigenvectors: computeEigenvectors ? [] : nil)
        }
        var aWork = Array(a), bWork = Array(b)
        var alpha = [Complex<Double>](repeating: .zero, count: n)
        var beta = [Complex<Double>](repeating: .zero, count: n)
        // LAPACKE requires ldvl, ldvr >= 1 even when the vectors are not wanted.
        var vr = [Complex<Double>](repeating: .zero, count: computeEigenvectors ? n * n : 1)
        var vl = [Complex<Double>](repeating: .zero, count: 1)
        let jobvr = CChar(UInt8(ascii: computeEigenvectors ? "V" : "N"))
        let order = lapackInt(n)
        let info = withLAPACKComplex(&aWork) { pa in
            withLAPACKComplex(&bWork) { pb in
                withLAPACKComplex(&alpha) { pAlpha in
                    withLAPACKComplex(&beta) { pBeta in
                        withLAPACKComplex(&vl) { pvl in
                            withLAPACKComplex(&vr) { pvr in
                                LAPACKE_zggev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), jobvr, order,
                                              pa, order, pb, order, pAlpha, pBeta,
                                              pvl, 1, pvr, computeEigenvectors ? order : 1)
                            }
                        }
                    }
                }
            }
        }
        try LAPACKError.check(info, routine: "LAPACKE_zggev") { .noConvergence(routine: "LAPACKE_zggev", info: $0) }
        return GeneralizedEigensystem(
            order: n, alpha: alpha, beta: beta, rightEigenvectors: computeEigenvectors ? vr : nil)
    }

    /// Calls `body` with `values` viewed as LAPACKE's `lapack_complex_double` (same layout: re, im).
    private static func withLAPACKComplex<R>(
        _ values: inout [Complex<Double>], _ body: (UnsafeMutablePointer<clapack_complex_double>) -> R
    ) -> R {
        values.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: clapack_complex_double.self) { rebound in body(rebound.baseAddress!) }
        }
    }
}
