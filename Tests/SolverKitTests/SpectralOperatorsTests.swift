import Foundation
import SolverKit
import Testing

@Suite("Spectral operators")
struct SpectralOperatorsTests {
    /// f(x, y) on a grid, row-major.
    func tabulate(_ grid: PeriodicGrid, _ f: (Double, Double) -> Double) -> AlignedBuffer<Double> {
        let x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1)
        return AlignedBuffer(x.flatMap { xi in y.map { f(xi, $0) } })
    }

    @Test("derivatives and the Laplacian of a band-limited field are exact to 1e-12", arguments: [1.0, 2 * Double.pi, 3.5])
    func derivativesAreSpectrallyExact(length: Double) throws {
        let grid = try PeriodicGrid(shape: [32, 24], lengths: [length, length])
        let ops = try SpectralOperators(grid: grid, rigor: .estimate)
        let a = 2 * Double.pi / length
        let field = tabulate(grid) { x, y in sin(3 * a * x) * cos(2 * a * y) + 0.5 * cos(a * x + 5 * a * y) }
        let out = AlignedBuffer<Double>(count: grid.pointCount)
        ops.derivative(of: field, axis: 0, into: out)
        let dx = tabulate(grid) { x, y in 3 * a * cos(3 * a * x) * cos(2 * a * y) - 0.5 * a * sin(a * x + 5 * a * y) }
        #expect(maxAbsDifference(out, dx) < 1e-12 * a * 10)
        ops.derivative(of: field, axis: 1, into: out)
        let dy = tabulate(grid) { x, y in -2 * a * sin(3 * a * x) * sin(2 * a * y) - 2.5 * a * sin(a * x + 5 * a * y) }
        #expect(maxAbsDifference(out, dy) < 1e-12 * a * 10)
        ops.laplacian(of: field, into: out)
        let lap = tabulate(grid) { x, y in -13 * a * a * sin(3 * a * x) * cos(2 * a * y) - 26 * a * a * 0.5 * cos(a * x + 5 * a * y) }
        #expect(maxAbsDifference(out, lap) < 1e-12 * a * a * 100)
    }

    @Test("solvePoisson inverts the negative Laplacian on zero-mean fields")
    func poissonInverse() throws {
        let grid = try PeriodicGrid(dimensions: 2, points: 16)
        let ops = try SpectralOperators(grid: grid, rigor: .estimate)
        let psi = tabulate(grid) { x, y in cos(2 * Double.pi * (x + 2 * y)) + sin(6 * Double.pi * x) }
        let spectrum = AlignedBuffer<Complex<Double>>(count: ops.spectrumCount)
        ops.transform(psi, into: spectrum)
        ops.laplacian(spectrum, into: spectrum)
        ops.solvePoisson(spectrum, into: spectrum)
        let back = AlignedBuffer<Double>(count: grid.pointCount)
        ops.inverseTransform(spectrum, into: back)
        #expect(maxAbsDifference(back, psi.map { -$0 }) < 1e-13)
    }

    @Test("the 2/3 mask keeps |k| <= (2/3) floor(n/2) on every axis", arguments: [16, 32, 48])
    func dealiasingMask(n: Int) throws {
        let ops = try SpectralOperators(grid: try PeriodicGrid(dimensions: 2, points: n), rigor: .estimate)
        let kept = ops.dealiasingMask.reduce(0, +)
        let kmax = Int((2.0 / 3.0 * Double(n / 2)).rounded(.down))
        #expect(kept == Double((2 * kmax + 1) * (kmax + 1)))
        // A product of two fields limited to the kept band has no aliased energy in the kept band.
        #expect(ops.dealiasingMask.allSatisfy { $0 == 0 || $0 == 1 })
    }

    @Test("odd derivatives use 0 at the Nyquist wavenumber, even operators use (n/2)^2")
    func nyquistConvention() throws {
        let ops = try SpectralOperators(grid: try PeriodicGrid(dimensions: 2, points: 8, length: 2 * Double.pi), rigor: .estimate)
        // Index (4, 0): axis 0 Nyquist; spectrum row length 5.
        #expect(ops.wavenumbers[0][4 * 5] == -4)
        #expect(ops.derivativeWavenumbers[0][4 * 5] == 0)
        #expect(ops.squaredWavenumbers[4 * 5] == 16)
        // Index (0, 4): last-axis Nyquist.
        #expect(ops.derivativeWavenumbers[1][4] == 0)
        #expect(ops.squaredWavenumbers[4] == 16)
    }
}

@Suite("Periodic resampling")
struct PeriodicResamplerTests {
    @Test("subsampling returns the fine values at every (n/m)-th point; spectral truncation keeps |k| < m/2 exactly")
    func subsampleAndTruncate() throws {
        let fine = try PeriodicGrid(dimensions: 2, points: 32)
        let plan = try RealFFTPlan<Double>(shape: [32, 32], rigor: .estimate)
        let low = { (x: Double, y: Double) in cos(2 * Double.pi * (2 * x - 3 * y)) }
        let high = { (x: Double, y: Double) in 0.25 * sin(2 * Double.pi * 11 * x) }
        let xs = fine.coordinates(axis: 0)
        let values = AlignedBuffer<Double>(xs.flatMap { x in xs.map { low(x, $0) + high(x, $0) } })
        let spectrum = AlignedBuffer<Complex<Double>>(count: plan.spectrumCount)
        plan.forward(values, into: spectrum)
        let coarse = try PeriodicGrid(dimensions: 2, points: 8).coordinates(axis: 0)
        var out = Array(repeating: 0.0, count: 64)

        let sub = try PeriodicResampler(finePlan: plan, coarseShape: [8, 8], method: .subsample)
        out.withUnsafeMutableBufferPointer { sub.resample(spectrum: spectrum, into: $0) }
        let exact = coarse.flatMap { x in coarse.map { low(x, $0) + high(x, $0) } }
        #expect(maxAbsDifference(out, exact) < 1e-14)

        let spectral = try PeriodicResampler(finePlan: plan, coarseShape: [8, 8], method: .spectral)
        out.withUnsafeMutableBufferPointer { spectral.resample(spectrum: spectrum, into: $0) }
        #expect(maxAbsDifference(out, coarse.flatMap { x in coarse.map { low(x, $0) } }) < 1e-14)
    }

    @Test("rejects coarse shapes that do not divide the fine one for subsampling")
    func rejectsNonDivisors() throws {
        let plan = try RealFFTPlan<Double>(shape: [32, 32], rigor: .estimate)
        #expect(throws: ResamplingError.self) { try PeriodicResampler(finePlan: plan, coarseShape: [12, 12], method: .subsample) }
        #expect(throws: ResamplingError.self) { try PeriodicResampler(finePlan: plan, coarseShape: [64, 64], method: .spectral) }
        _ = try PeriodicResampler(finePlan: plan, coarseShape: [12, 12], method: .spectral)
    }
}

@Suite("Spectral operators in one and three dimensions")
struct SpectralOperatorsRankTests {
    @Test("the derivative of a band-limited field is exact in 1-D and along every axis in 3-D")
    func otherRanks() throws {
        let line = try SpectralOperators(grid: try PeriodicGrid(shape: [24], lengths: [3]), rigor: .estimate)
        let x = line.grid.coordinates(axis: 0), a = 2 * Double.pi / 3
        let out1 = AlignedBuffer<Double>(count: 24)
        line.derivative(of: AlignedBuffer(x.map { sin(5 * a * $0) }), axis: 0, into: out1)
        #expect(maxAbsDifference(out1, x.map { 5 * a * cos(5 * a * $0) }) < 1e-12)

        let box = try SpectralOperators(grid: try PeriodicGrid(shape: [8, 12, 10], lengths: [1, 2, 2 * Double.pi]),
                                        rigor: .estimate)
        let c = (0..<3).map { box.grid.coordinates(axis: $0) }
        let k = [2 * Double.pi * 2, Double.pi * 3, 4.0]  // wavenumbers 2, 3, 4 on lengths 1, 2, 2 pi
        var field: [Double] = [], expected: [[Double]] = [[], [], []]
        for x in c[0] {
            for y in c[1] {
                for z in c[2] {
                    field.append(sin(k[0] * x) * cos(k[1] * y) * sin(k[2] * z))
                    expected[0].append(k[0] * cos(k[0] * x) * cos(k[1] * y) * sin(k[2] * z))
                    expected[1].append(-k[1] * sin(k[0] * x) * sin(k[1] * y) * sin(k[2] * z))
                    expected[2].append(k[2] * sin(k[0] * x) * cos(k[1] * y) * cos(k[2] * z))
                }
            }
        }
        let out3 = AlignedBuffer<Double>(count: field.count)
        for axis in 0..<3 {
            box.derivative(of: AlignedBuffer(field), axis: axis, into: out3)
            #expect(maxAbsDifference(out3, expected[axis]) < 1e-12 * 20, "axis \(axis)")
        }
    }
}
