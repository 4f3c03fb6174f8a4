import CBLAS

/// Thin, generic wrappers over OpenBLAS's CBLAS for `Float` (`s` routines) and `Double` (`d` routines).
///
/// **Operands.** Vectors and matrices are any contiguous collection of the scalar: `Array`, `ArraySlice`,
/// ``AlignedBuffer``, `UnsafeBufferPointer` / `UnsafeMutableBufferPointer` (for sub-ranges of a larger buffer
/// without copying: `UnsafeMutableBufferPointer(rebasing: p[offset..<end])`). Outputs are `inout`. Each call
/// reaches the storage once through `withContiguous(Mutable)StorageIfAvailable` and then calls CBLAS directly.
///
/// **Layout.** Every matrix is row-major (C order): element `(i, j)` with leading dimension `ld` is at
/// `i * ld + j`, and `ld` is at least the number of stored columns. A matrix used transposed is stored as its
/// transpose, so for `op(A) = A^T` of size `m x k` the stored `A` is `k x m` with `lda >= m`. Leading dimensions
/// default to the dense value.
///
/// **Checking.** BLAS has no error codes (bad arguments make OpenBLAS print a message and skip the call). Each
/// wrapper first checks dimensions, strides, leading dimensions and that every operand holds enough elements,
/// and stops the process on a violation: these are programmer errors. Non-contiguous collections are rejected
/// the same way.
///
/// **Threads.** OpenBLAS runs large calls on its own thread pool (see ``threadCount``); separate calls may run
/// on several threads at once when their outputs do not overlap.
public enum BLAS {
    /// Whether a matrix operand is used as stored or transposed (`CblasNoTrans` / `CblasTrans`).
    public enum Transpose: Sendable, Hashable {
        /// `op(A) = A`.
        case noTranspose
        /// `op(A) = A^T`.
        case transpose

        var isTransposed: Bool { self == .transpose }
    }

    /// The number of threads OpenBLAS uses for one call (`openblas_get_num_threads`).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses for one call (`openblas_set_num_threads`), process-wide.
    ///
    /// Use 1 when the caller already runs one solver per core, so the two levels do not oversubscribe.
    /// - Precondition: `count >= 1`.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be positive, got \(count)")
        openblas_set_num_threads(int32(count))
    }

    // MARK: Level 3

    /// `C = alpha * op(A) * op(B) + beta * C` (`sgemm` / `dgemm`), row-major.
    ///
    /// `op(A)` is `m x k`, `op(B)` is `k x n`, `C` is `m x n`. With `beta == 0` the old contents of `C` are not
    /// read (NaNs in it do not propagate). Results agree with a naive triple loop to about `k * ulp` relative.
    ///
    /// - Precondition: `m, n, k >= 0`; `lda >= max(1, stored columns of A)` (`k`, or `m` when transposed), likewise
    ///   for `ldb` (`n`, or `k`) and `ldc` (`n`); each operand holds `(rows - 1) * ld + columns` elements.
    public static func gemm<T: BLASScalar>(
        _ transA: Transpose = .noTranspose, _ transB: Transpose = .noTranspose,
        m: Int, n: Int, k: Int, alpha: T = 1,
        a: some Collection<T>, lda: Int? = nil, b: some Collection<T>, ldb: Int? = nil,
        beta: T = 0, c: inout some MutableCollection<T>, ldc: Int? = nil
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm dimensions must be non-negative: m=\(m) n=\(n) k=\(k)")
        let (aRows, aColumns) = transA.isTransposed ? (k, m) : (m, k)
        let (bRows, bColumns) = transB.isTransposed ? (n, k) : (k, n)
        let lda = lda ?? max(1, aColumns), ldb = ldb ?? max(1, bColumns), ldc = ldc ?? max(1, n)
        checkMatrix("gemm", "A", rows: aRows, columns: aColumns, ld: lda, count: a.count)
        checkMatrix("gemm", "B", rows: bRows, columns: bColumns, ld: ldb, count: b.count)
        checkMatrix("gemm", "C", rows: m, columns: n, ld: ldc, count: c.count)
        withContiguousOperand(a, "gemm A") { pa in
            withContiguousOperand(b, "gemm B") { pb in
                withContiguousMutableOperand(&c, "gemm C") { pc in
                    T._gemm(transA.isTransposed, transB.isTransposed, int32(m), int32(n), int32(k), alpha,
                            pa, int32(lda), pb, int32(ldb), beta, pc, int32(ldc))
                }
            }
        }
    }

    // MARK: Level 2

    /// `y = alpha * op(A) * x + beta * y` (`sgemv` / `dgemv`), row-major.
    ///
    /// The stored `A` is `m x n`; `x` has `n` elements (`m` when transposed) and `y` has `m` (`n` when transposed),
    /// `incx` / `incy` apart. With `beta == 0` the old contents of `y` are not read.
    ///
    /// - Precondition: `m, n >= 0`, `lda >= max(1, n)`, `incx, incy >= 1`, and the operands are large enough.
    public static func gemv<T: BLASScalar>(
        _ trans: Transpose = .noTranspose, m: Int, n: Int, alpha: T = 1,
        a: some Collection<T>, lda: Int? = nil, x: some Collection<T>, incx: Int = 1,
        beta: T = 0, y: inout some MutableCollection<T>, incy: Int = 1
    ) {
        precondition(m >= 0 && n >= 0, "gemv dimensions must be non-negative: m=\(m) n=\(n)")
        let lda = lda ?? max(1, n)
        checkMatrix("gemv", "A", rows: m, columns: n, ld: lda, count: a.count)
        let (xLength, yLength) = trans.isTransposed ? (m, n) : (n, m)
        checkVector("gemv", "x", length: xLength, stride: incx, count: x.count)
        checkVector("gemv", "y", length: yLength, stride: incy, count: y.count)
        withContiguousOperand(a, "gemv A") { pa in
            withContiguousOperand(x, "gemv x") { px in
                withContiguousMutableOperand(&y, "gemv y") { py in
                    T._gemv(trans.isTransposed, int32(m), int32(n), alpha, pa, int32(lda), px, int32(incx),
                            beta, py, int32(incy))
                }
            }
        }
    }

    // MARK: Level 1

    /// `y = alpha * x + y` (`saxpy` / `daxpy`) over `n` elements; `n` defaults to all of `x` (unit stride).
    ///
    /// - Precondition: `incx, incy >= 1` and both operands hold `n` strided elements.
    public static func axpy<T: BLASScalar>(
        n: Int? = nil, alpha: T, x: some Collection<T>, incx: Int = 1,
        y: inout some MutableCollection<T>, incy: Int = 1
    ) {
        let n = n ?? x.count
        checkVector("axpy", "x", length: n, stride: incx, count: x.count)
        checkVector("axpy", "y", length: n, stride: incy, count: y.count)
        withContiguousOperand(x, "axpy x") { px in
            withContiguousMutableOperand(&y, "axpy y") { py in
                T._axpy(int32(n), alpha, px, int32(incx), py, int32(incy))
            }
        }
    }

    /// `x = alpha * x` (`sscal` / `dscal`) over `n` elements; `n` defaults to all of `x` (unit stride).
    ///
    /// - Precondition: `incx >= 1` and `x` holds `n` strided elements.
    public static func scal<T: BLASScalar>(n: Int? = nil, alpha: T, x: inout some MutableCollection<T>, incx: Int = 1) {
        let n = n ?? x.count
        checkVector("scal", "x", length: n, stride: incx, count: x.count)
        withContiguousMutableOperand(&x, "scal x") { px in T._scal(int32(n), alpha, px, int32(incx)) }
    }

    /// `sum_i x[i] * y[i]` (`sdot` / `ddot`) over `n` elements, accumulated in `T`'s precision; `n` defaults to
    /// all of `x` (unit stride).
    ///
    /// - Precondition: `incx, incy >= 1` and both operands hold `n` strided elements.
    public static func dot<T: BLASScalar>(
        n: Int? = nil, x: some Collection<T>, incx: Int = 1, y: some Collection<T>, incy: Int = 1
    ) -> T {
        let n = n ?? x.count
        checkVector("dot", "x", length: n, stride: incx, count: x.count)
        checkVector("dot", "y", length: n, stride: incy, count: y.count)
        return withContiguousOperand(x, "dot x") { px in
            withContiguousOperand(y, "dot y") { py in T._dot(int32(n), px, int32(incx), py, int32(incy)) }
        }
    }

    /// The Euclidean norm `sqrt(sum_i x[i]^2)` (`snrm2` / `dnrm2`), computed without overflow for large entries;
    /// `n` defaults to all of `x` (unit stride).
    ///
    /// - Precondition: `incx >= 1` and `x` holds `n` strided elements.
    public static func nrm2<T: BLASScalar>(n: Int? = nil, x: some Collection<T>, incx: Int = 1) -> T {
        let n = n ?? x.count
        checkVector("nrm2", "x", length: n, stride: incx, count: x.count)
        return withContiguousOperand(x, "nrm2 x") { px in T._nrm2(int32(n), px, int32(incx)) }
    }
}
