import Foundation

extension AdvectionCase.InitialShape {
    /// The shape's value at `(x, y)` (distances are plain Euclidean: keep shapes away from the boundary, as all
    /// shipped cases do).
    func value(_ x: Double, _ y: Double, _ p: AdvectionParameters) -> Double {
        let dx = x - p.centreX, dy = y - p.centreY
        let r = (dx * dx + dy * dy).squareRoot()
        switch self {
        case .gaussian: return p.amplitude * exp(-0.5 * r * r / (p.width * p.width))
        case .cosineHump: return p.amplitude * 0.5 * (1 + cos(Double.pi * min(r / p.radius, 1)))
        case .cone: return p.amplitude * max(0, 1 - r / p.radius)
        case .slottedCylinder:
            guard r <= p.radius else { return 0 }
            let inSlot = abs(dx) <= 0.5 * p.slotWidth && y <= p.centreY - p.radius + p.slotLength
            return inSlot ? 0 : p.amplitude
        }
    }

    /// Point values at `lower + i h` (spectral grids).
    func pointValues(points n: Int, length: Double, _ p: AdvectionParameters) -> [Double] {
        let h = length / Double(n)
        var values = Array(repeating: 0.0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { values[i * n + j] = value(Double(i) * h, Double(j) * h, p) }
        }
        return values
    }

    /// Cell averages over `n` x `n` cells by 4 x 4 Gauss-Legendre quadrature (exact for bicubic polynomials;
    /// approximate for the discontinuous shapes).
    func cellAverages(cells n: Int, length: Double, _ p: AdvectionParameters) -> [Double] {
        let h = length / Double(n)
        // Gauss-Legendre nodes and weights on [-1, 1] (Abramowitz and Stegun 25.4.29).
        let a = 0.3399810435848563, b = 0.8611363115940526
        let nodes = [-b, -a, a, b], weights = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538]
        var values = Array(repeating: 0.0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let xc = (Double(i) + 0.5) * h, yc = (Double(j) + 0.5) * h
                var sum = 0.0
                for (s, ws) in zip(nodes, weights) {
                    for (t, wt) in zip(nodes, weights) { sum += ws * wt * value(xc + 0.5 * h * s, yc + 0.5 * h * t, p) }
                }
                values[i * n + j] = sum / 4
            }
        }
        return values
    }
}
