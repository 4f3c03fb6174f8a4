import Foundation
import SolverKit
import Testing

/// Gaussian random fields N(0, sigma^2 (-Laplacian + tau^2)^(-alpha)) as FNO draws them.
@Suite("Gaussian random fields")
struct GaussianRandomFieldTests {
    let grid: PeriodicGrid

    init() throws {
        grid = try PeriodicGrid(dimensions: 2, points: 32)
    }

    @Test("the sample spectrum matches the prescribed covariance, shell by shell, within 5 standard errors")
    func spectrumMatchesCovariance() throws {
        let grf = try GaussianRandomField(grid: grid, alpha: 2.5, tau: 7)
        #expect(abs(grf.sigma - pow(7, 1.5)) < 1e-12)  // FNO: sigma = tau^(alpha - d/2)
        let samples = 200
        let plan = try RealFFTPlan<Double>(shape: [32, 32], rigor: .estimate)
        var power = Array(repeating: 0.0, count: plan.spectrumCount)
        var rng = SplitMix64(seed: 42)
        let field = AlignedBuffer<Double>(count: 32 * 32)
        for _ in 0..<samples {
            grf.sample(using: &rng, into: field)
            plan.forward(field, into: plan.spectrum)
            for i in 0..<power.count { power[i] += plan.spectrum[i].lengthSquared / Double(samples) }
        }
        // |U_k|^2 / E|U_k|^2 is Exp(1) (mean 1, sd 1) for each complex mode and chi^2_1 (sd sqrt 2) for real
        // ones; averaging m modes over M samples gives a standard error of at most sqrt(2 / (M m)).
        let k0 = plan.wavenumbers(axis: 0), k1 = plan.wavenumbers(axis: 1)
        for (low, high) in [(1.0, 2.0), (2.0, 4.0), (4.0, 8.0), (8.0, 17.0)] {
            var ratio = 0.0, modes = 0
            for i in 0..<power.count {
                let k = Double(k0[i / 17] * k0[i / 17] + k1[i % 17] * k1[i % 17]).squareRoot()
                guard k >= low, k < high else { continue }
                ratio += power[i] / grf.spectralVariance[i]
                modes += 1
            }
            ratio /= Double(modes)
            let standardError = (2 / Double(samples * modes)).squareRoot()
            #expect(abs(ratio - 1) < 5 * standardError, "shell [\(low), \(high)): mean power ratio \(ratio) over \(modes) modes")
        }
        // The mean mode is exactly zero: FNO's sqrt_eig[0, 0] = 0.
        #expect(power[0] < 1e-20)
    }

    @Test("the pointwise variance matches the sum of the eigenvalues within 5 standard errors")
    func pointVariance() throws {
        let grf = try GaussianRandomField(grid: grid, alpha: 2.5, tau: 7)
        var rng = SplitMix64(seed: 9)
        let field = AlignedBuffer<Double>(count: 32 * 32)
        let samples = 100
        var mean = 0.0
        for _ in 0..<samples {
            grf.sample(using: &rng, into: field)
            mean += field.reduce(0) { $0 + $1 * $1 } / Double(field.count * samples)
        }
        // Var of one sample's spatial mean of u^2 = sum over modes of Var|c_k|^2 terms: 4 lambda^2 per complex
        // pair, 2 lambda^2 per real mode (lambda = E|U_k|^2 / N^2).
        let n2 = Double(32 * 32) * Double(32 * 32)
        var variance = 0.0
        for i in 0..<grf.spectralVariance.count {
            let lambda = grf.spectralVariance[i] / n2
            variance += (i % 17 == 0 || i % 17 == 16) ? 2 * lambda * lambda : 4 * lambda * lambda
        }
        let standardError = (variance / Double(samples)).squareRoot()
        #expect(abs(mean - grf.pointVariance) < 5 * standardError, "mean u^2 \(mean) vs \(grf.pointVariance)")
    }

    @Test("samples have zero mean and replay bit for bit from a seed")
    func zeroMeanAndReproducible() throws {
        let grf = try GaussianRandomField(grid: grid, alpha: 2.5, tau: 7)
        let a = AlignedBuffer<Double>(count: 1024), b = AlignedBuffer<Double>(count: 1024), c = AlignedBuffer<Double>(count: 1024)
        var r1 = SplitMix64(seed: 5), r2 = SplitMix64(seed: 5), r3 = SplitMix64(seed: 6)
        grf.sample(using: &r1, into: a)
        grf.sample(using: &r2, into: b)
        grf.sample(using: &r3, into: c)
        #expect(Array(a) == Array(b))
        #expect(Array(a) != Array(c))
        let scale = a.reduce(0) { max($0, abs($1)) }
        #expect(abs(a.reduce(0, +) / 1024) < 1e-14 * scale)
    }

    @Test("works in one and three dimensions with the covariance's d-dependent sigma")
    func otherDimensions() throws {
        for d in [1, 3] {
            let g = try PeriodicGrid(dimensions: d, points: d == 1 ? 64 : 8)
            let grf = try GaussianRandomField(grid: g, alpha: 2, tau: 3)
            #expect(abs(grf.sigma - pow(3, 2 - Double(d) / 2)) < 1e-12)
            let field = AlignedBuffer<Double>(count: g.pointCount)
            var rng = SplitMix64(seed: 1)
            grf.sample(using: &rng, into: field)
            #expect(field.contains { $0 != 0 })
            #expect(abs(field.reduce(0, +)) < 1e-12 * Double(g.pointCount))
        }
    }

    @Test("rejects alpha <= d/2 and non-positive tau with messages naming the values")
    func invalidParameters() throws {
        #expect(throws: GaussianRandomFieldError.self) { try GaussianRandomField(grid: grid, alpha: 1, tau: 7) }
        do {
            _ = try GaussianRandomField(grid: grid, alpha: 2.5, tau: -1)
            Issue.record("tau -1 was accepted")
        } catch {
            #expect("\(error)".contains("tau -1.0"))
        }
    }
}
