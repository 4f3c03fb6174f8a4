import Foundation
import Testing
import SolverKit

/// Analytic transforms. With FFTW's unnormalised forward sign convention `X[k] = sum_x x[x] exp(-2 pi i k x / n)`,
/// `cos(2 pi k x / n)` has `n/2` at bins `k` and `n - k`, and `sin(2 pi k x / n)` has `-i n/2` at bin `k`.
/// Rounding is ~ulp * n, checked at 1e-12 * n.
@Suite("RealFFTPlan known transforms")
struct RealFFTKnownTransformTests {
    @Test("r2c of cos(2 pi k x / n) is n/2 at bin k and zero elsewhere",
          arguments: [(8, 1), (8, 3), (15, 4), (64, 5), (100, 49), (255, 127)])
    func cosineLandsInOneBin(n: Int, k: Int) throws {
        let plan = try RealFFTPlan<Double>(n, rigor: .estimate)
        for x in 0..<n { plan.real[x] = cos(2 * Double.pi * Double(k * x) / Double(n)) }
        plan.forward()
        let tolerance = 1e-12 * Double(n)
        for (bin, value) in plan.spectrum.enumerated() {
            let expected = bin == k ? Complex<Double>(Double(n) / 2, 0) : .zero
            #expect((value - expected).length < tolerance, "bin \(bin): \(value), expected \(expected)")
        }
    }

    @Test("r2c of sin(2 pi k x / n) is -i n/2 at bin k (forward sign is exp(-i ...))")
    func sineFixesSignConvention() throws {
        let n = 32, k = 3
        let plan = try RealFFTPlan<Double>(n, rigor: .estimate)
        for x in 0..<n { plan.real[x] = sin(2 * Double.pi * Double(k * x) / Double(n)) }
        plan.forward()
        #expect((plan.spectrum[k] - Complex(0, -Double(n) / 2)).length < 1e-12 * Double(n))
        #expect(plan.spectrum[1].length < 1e-12 * Double(n))
    }

    @Test("2-D r2c of cos(2 pi (k1 x / n0 + k2 y / n1)) is N/2 at its bins and zero elsewhere",
          arguments: [([16, 16], [3, 5]), ([12, 10], [-2, 4]), ([9, 14], [4, 0]), ([8, 9], [0, 0])])
    func planeWave2D(shape: [Int], k: [Int]) throws {
        try checkPlaneWave(shape: shape, k: k)
    }

    @Test("3-D r2c of a plane-wave cosine is N/2 at its bins and zero elsewhere",
          arguments: [([8, 6, 10], [1, -2, 3]), ([5, 7, 9], [2, 3, 0])])
    func planeWave3D(shape: [Int], k: [Int]) throws {
        try checkPlaneWave(shape: shape, k: k)
    }

    /// Fills a plan with `cos(2 pi sum_a k_a x_a / n_a)` and checks every stored bin against the analytic spectrum:
    /// `N/2` at `+k` and `-k` (mod n), each seen only if its last-axis index is in `0...n_last/2`; `N` if they
    /// coincide (k = 0).
    private func checkPlaneWave(shape: [Int], k: [Int]) throws {
        let plan = try RealFFTPlan<Double>(shape: shape, rigor: .estimate)
        let total = elementCount(shape)
        for flat in 0..<total {
            let index = unflatten(flat, shape: shape)
            let phase = zip(zip(index, k), shape).reduce(0.0) { sum, term in
                sum + Double(term.0.0 * term.0.1) / Double(term.1)
            }
            plan.real[flat] = cos(2 * Double.pi * phase)
        }
        plan.forward()
        let plus = zip(k, shape).map { (($0 % $1) + $1) % $1 }
        let minus = zip(k, shape).map { ((-$0 % $1) + $1) % $1 }
        let tolerance = 1e-12 * Double(total)
        for flat in 0..<plan.spectrumCount {
            let bin = unflatten(flat, shape: plan.spectrumShape)
            var expected = 0.0
            if bin == plus { expected += Double(total) / 2 }
            if bin == minus { expected += Double(total) / 2 }
            let value = plan.spectrum[flat]
            #expect((value - Complex(expected, 0)).length < tolerance, "bin \(bin): \(value), expected \(expected)")
        }
    }

    private func unflatten(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    @Test("float r2c of a cosine is n/2 at bin k to single precision")
    func cosineFloat() throws {
        let n = 64, k = 6
        let plan = try RealFFTPlan<Float>(n, rigor: .estimate)
        for x in 0..<n { plan.real[x] = Float(cos(2 * Double.pi * Double(k * x) / Double(n))) }
        plan.forward()
        for (bin, value) in plan.spectrum.enumerated() {
            let expected: Float = bin == k ? Float(n) / 2 : 0
            #expect(abs(value.re - expected) < 1e-5 * Float(n) && abs(value.im) < 1e-5 * Float(n))
        }
    }
}
