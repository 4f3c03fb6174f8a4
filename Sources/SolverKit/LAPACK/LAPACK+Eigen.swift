import CLAPACK

extension LAPACK {
    /// Eigenvalues and right eigenvectors of a real general `n x n` matrix (`dgeev`), row-major.
    ///
    /// Returns `(real, imaginary, vectors)`: eigenvalue `j` is `real[j] + i imaginary[j]`; for a real eigenvalue,
    /// column `j` of the row-major `n x n` `vectors` is its eigenvector (unit 2-norm). Complex pairs use LAPACK's
    /// packed convention (columns `j`, `j + 1` hold the real and imaginary parts). `a` is copied.
    ///
    /// - Throws: ``LAPACKError/noConvergence(routine:info:)`` if the QR iteration fails.
    public static func dgeev(n: Int, a: [Double]) throws(LAPACKError) -> (real: [Double], imaginary: [Double], vectors: [Double]) {
        precondition(n >= 1 && a.count == n * n, "dgeev: A must hold n*n = \(n * n) values, has \(a.count)")
        var work = a
        var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
        var vr = [Double](repeating: 0, count: n * n), vl = [Double](repeating: 0, count: 1)
        let order = lapackInt(n)
        let info = LAPACKE_dgeev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "V")), order,
                                 &work, order, &wr, &wi, &vl, 1, &vr, order)
        try LAPACKError.check(info, routine: "LAPACKE_dgeev") { .noConvergence(routine: "LAPACKE_dgeev", info: $0) }
        return (wr, wi, vr)
    }
}
