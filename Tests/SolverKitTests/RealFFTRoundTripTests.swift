import Testing
import SolverKit

/// Shapes for the round-trip sweep: 1-D, 2-D and 3-D, even, odd, prime and unit extents.
private let roundTripShapes: [[Int]] = [
    [1], [2], [7], [64], [255], [1000],
    [8, 8], [7, 9], [16, 5], [1, 6], [31, 32],
    [4, 6, 8], [5, 7, 9], [3, 3, 3], [2, 1, 17],
]

@Suite("RealFFTPlan round trips")
struct RealFFTRoundTripTests {
    // Tolerances: the round-trip error of an FFT of length N grows like ulp * log2(N); with |x| <= 1 and N <= 1000
    // the observed double error is ~1e-15, so 1e-12 leaves three orders of margin; single precision (ulp 6e-8)
    // likewise gives ~1e-6, checked at 1e-5.

    @Test("forward then normalized inverse returns the input (double, 1e-12)", arguments: roundTripShapes)
    func roundTripDouble(shape: [Int]) throws {
        let plan = try RealFFTPlan<Double>(shape: shape, rigor: .estimate)
        #expect(plan.spectrumShape == shape.dropLast() + [shape.last! / 2 + 1])
        let input = randomValues(elementCount(shape), seed: UInt64(elementCount(shape)), as: Double.self)
        plan.real.assign(from: input)
        plan.forward()
        #expect(Array(plan.real) == input, "r2c must leave its input intact")
        plan.normalizedInverse()
        #expect(maxAbsDifference(plan.real, input) < 1e-12)
    }

    @Test("forward then normalized inverse returns the input (float, 1e-5)", arguments: roundTripShapes)
    func roundTripFloat(shape: [Int]) throws {
        let plan = try RealFFTPlan<Float>(shape: shape, rigor: .estimate)
        let input = randomValues(elementCount(shape), seed: 7 &+ UInt64(elementCount(shape)), as: Float.self)
        plan.real.assign(from: input)
        plan.forward()
        plan.normalizedInverse()
        #expect(maxAbsDifference(plan.real, input) < 1e-5)
    }

    @Test("the plain inverse is unnormalized: inverse(forward(x)) = N x", arguments: [[12], [6, 10], [3, 4, 5]])
    func inverseIsUnnormalized(shape: [Int]) throws {
        let n = Double(elementCount(shape))
        let plan = try RealFFTPlan<Double>(shape: shape, rigor: .estimate)
        let input = randomValues(elementCount(shape), seed: 3, as: Double.self)
        plan.real.assign(from: input)
        plan.forward()
        plan.inverse()
        #expect(maxAbsDifference(plan.real, input.map { $0 * n }) < 1e-12 * n)
        #expect(plan.normalization == 1 / n)
    }

    @Test("measure and patient plans give the same transform as estimate plans", arguments: [[48, 40]])
    func rigorDoesNotChangeResults(shape: [Int]) throws {
        let input = randomValues(elementCount(shape), seed: 11, as: Double.self)
        var spectra: [[Complex<Double>]] = []
        for rigor in [FFTPlanningRigor.estimate, .measure, .patient] {
            let plan = try RealFFTPlan<Double>(shape: shape, rigor: rigor)
            #expect(plan.real.allSatisfy { $0 == 0 }, "a new plan holds zeros even after measuring")
            plan.real.assign(from: input)
            plan.forward()
            spectra.append(Array(plan.spectrum))
        }
        let reference = spectra[0].flatMap { [$0.re, $0.im] }
        for spectrum in spectra.dropFirst() {
            #expect(maxAbsDifference(spectrum.flatMap { [$0.re, $0.im] }, reference) < 1e-11)
        }
    }

    @Test("invalid shapes are rejected with an error naming the shape")
    func invalidShapesThrow() {
        for shape in [[], [0], [4, -1], [8, 0, 8], [Int(Int32.max) + 1]] {
            #expect(throws: FFTError.self) { try RealFFTPlan<Double>(shape: shape, rigor: .estimate) }
            do {
                _ = try RealFFTPlan<Float>(shape: shape, rigor: .estimate)
            } catch {
                #expect(error.isInvalidShape)
                #expect(error.shape == shape)
                #expect(error.description.contains("cannot plan a real FFT of shape"))
            }
        }
    }

    @Test("wavenumbers follow FFTW's order, halved on the last axis")
    func wavenumberOrder() throws {
        let plan = try RealFFTPlan<Double>(8, 5, 6, rigor: .estimate)
        #expect(plan.wavenumbers(axis: 0) == [0, 1, 2, 3, -4, -3, -2, -1])
        #expect(plan.wavenumbers(axis: 1) == [0, 1, 2, -2, -1])
        #expect(plan.wavenumbers(axis: 2) == [0, 1, 2, 3])
        #expect(plan.spectrumShape == [8, 5, 4])
        #expect(plan.spectrumCount == 160)
        #expect(plan.realCount == 240)
    }
}
