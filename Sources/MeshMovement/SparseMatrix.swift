import Meshes

/// A symmetric sparse matrix in compressed-row form with the sparsity of P1 finite elements on a triangle mesh
/// (vertex `i` couples to itself and to the vertices it shares an edge with). Columns in each row are sorted.
public struct SparseMatrix: Sendable {
    public let size: Int
    public let rowStart: [Int]
    public let columns: [Int32]
    public var values: [Double]

    /// The P1 pattern of `mesh`, all values zero.
    public init(p1Pattern mesh: TriangleMesh) {
        let n = mesh.vertexCount
        var neighbours = [[Int32]](repeating: [], count: n)
        for i in 0..<n { neighbours[i].append(Int32(i)) }
        for t in mesh.triangles {
            for a in 0..<3 {
                for b in 0..<3 where a != b { neighbours[Int(t[a])].append(t[b]) }
            }
        }
        var start = [0], cols: [Int32] = []
        for i in 0..<n {
            let row = Array(Set(neighbours[i])).sorted()
            cols += row
            start.append(cols.count)
        }
        size = n
        rowStart = start
        columns = cols
        values = .init(repeating: 0, count: cols.count)
    }

    /// Position of entry `(row, column)` in ``values``; the entry must be in the pattern.
    @inlinable
    public func entry(_ row: Int, _ column: Int32) -> Int {
        var lo = rowStart[row], hi = rowStart[row + 1] - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if columns[mid] < column { lo = mid + 1 } else { hi = mid }
        }
        precondition(columns[lo] == column, "entry (\(row), \(column)) is not in the P1 pattern")
        return lo
    }

    /// `y = A x`.
    public func multiply(_ x: [Double], into y: inout [Double]) {
        rowStart.withUnsafeBufferPointer { rs in
            columns.withUnsafeBufferPointer { cs in
                values.withUnsafeBufferPointer { vs in
                    x.withUnsafeBufferPointer { xs in
                        y.withUnsafeMutableBufferPointer { ys in
                            for i in 0..<size {
                                var s = 0.0
                                for k in rs[i]..<rs[i + 1] { s += vs[k] * xs[Int(cs[k])] }
                                ys[i] = s
                            }
                        }
                    }
                }
            }
        }
    }

    /// `y = (A (+) A) x` on two interleaved components `[x0, y0, x1, y1, ...]`.
    public func multiplyInterleaved(_ x: [Double], into y: inout [Double]) {
        rowStart.withUnsafeBufferPointer { rs in
            columns.withUnsafeBufferPointer { cs in
                values.withUnsafeBufferPointer { vs in
                    x.withUnsafeBufferPointer { xs in
                        y.withUnsafeMutableBufferPointer { ys in
                            for i in 0..<size {
                                var s0 = 0.0, s1 = 0.0
                                for k in rs[i]..<rs[i + 1] {
                                    let c = 2 * Int(cs[k])
                                    s0 += vs[k] * xs[c]
                                    s1 += vs[k] * xs[c + 1]
                                }
                                ys[2 * i] = s0
                                ys[2 * i + 1] = s1
                            }
                        }
                    }
                }
            }
        }
    }

    public var diagonal: [Double] { (0..<size).map { values[entry($0, Int32($0))] } }
}

/// Jacobi-preconditioned conjugate gradients for symmetric positive (semi-)definite systems.
public enum ConjugateGradient {
    /// Outcome of a solve.
    public struct Report: Sendable, Hashable {
        public var iterations: Int
        /// `|b - A x| / |b|` at exit.
        public var relativeResidual: Double
        public var converged: Bool
    }

    /// Solves `A x = b` from the initial guess in `x`, stopping when `|r| <= tolerance |b|`.
    ///
    /// - Parameters:
    ///   - apply: `y = A x`.
    ///   - inverseDiagonal: the Jacobi preconditioner `1 / diag(A)`.
    ///   - constrain: projects a vector onto the admissible subspace (identity for an unconstrained system; the
    ///     per-vertex projections of sliding boundary vertices for the gradient recovery). Applied to `b`, `x`, and
    ///     every search direction, so CG runs on `P A P` restricted to the range of `P`.
    ///   - singular: the system has the constants as null space (pure Neumann Laplacian): the mean is removed from
    ///     `b` and from the residual, and the solution is returned with zero mean.
    public static func solve(apply: (_ x: [Double], _ y: inout [Double]) -> Void, inverseDiagonal: [Double],
                             b bIn: [Double], x: inout [Double], tolerance: Double, maxIterations: Int,
                             singular: Bool = false, constrain: ((inout [Double]) -> Void)? = nil) -> Report {
        let n = bIn.count
        var b = bIn
        if singular { removeMean(&b) }
        constrain?(&b)
        constrain?(&x)
        var ax = [Double](repeating: 0, count: n)
        apply(x, &ax)
        var r = [Double](repeating: 0, count: n)
        for i in 0..<n { r[i] = b[i] - ax[i] }
        if singular { removeMean(&r) }
        constrain?(&r)
        let bNorm = norm(b)
        if bNorm == 0 {
            for i in 0..<n { x[i] = 0 }
            return Report(iterations: 0, relativeResidual: 0, converged: true)
        }
        var z = [Double](repeating: 0, count: n)
        for i in 0..<n { z[i] = r[i] * inverseDiagonal[i] }
        var p = z
        var rz = dot(r, z)
        var q = [Double](repeating: 0, count: n)
        var iterations = 0
        var rNorm = norm(r)
        while rNorm > tolerance * bNorm, iterations < maxIterations {
            apply(p, &q)
            constrain?(&q)
            let pq = dot(p, q)
            guard pq > 0 else { break }
            let alpha = rz / pq
            for i in 0..<n {
                x[i] += alpha * p[i]
                r[i] -= alpha * q[i]
            }
            if singular { removeMean(&r) }
            for i in 0..<n { z[i] = r[i] * inverseDiagonal[i] }
            let rzNew = dot(r, z)
            let beta = rzNew / rz
            rz = rzNew
            for i in 0..<n { p[i] = z[i] + beta * p[i] }
            constrain?(&p)
            iterations += 1
            rNorm = norm(r)
        }
        if singular { removeMean(&x) }
        return Report(iterations: iterations, relativeResidual: rNorm / bNorm, converged: rNorm <= tolerance * bNorm)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    static func removeMean(_ a: inout [Double]) {
        let m = a.reduce(0, +) / Double(a.count)
        for i in a.indices { a[i] -= m }
    }
}
