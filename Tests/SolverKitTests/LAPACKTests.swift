import Testing
import SolverKit

/// Row-major complex matrix product (n x n).
private func multiply(_ a: [Complex<Double>], _ b: [Complex<Double>], n: Int) -> [Complex<Double>] {
    var c = [Complex<Double>](repeating: .zero, count: n * n)
    for i in 0..<n {
        for j in 0..<n {
            for l in 0..<n { c[i * n + j] += a[i * n + l] * b[l * n + j] }
        }
    }
    return c
}

/// Eigenvalues of a 2x2 complex matrix [[a, b], [c, d]] by the quadratic formula.
private func eigenvalues2x2(_ m: [Complex<Double>]) -> [Complex<Double>] {
    let trace = m[0] + m[3], det = m[0] * m[3] - m[1] * m[2]
    let root = squareRoot(trace * trace - 4 * det)
    return [0.5 * (trace + root), 0.5 * (trace - root)]
}

/// Whether each expected value is matched by a distinct computed one within `tolerance`.
private func matchesAsSet(_ computed: [Complex<Double>], _ expected: [Complex<Double>], tolerance: Double) -> Bool {
    var remaining = computed
    for value in expected {
        let distance = { (i: Int) in (remaining[i] - value).length }
        guard let index = remaining.indices.min(by: { distance($0) < distance($1) }),
              (remaining[index] - value).length < tolerance else { return false }
        remaining.remove(at: index)
    }
    return remaining.isEmpty
}

@Suite("LAPACK")
struct LAPACKTests {
    @Test("dgesv solves a random diagonally dominant system with residual < 1e-10", arguments: [1, 5, 60])
    func dgesvSolves(n: Int) throws {
        let nrhs = 3
        var a = randomValues(n * n, seed: 12, as: Double.self)
        for i in 0..<n { a[i * n + i] += Double(n) }   // diagonal dominance: condition number O(1)
        let b = randomValues(n * nrhs, seed: 13, as: Double.self)
        var lu = a, x = b
        let pivots = try LAPACK.dgesv(n: n, nrhs: nrhs, a: &lu, b: &x)
        #expect(pivots.count == n && pivots.allSatisfy { (1...Int32(n)).contains($0) })
        var residual = 0.0
        for i in 0..<n {
            for r in 0..<nrhs {
                let ax = (0..<n).reduce(0.0) { $0 + a[i * n + $1] * x[$1 * nrhs + r] }
                residual = max(residual, abs(ax - b[i * nrhs + r]))
            }
        }
        #expect(residual < 1e-10)
    }

    @Test("dgesv reports an exactly singular matrix as an error naming the routine and pivot")
    func dgesvSingular() {
        var a: [Double] = [1, 2, 2, 4], b: [Double] = [1, 1]
        do {
            try LAPACK.dgesv(n: 2, a: &a, b: &b)
            Issue.record("a singular matrix was solved")
        } catch {
            #expect(error.isSingular)
            #expect(error.routine == "LAPACKE_dgesv")
            #expect(error.info == 2)
            #expect(error.description.contains("pivot 2 is zero"))
        }
    }

    @Test("dgtsv agrees with dgesv on the same tridiagonal system (1e-12)", arguments: [1, 2, 40])
    func dgtsvMatchesDgesv(n: Int) throws {
        let nrhs = 2
        var sub = randomValues(max(0, n - 1), seed: 14, as: Double.self)
        var diag = randomValues(n, seed: 15, as: Double.self).map { $0 + 4 }
        var sup = randomValues(max(0, n - 1), seed: 16, as: Double.self)
        var dense = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            dense[i * n + i] = diag[i]
            if i + 1 < n {
                dense[(i + 1) * n + i] = sub[i]
                dense[i * n + i + 1] = sup[i]
            }
        }
        let b = randomValues(n * nrhs, seed: 17, as: Double.self)
        var xDense = b, xTridiagonal = b
        try LAPACK.dgesv(n: n, nrhs: nrhs, a: &dense, b: &xDense)
        try LAPACK.dgtsv(n: n, nrhs: nrhs, subdiagonal: &sub, diagonal: &diag, superdiagonal: &sup, b: &xTridiagonal)
        #expect(maxAbsDifference(xTridiagonal, xDense) < 1e-12)
    }

    @Test("dgtsv solves for complex right-hand sides stored as n x 2 reals")
    func dgtsvComplexRightHandSide() throws {
        // -x[i-1] + 2 x[i] - x[i+1] = f[i] with f = A * (1 + 2i, 3 - i, -1 + 0.5i).
        var sub: [Double] = [-1, -1], diag: [Double] = [2, 2, 2], sup: [Double] = [-1, -1]
        let x = [Complex<Double>(1, 2), Complex(3, -1), Complex(-1, 0.5)]
        var f = [2 * x[0] - x[1], -x[0] + 2 * x[1] - x[2], -x[1] + 2 * x[2]].flatMap { [$0.re, $0.im] }
        try LAPACK.dgtsv(n: 3, nrhs: 2, subdiagonal: &sub, diagonal: &diag, superdiagonal: &sup, b: &f)
        #expect(maxAbsDifference(f, x.flatMap { [$0.re, $0.im] }) < 1e-14)
    }

    @Test("zggev with B = I returns the diagonal of a diagonal A and unit eigenvectors")
    func zggevDiagonal() throws {
        let d = [Complex<Double>(1, 2), Complex(-3, 0.5), Complex(0, -1), Complex(4, 4)]
        let n = d.count
        var a = [Complex<Double>](repeating: .zero, count: n * n), identity = a
        for i in 0..<n {
            a[i * n + i] = d[i]
            identity[i * n + i] = Complex(1, 0)
        }
        let result = try LAPACK.zggev(n: n, a: a, b: identity, computeEigenvectors: true)
        let eigenvalues = result.eigenvalues.compactMap { $0 }
        #expect(eigenvalues.count == n)
        #expect(matchesAsSet(eigenvalues, d, tolerance: 1e-13))
        for j in 0..<n {
            let lambda = try #require(result.eigenvalues[j])
            let v = try #require(result.eigenvector(j))
            let i = try #require(d.firstIndex { ($0 - lambda).length < 1e-12 })
            #expect(abs(v[i].length - 1) < 1e-13)
        }
    }

    @Test("zggev matches the analytic eigenvalues of a non-normal complex 2x2, with B = I and with B = diag(2, -1)")
    func zggevTwoByTwo() throws {
        let a = [Complex<Double>(1, 1), Complex(2, -1), Complex(0.5, 0), Complex(-1, 3)]
        let identity = [Complex<Double>(1, 0), .zero, .zero, Complex(1, 0)]
        let plain = try LAPACK.zggev(n: 2, a: a, b: identity)
        #expect(matchesAsSet(plain.eigenvalues.compactMap { $0 }, eigenvalues2x2(a), tolerance: 1e-13))

        // A x = lambda B x with B = diag(2, -1) is the standard problem for B^-1 A (rows divided by 2 and -1).
        let b = [Complex<Double>(2, 0), .zero, .zero, Complex(-1, 0)]
        let reduced = [a[0] * 0.5, a[1] * 0.5, -a[2], -a[3]]
        let generalized = try LAPACK.zggev(n: 2, a: a, b: b)
        #expect(matchesAsSet(generalized.eigenvalues.compactMap { $0 }, eigenvalues2x2(reduced), tolerance: 1e-13))
    }

    @Test("zggev with a dense non-trivial B recovers eigenvalues d_j of A = B diag(d) and satisfies A x = lambda B x")
    func zggevDenseB() throws {
        let n = 6
        var b = randomComplex(n * n, seed: 18)
        for i in 0..<n { b[i * n + i] += Complex(Double(n), 0) }   // well conditioned
        let d = (0..<n).map { Complex<Double>(Double($0) - 2.5, 0.3 * Double($0)) }
        var diagonal = [Complex<Double>](repeating: .zero, count: n * n)
        for i in 0..<n { diagonal[i * n + i] = d[i] }
        let a = multiply(b, diagonal, n: n)
        let result = try LAPACK.zggev(n: n, a: a, b: b, computeEigenvectors: true)
        let eigenvalues = result.eigenvalues.compactMap { $0 }
        #expect(matchesAsSet(eigenvalues, d, tolerance: 1e-10))
        for j in 0..<n {
            let lambda = try #require(result.eigenvalues[j]), x = try #require(result.eigenvector(j))
            var residual = 0.0
            for i in 0..<n {
                var ax = Complex<Double>.zero, bx = Complex<Double>.zero
                for l in 0..<n {
                    ax += a[i * n + l] * x[l]
                    bx += b[i * n + l] * x[l]
                }
                residual = max(residual, (ax - lambda * bx).length)
            }
            #expect(residual < 1e-10, "eigenpair \(j)")
        }
    }

    @Test("zggev reports an infinite eigenvalue (beta = 0) for singular B")
    func zggevSingularB() throws {
        let a = [Complex<Double>(2, 0), .zero, .zero, Complex(3, 0)]
        let b = [Complex<Double>(1, 0), .zero, .zero, .zero]
        let result = try LAPACK.zggev(n: 2, a: a, b: b)
        let finite = result.eigenvalues.compactMap { $0 }
        #expect(finite.count == 1)
        #expect((try #require(finite.first) - Complex(2, 0)).length < 1e-14)
        #expect(result.beta.contains { $0 == .zero })
    }
}
