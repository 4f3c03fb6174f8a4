import Foundation

extension AxisOperator {
    /// The discrete top-hat of width `factor` spacings centred on fine node `j * factor`, for every coarse `j`.
    ///
    /// Odd factors average `factor` nodes with equal weights; even factors average `factor + 1` nodes with half
    /// weights at both ends (the trapezoidal rule over the window). Either way each fine node enters the coarse
    /// field with total weight exactly `1/factor`, so the periodic mean is preserved, and the result approximates
    /// the continuous top-hat `(1/D) integral f over [x - D/2, x + D/2]` (`D = factor h`) to `O(h^2)`.
    static func box(_ filter: AxisFilter, on axis: FineAxis, index: Int) throws -> AxisOperator {
        let n = axis.count
        guard let period = axis.period else {
            throw FilterError.axis(index, "box filters need a periodic uniform axis; use `wall` on a bounded axis")
        }
        guard let r = filter.factor, r >= 1 else {
            throw FilterError.axis(index, "box needs a factor of at least 1, not \(filter.factor.map(String.init) ?? "none")")
        }
        guard n % r == 0 else {
            throw FilterError.axis(index, "box factor \(r) does not divide the \(n) fine points")
        }
        let m = n / r
        let w = 1.0 / Double(r)
        let rows: [[(Int, Double)]] = (0..<m).map { j in
            let centre = j * r
            if r % 2 == 1 {
                return (-(r / 2)...(r / 2)).map { (Self.wrap(centre + $0, n), w) }
            }
            return (-(r / 2)...(r / 2)).map { offset in
                (Self.wrap(centre + offset, n), abs(offset) == r / 2 ? w / 2 : w)
            }
        }
        let h = period.length / Double(m)
        return AxisOperator(fineCount: n, coordinates: (0..<m).map { period.lower + Double($0) * h }, rows: rows)
    }

    /// A Fourier multiplier `G(k)` (1 for the sharp cut-off, `exp(-k^2 D^2/24)` for the Gaussian) on the modes
    /// `|k| <= K`, the truncated series evaluated at the coarse points:
    /// `coarse(X) = sum_{|k| <= K} G(k) fhat_k exp(2 pi i k (X - lower) / L)`, `fhat_k = (1/N) sum_i f_i exp(-2 pi i k i / N)`.
    /// As a matrix: `W[j][i] = (1/N) (G(0) + 2 sum_{k=1..K} G(k) cos(2 pi k ((X_j - lower)/L - i/N)))`.
    /// `K` stays below the fine Nyquist index, so every kept mode is resolved on the fine grid.
    static func fourier(_ filter: AxisFilter, on axis: FineAxis, index: Int) throws -> AxisOperator {
        let n = axis.count
        guard let period = axis.period else {
            throw FilterError.axis(index, "\(filter.kind.rawValue) filters need a periodic uniform axis; use `wall` on a bounded axis")
        }
        let endpoint = filter.endpoint ?? false
        let m = filter.points ?? n
        guard m >= (endpoint ? 2 : 1) else { throw FilterError.axis(index, "\(m) coarse points are too few") }
        // The coarse points, and how many distinct points per period they have.
        let coordinates: [Double]
        let distinct: Int
        if endpoint {
            coordinates = (0..<m).map { period.lower + period.length * Double($0) / Double(m - 1) }
            distinct = m - 1
        } else {
            coordinates = (0..<m).map { period.lower + period.length * Double($0) / Double(m) }
            distinct = m
        }
        let fineLimit = (n - 1) / 2  // the largest |k| below the fine grid's Nyquist index
        let coarseLimit = (distinct - 1) / 2
        let limit: Int
        if let cutoff = filter.cutoff {
            guard cutoff >= 0, cutoff <= fineLimit else {
                throw FilterError.axis(index, "cutoff \(cutoff) is outside 0...\(fineLimit) for \(n) fine points")
            }
            limit = cutoff
        } else {
            limit = min(fineLimit, coarseLimit)
        }
        let gain: (Int) -> Double
        switch filter.kind {
        case .gaussian:
            guard let width = filter.width, width >= 0, width.isFinite else {
                throw FilterError.axis(index, "gaussian needs a width >= 0 (in the axis' length units)")
            }
            gain = { k in
                let wavenumber = 2 * Double.pi * Double(k) / period.length
                return exp(-wavenumber * wavenumber * width * width / 24)
            }
        default:
            gain = { _ in 1 }
        }
        let gains = (0...limit).map(gain)
        let rows: [[(Int, Double)]] = coordinates.map { x in
            let phase = (x - period.lower) / period.length
            return (0..<n).map { i in
                let theta = 2 * Double.pi * (phase - Double(i) / Double(n))
                var sum = gains[0]
                for k in stride(from: 1, through: limit, by: 1) { sum += 2 * gains[k] * cos(Double(k) * theta) }
                return (i, sum / Double(n))
            }
        }
        return AxisOperator(fineCount: n, coordinates: coordinates, rows: rows)
    }

    static func wrap(_ i: Int, _ n: Int) -> Int { ((i % n) + n) % n }
}
