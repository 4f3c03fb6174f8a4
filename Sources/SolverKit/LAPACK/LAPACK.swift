import CLAPACK

/// Thin wrappers over LAPACKE for the dense solves SolverKit's solvers need.
///
/// **Layout.** Matrices are row-major (C order; LAPACKE's `LAPACK_ROW_MAJOR`): element `(i, j)` of an `n x n`
/// matrix is at `i * n + j`. A right-hand side with `nrhs` columns is `n x nrhs` row-major, so a single vector is
/// just `n` values and `nrhs` interleaved vectors `b[i * nrhs + r]`. In particular an array of `n` `Complex<Double>`
/// is an `n x 2` real right-hand side, which solves a real system for complex data in one call.
///
/// **Arguments.** Operands are any contiguous collection (`Array`, ``AlignedBuffer``, buffer pointers). Wrong sizes
/// are programmer errors and stop the process; numerical failures (a singular matrix, no convergence) are thrown as
/// ``LAPACKError`` naming the routine and its `info` code. LAPACKE's row-major path transposes into scratch arrays,
/// which costs `O(n^2)` extra work: negligible next to the `O(n^3)` factorisations here.
public enum LAPACK {
    /// Solves `A X = B` for a general `n x n` matrix by LU with partial pivoting (`dgesv`).
    ///
    /// On return `a` holds the factors `L` (unit diagonal, not stored) and `U`, and `b` holds the solution `X`
    /// (`n x nrhs`, row-major). The residual `|A x - b|` is about `n * ulp * cond(A) * |A| |x|`.
    ///
    /// - Returns: the pivot indices (1-based, LAPACK's convention: row `i` was swapped with row `ipiv[i]`).
    /// - Throws: ``LAPACKError/singular(routine:info:)`` if `U(i, i)` is exactly zero.
    /// - Precondition: `n, nrhs >= 0`, `a.count == n * n`, `b.count == n * nrhs`.
    @discardableResult
    public static func dgesv(
        n: Int, nrhs: Int = 1, a: inout some MutableCollection<Double>, b: inout some MutableCollection<Double>
    ) throws(LAPACKError) -> [Int32] {
        precondition(n >= 0 && nrhs >= 0, "dgesv needs n >= 0 and nrhs >= 0, got n=\(n) nrhs=\(nrhs)")
        precondition(a.count == n * n, "dgesv: A must hold n*n = \(n * n) values, has \(a.count)")
        precondition(b.count == n * nrhs, "dgesv: B must hold n*nrhs = \(n * nrhs) values, has \(b.count)")
        var pivots = [Int32](repeating: 0, count: n)
        if n == 0 { return pivots }
        let info = withContiguousMutableOperand(&a, "dgesv A") { pa in
            withContiguousMutableOperand(&b, "dgesv B") { pb in
                pivots.withUnsafeMutableBufferPointer { ipiv in
                    LAPACKE_dgesv(LAPACK_ROW_MAJOR, lapackInt(n), lapackInt(nrhs), pa, lapackInt(n),
                                  ipiv.baseAddress, pb, lapackInt(max(1, nrhs)))
                }
            }
        }
        try LAPACKError.check(info, routine: "LAPACKE_dgesv") { .singular(routine: "LAPACKE_dgesv", info: $0) }
        return pivots
    }

    /// Solves `A X = B` for a tridiagonal `n x n` matrix by Gaussian elimination with partial pivoting (`dgtsv`).
    ///
    /// `A` is given by its `subdiagonal` `A(i+1, i)` (`n - 1` values), `diagonal` (`n`) and `superdiagonal`
    /// `A(i, i+1)` (`n - 1`). All three are overwritten by the factorisation (copy them first to solve again with
    /// the same matrix); `b` (`n x nrhs`, row-major) is overwritten by `X`. Cost `O(n * nrhs)`.
    ///
    /// - Throws: ``LAPACKError/singular(routine:info:)`` if pivot `info` is exactly zero.
    /// - Precondition: `n, nrhs >= 0`, and the arrays have the counts above.
    public static func dgtsv(
        n: Int, nrhs: Int = 1,
        subdiagonal: inout some MutableCollection<Double>,
        diagonal: inout some MutableCollection<Double>,
        superdiagonal: inout some MutableCollection<Double>,
        b: inout some MutableCollection<Double>
    ) throws(LAPACKError) {
        precondition(n >= 0 && nrhs >= 0, "dgtsv needs n >= 0 and nrhs >= 0, got n=\(n) nrhs=\(nrhs)")
        let offDiagonal = max(0, n - 1)
        precondition(subdiagonal.count == offDiagonal,
                     "dgtsv: subdiagonal must hold \(offDiagonal) values, has \(subdiagonal.count)")
        precondition(diagonal.count == n, "dgtsv: diagonal must hold \(n) values, has \(diagonal.count)")
        precondition(superdiagonal.count == offDiagonal,
                     "dgtsv: superdiagonal must hold \(offDiagonal) values, has \(superdiagonal.count)")
        precondition(b.count == n * nrhs, "dgtsv: B must hold n*nrhs = \(n * nrhs) values, has \(b.count)")
        if n == 0 { return }
        let info = withContiguousMutableOperand(&subdiagonal, "dgtsv subdiagonal") { dl in
            withContiguousMutableOperand(&diagonal, "dgtsv diagonal") { d in
                withContiguousMutableOperand(&superdiagonal, "dgtsv superdiagonal") { du in
                    withContiguousMutableOperand(&b, "dgtsv B") { pb in
                        LAPACKE_dgtsv(LAPACK_ROW_MAJOR, lapackInt(n), lapackInt(nrhs), dl, d, du, pb,
                                      lapackInt(max(1, nrhs)))
                    }
                }
            }
        }
        try LAPACKError.check(info, routine: "LAPACKE_dgtsv") { .singular(routine: "LAPACKE_dgtsv", info: $0) }
    }

    /// `value` as a LAPACK integer (32-bit LAPACKE); stops the process when it does not fit.
    @inline(__always)
    static func lapackInt(_ value: Int) -> Int32 {
        guard let v = Int32(exactly: value) else { preconditionFailure("\(value) does not fit in a LAPACK Int32") }
        return v
    }
}
