import Testing
import SolverKit

/// Naive row-major `alpha * op(A) * op(B) + beta * C`, accumulated in Double, with the scale
/// `sum_l |op(A)_il| |op(B)_lj|` per entry for relative error bounds.
private func naiveGemm(
    _ ta: BLAS.Transpose, _ tb: BLAS.Transpose, m: Int, n: Int, k: Int, alpha: Double,
    a: [Double], lda: Int, b: [Double], ldb: Int, beta: Double, c: [Double], ldc: Int
) -> (result: [Double], scale: [Double]) {
    var result = c, scale = [Double](repeating: 0, count: c.count)
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0, size = 0.0
            for l in 0..<k {
                let aValue = ta == .transpose ? a[l * lda + i] : a[i * lda + l]
                let bValue = tb == .transpose ? b[j * ldb + l] : b[l * ldb + j]
                sum += aValue * bValue
                size += abs(aValue * bValue)
            }
            result[i * ldc + j] = alpha * sum + beta * c[i * ldc + j]
            scale[i * ldc + j] = abs(alpha) * size + abs(beta * c[i * ldc + j])
        }
    }
    return (result, scale)
}

private let transposes: [(BLAS.Transpose, BLAS.Transpose)] = [
    (.noTranspose, .noTranspose), (.transpose, .noTranspose), (.noTranspose, .transpose), (.transpose, .transpose),
]

@Suite("BLAS")
struct BLASTests {
    // Tolerances: a length-k dot product in double has error <= k * ulp * sum|a_i b_i| (~1e-14 here), so 1e-12
    // relative to that scale is safe; float (ulp 6e-8, k <= 40) gives ~2e-6, checked at 1e-4.

    @Test("dgemm matches a naive triple loop for every transpose pair (1e-12 relative)",
          arguments: transposes, [(7, 5, 3), (33, 17, 29), (1, 1, 1), (4, 9, 1)])
    func dgemmMatchesNaive(transposes: (BLAS.Transpose, BLAS.Transpose), dims: (Int, Int, Int)) {
        let (ta, tb) = transposes, (m, n, k) = dims
        // Padded leading dimensions exercise the ld arguments.
        let lda = (ta == .transpose ? m : k) + 2, ldb = (tb == .transpose ? k : n) + 1, ldc = n + 3
        let aRows = ta == .transpose ? k : m, bRows = tb == .transpose ? n : k
        let a = randomValues(aRows * lda, seed: 1, as: Double.self)
        let b = randomValues(bRows * ldb, seed: 2, as: Double.self)
        var c = randomValues(m * ldc, seed: 3, as: Double.self)
        let expected = naiveGemm(ta, tb, m: m, n: n, k: k, alpha: 1.5, a: a, lda: lda, b: b, ldb: ldb,
                                 beta: -0.5, c: c, ldc: ldc)
        BLAS.gemm(ta, tb, m: m, n: n, k: k, alpha: 1.5, a: a, lda: lda, b: b, ldb: ldb, beta: -0.5, c: &c, ldc: ldc)
        for i in 0..<m {
            for j in 0..<n {
                let index = i * ldc + j
                #expect(abs(c[index] - expected.result[index]) <= 1e-12 * max(expected.scale[index], 1e-300))
            }
        }
    }

    @Test("sgemm matches a naive double-precision product to 1e-4 relative", arguments: transposes)
    func sgemmMatchesNaive(transposes: (BLAS.Transpose, BLAS.Transpose)) {
        let (ta, tb) = transposes, (m, n, k) = (20, 30, 40)
        let lda = ta == .transpose ? m : k, ldb = tb == .transpose ? k : n
        let a = randomValues(m * k, seed: 4, as: Float.self), b = randomValues(k * n, seed: 5, as: Float.self)
        var c = [Float](repeating: .nan, count: m * n)   // beta = 0: C must not be read
        BLAS.gemm(ta, tb, m: m, n: n, k: k, a: a, b: b, c: &c)
        let expected = naiveGemm(ta, tb, m: m, n: n, k: k, alpha: 1, a: a.map(Double.init), lda: lda,
                                 b: b.map(Double.init), ldb: ldb, beta: 0, c: [Double](repeating: 0, count: m * n),
                                 ldc: n)
        for index in c.indices {
            #expect(abs(Double(c[index]) - expected.result[index]) <= 1e-4 * expected.scale[index])
        }
    }

    @Test("gemm accepts aligned buffers and array slices as operands")
    func gemmOnOtherCollections() {
        let a = AlignedBuffer<Double>([1, 2, 3, 4])          // [[1, 2], [3, 4]]
        let b = [0.0, 9, 9, 1, 0, 1, 0, 0][1...]             // slice: [[9, 9], [1, 0]] plus two unused values
        var c = AlignedBuffer<Double>(count: 4)
        BLAS.gemm(m: 2, n: 2, k: 2, a: a, b: b, c: &c)
        #expect(Array(c) == [11, 9, 31, 27])
    }

    @Test("dgemv and sgemv match naive code, plain and transposed, with strides",
          arguments: [BLAS.Transpose.noTranspose, .transpose])
    func gemvMatchesNaive(trans: BLAS.Transpose) {
        let m = 13, n = 8
        let a = randomValues(m * n, seed: 6, as: Double.self)
        let (xLength, yLength) = trans == .transpose ? (m, n) : (n, m)
        let x = randomValues(2 * xLength, seed: 7, as: Double.self)  // used at stride 2
        let y0 = randomValues(yLength, seed: 8, as: Double.self)
        var y = y0, expected = y0
        for i in 0..<yLength {
            var sum = 0.0
            for j in 0..<xLength {
                sum += (trans == .transpose ? a[j * n + i] : a[i * n + j]) * x[2 * j]
            }
            expected[i] = 2 * sum + 0.25 * y0[i]
        }
        BLAS.gemv(trans, m: m, n: n, alpha: 2, a: a, x: x, incx: 2, beta: 0.25, y: &y)
        #expect(maxAbsDifference(y, expected) < 1e-13)

        // Single precision, beta = 0 (y's old contents ignored); reference is the beta-free part of `expected`.
        var yFloat = [Float](repeating: .nan, count: yLength)
        BLAS.gemv(trans, m: m, n: n, alpha: 2, a: a.map(Float.init), x: x.map(Float.init), incx: 2, y: &yFloat)
        let reference = zip(expected, y0).map { $0 - 0.25 * $1 }
        #expect(maxAbsDifference(yFloat.map(Double.init), reference) < 1e-5)
    }

    @Test("axpy, scal, dot and nrm2 match naive code in both precisions")
    func levelOneMatchesNaive() {
        let x = randomValues(101, seed: 9, as: Double.self), y0 = randomValues(101, seed: 10, as: Double.self)
        var y = y0
        BLAS.axpy(alpha: -0.75, x: x, y: &y)
        #expect(maxAbsDifference(y, zip(x, y0).map { -0.75 * $0 + $1 }) < 1e-15)
        #expect(abs(BLAS.dot(x: x, y: y0) - zip(x, y0).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-13)
        #expect(abs(BLAS.nrm2(x: x) - x.reduce(0) { $0 + $1 * $1 }.squareRoot()) < 1e-13)
        var z = x
        BLAS.scal(alpha: 3, x: &z)
        #expect(maxAbsDifference(z, x.map { 3 * $0 }) < 1e-15)
        // Strided: every third element of x against every other element of y.
        let strided = BLAS.dot(n: 30, x: x, incx: 3, y: y0, incy: 2)
        #expect(abs(strided - (0..<30).reduce(0) { $0 + x[3 * $1] * y0[2 * $1] }) < 1e-13)

        let xf = x.map(Float.init), yf0 = y0.map(Float.init)
        var yf = yf0
        BLAS.axpy(alpha: 2, x: xf, y: &yf)
        #expect(maxAbsDifference(yf, zip(xf, yf0).map { 2 * $0 + $1 }) < 1e-6)
        #expect(abs(BLAS.dot(x: xf, y: yf0) - zip(xf, yf0).reduce(Float(0)) { $0 + $1.0 * $1.1 }) < 1e-4)
        #expect(abs(BLAS.nrm2(x: xf) - xf.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()) < 1e-5)
        var zf = xf
        BLAS.scal(alpha: -1, x: &zf)
        #expect(zf == xf.map { -$0 })
    }

    @Test("nrm2 does not overflow for entries near the largest double")
    func nrm2AvoidsOverflow() {
        #expect(abs(BLAS.nrm2(x: [3e300, 4e300]) / 5e300 - 1) < 1e-15)
    }

    @Test("the OpenBLAS thread count can be set and read back")
    func threadCount() {
        let original = BLAS.threadCount
        #expect(original >= 1)
        BLAS.setThreadCount(1)
        #expect(BLAS.threadCount == 1)
        BLAS.setThreadCount(original)
        #expect(BLAS.threadCount == original)
    }

    @Test("an operand too short for its dimensions stops the process")
    func shortOperandTraps() async {
        await #expect(processExitsWith: .failure) {
            var c = [Double](repeating: 0, count: 4)
            BLAS.gemm(m: 2, n: 2, k: 2, a: [1.0, 2, 3], b: [1.0, 2, 3, 4], c: &c)
        }
    }
}
