import Foundation
import Testing
import SolverKit

@Suite("Chebyshev collocation")
struct ChebyshevTests {
    @Test("the DCT-I derivative equals the analytic derivative of resolved functions and polynomials")
    func derivative() throws {
        let n = 16
        let derivative = try ChebyshevDerivative(intervals: n, columns: 2, rigor: .estimate)
        let y = Chebyshev.points(n)
        let data = AlignedBuffer<Double>(count: (n + 1) * 2)
        for j in 0...n { data[2 * j] = sin(2 * y[j]); data[2 * j + 1] = pow(y[j], 5) }
        let out = AlignedBuffer<Double>(count: data.count)
        derivative.differentiate(data, into: out)
        for j in 0...n {
            // sin(2y) is resolved to rounding at n = 16; y^5 is a polynomial of degree <= n.
            #expect(abs(out[2 * j] - 2 * cos(2 * y[j])) < 1e-11)
            #expect(abs(out[2 * j + 1] - 5 * pow(y[j], 4)) < 1e-12)
        }
    }

    @Test("the diagonalised Helmholtz solver reproduces a polynomial solution with inhomogeneous walls",
          arguments: [2, 3, 24, 25])
    func helmholtz(n: Int) throws {
        // u = (1 - y^2) y^3 + 2 y + 1: u'' - 3 u = f with u(1) = 3, u(-1) = -1 (degree 5: exact for n >= 5).
        let solver = try ChebyshevHelmholtz(intervals: n)
        let y = Chebyshev.points(n)
        func u(_ t: Double) -> Double { n >= 5 ? (1 - t * t) * t * t * t + 2 * t + 1 : 2 * t + 1 }
        func upp(_ t: Double) -> Double { n >= 5 ? 6 * t - 20 * t * t * t : 0 }
        var data = y.map { upp($0) - 3 * u($0) }
        data[0] = 3
        data[n] = -1
        var sigma = [3.0]
        data.withUnsafeMutableBufferPointer { d in sigma.withUnsafeMutableBufferPointer { solver.solve(d.baseAddress!, columns: 1, sigma: $0.baseAddress!) } }
        for j in 0...n { #expect(abs(data[j] - u(y[j])) < 1e-13) }
    }

    @Test("Clenshaw-Curtis weights integrate polynomials of degree <= n exactly")
    func quadrature() {
        let n = 12
        let w = Chebyshev.quadratureWeights(n), y = Chebyshev.points(n)
        for degree in 0...n {
            let sum = zip(w, y).reduce(0.0) { $0 + $1.0 * pow($1.1, Double(degree)) }
            let exact = degree % 2 == 1 ? 0 : 2 / Double(degree + 1)
            #expect(abs(sum - exact) < 1e-14, "degree \(degree): \(sum) vs \(exact)")
        }
    }

    @Test("the interpolation matrix evaluates the interpolant exactly for polynomials")
    func interpolation() {
        let n = 10
        let y = Chebyshev.points(n)
        let targets = [-0.95, -0.3, 0.0, 0.41, 1.0]
        let m = Chebyshev.interpolationMatrix(n, to: targets)
        for (row, t) in targets.enumerated() {
            let value = (0...n).reduce(0.0) { $0 + m[row * (n + 1) + $1] * (pow(y[$1], 7) - 2 * y[$1]) }
            #expect(abs(value - (pow(t, 7) - 2 * t)) < 1e-13)
        }
    }
}
