import Foundation

extension AxisOperator {
    /// Filtering and interpolation onto given coarse points on a bounded, possibly non-uniform axis.
    ///
    /// `average`: coarse value `j` is the mean of the piecewise-linear interpolant `I f` of the fine values over
    /// the dual cell `[a_j, b_j]`, `a_j = (X_{j-1} + X_j)/2`, `b_j = (X_j + X_{j+1})/2`, with `a_0 = X_0` and
    /// `b_last = X_last`. The cells tile `[X_0, X_last]`, so `sum_j (b_j - a_j) coarse_j` is exactly the integral of
    /// `I f` there (the trapezoidal integral of the fine values when the coarse points reach both walls).
    /// `linear`: `coarse_j = (I f)(X_j)`.
    static func wall(_ filter: AxisFilter, on axis: FineAxis, index: Int) throws -> AxisOperator {
        let y = axis.coordinates
        let n = y.count
        guard n >= 2 else { throw FilterError.axis(index, "a wall axis needs at least 2 fine points, not \(n)") }
        guard zip(y, y.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw FilterError.axis(index, "the fine coordinates are not increasing")
        }
        let lower = y[0], upper = y[n - 1]
        let targets: [Double]
        if let given = filter.coordinates {
            targets = given
        } else if let m = filter.points {
            guard m >= 2 else { throw FilterError.axis(index, "wall needs at least 2 coarse points, not \(m)") }
            switch filter.distribution ?? .cosine {
            case .uniform:
                targets = (0..<m).map { lower + (upper - lower) * Double($0) / Double(m - 1) }
            case .cosine:
                targets = (0..<m).map { j in
                    let s = (1 - cos(Double.pi * Double(j) / Double(m - 1))) / 2
                    return j == m - 1 ? upper : lower + (upper - lower) * s
                }
            }
        } else {
            throw FilterError.axis(index, "wall needs `points` or `coordinates`")
        }
        guard !targets.isEmpty, zip(targets, targets.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw FilterError.axis(index, "the coarse coordinates must be increasing")
        }
        let tolerance = 1e-12 * max(1, upper - lower)
        guard let first = targets.first, let last = targets.last,
              first >= lower - tolerance, last <= upper + tolerance else {
            throw FilterError.axis(index, "coarse coordinates \(targets.first ?? 0)...\(targets.last ?? 0) leave the fine range \(lower)...\(upper)")
        }
        let clamped = targets.map { min(max($0, lower), upper) }
        let rows: [[(Int, Double)]]
        switch filter.method ?? .average {
        case .linear:
            rows = clamped.map { interpolationWeights(at: $0, in: y) }
        case .average:
            rows = clamped.indices.map { j in
                let a = j == 0 ? clamped[0] : (clamped[j - 1] + clamped[j]) / 2
                let b = j == clamped.count - 1 ? clamped[j] : (clamped[j] + clamped[j + 1]) / 2
                guard b > a else { return interpolationWeights(at: clamped[j], in: y) }
                return averageWeights(from: a, to: b, in: y)
            }
        }
        return AxisOperator(fineCount: n, coordinates: targets, rows: rows)
    }

    /// The segment `i` with `y[i] <= x <= y[i+1]` (clamped to the ends).
    static func segment(containing x: Double, in y: [Double]) -> Int {
        var low = 0, high = y.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if y[mid] <= x { low = mid } else { high = mid }
        }
        return low
    }

    /// Weights of the linear interpolant at `x`.
    static func interpolationWeights(at x: Double, in y: [Double]) -> [(Int, Double)] {
        let i = segment(containing: x, in: y)
        let t = (x - y[i]) / (y[i + 1] - y[i])
        return [(i, 1 - t), (i + 1, t)]
    }

    /// Weights of `(1/(b - a)) integral_a^b (I f)(x) dx` for the piecewise-linear interpolant `I f`.
    static func averageWeights(from a: Double, to b: Double, in y: [Double]) -> [(Int, Double)] {
        var row: [(Int, Double)] = []
        let length = b - a
        var i = segment(containing: a, in: y)
        while i < y.count - 1, y[i] < b {
            let s = max(a, y[i]), t = min(b, y[i + 1])
            if t > s {
                let h = y[i + 1] - y[i]
                // The interpolant is linear on [s, t]: its integral is (t - s) times its value at the middle.
                let middle = (s + t) / 2
                let right = (middle - y[i]) / h
                row.append((i, (t - s) * (1 - right) / length))
                row.append((i + 1, (t - s) * right / length))
            }
            i += 1
        }
        return row
    }
}
