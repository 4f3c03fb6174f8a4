import Foundation
import Testing
@testable import Filters

/// Periodic field with a few known modes: sum of a_k cos(2 pi k x / L + phi_k).
struct Modes {
    var terms: [(k: Int, amplitude: Double, phase: Double)]
    var length: Double = 1

    func value(_ x: Double) -> Double {
        terms.reduce(0) { $0 + $1.amplitude * cos(2 * .pi * Double($1.k) * x / length + $1.phase) }
    }

    /// The field keeping only modes with |k| <= limit.
    func truncated(to limit: Int) -> Modes {
        Modes(terms: terms.filter { $0.k <= limit }, length: length)
    }
}

/// A reproducible random periodic 2-D field (a few dozen modes, including a mean).
func randomField(_ nx: Int, _ ny: Int, seed: UInt64) -> [Double] {
    var state = seed
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    let modes = (0..<24).map { _ in (Int(next() * 12), Int(next() * 12), next() - 0.5, 2 * .pi * next()) }
    var field = [Double](repeating: 0.3, count: nx * ny)
    for i in 0..<nx {
        for j in 0..<ny {
            let x = Double(i) / Double(nx), y = Double(j) / Double(ny)
            for (kx, ky, a, phi) in modes { field[i * ny + j] += a * cos(2 * .pi * (Double(kx) * x + Double(ky) * y) + phi) }
            // A little white noise, so that the finest modes are present too.
            field[i * ny + j] += 0.01 * (next() - 0.5)
        }
    }
    return field
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

@Suite("Filter properties")
struct FilterPropertyTests {
    static let periodicFilters: [AxisFilter] = [
        .box(factor: 1), .box(factor: 2), .box(factor: 3), .box(factor: 4), .box(factor: 5), .box(factor: 6),
        .gaussian(width: 0.05), .gaussian(width: 0.1, points: 20), .gaussian(width: 0.2, points: 15),
        .spectral(points: 20), .spectral(points: 15), .spectral(points: 60), .spectral(points: 30, cutoff: 4),
    ]

    @Test("each periodic filter preserves the mean of a periodic field exactly", arguments: periodicFilters)
    func meanIsPreserved(filter: AxisFilter) throws {
        let n = 60
        let fine = randomField(n, n, seed: 7)
        let axis = FineAxis.periodic(points: n, lower: 0, upper: 1)
        let grid = try GridFilter(spec: FilterSpec(axes: [filter, filter]), axes: [axis, axis])
        let coarse = grid.apply(fine)
        #expect(coarse.count == grid.coarseShape.reduce(1, *))
        // Exact in exact arithmetic; 1e-13 allows rounding in sums of ~3600 terms of order 1.
        #expect(abs(mean(coarse) - mean(fine)) < 1e-13, "\(filter): \(mean(coarse)) vs \(mean(fine))")
    }

    @Test("a sharp cut-off keeps exactly the modes below the cut")
    func sharpCutOff() throws {
        let field = Modes(terms: [(0, 0.7, 0), (1, 1.0, 0.3), (3, 0.5, 1.1), (5, 0.25, -0.4), (7, 0.2, 2.0),
                                  (9, 0.8, 0.6), (20, 0.3, 0.1), (31, 0.1, 0.5)])
        let n = 64
        let fine = (0..<n).map { field.value(Double($0) / Double(n)) }
        for (filter, kept) in [(AxisFilter.spectral(points: 16), 7), (.spectral(points: 15), 7),
                               (.spectral(points: 32, cutoff: 5), 5), (.spectral(points: 32, endpoint: true), 15),
                               (.spectral(points: 24, endpoint: true, cutoff: 9), 9), (.spectral(points: 64), 31)] {
            let op = try AxisOperator(filter, on: .periodic(points: n, lower: 0, upper: 1))
            let coarse = op.apply(fine)
            let expected = field.truncated(to: kept)
            for (x, value) in zip(op.coordinates, coarse) {
                // The truncated series evaluated exactly; the tolerance is rounding in a 64-term sum.
                #expect(abs(value - expected.value(x)) < 1e-12, "\(filter) at x = \(x)")
            }
            // The discarded modes are really gone: a field of only the dropped modes filters to zero.
            let dropped = Modes(terms: field.terms.filter { $0.k > kept })
            let residue = op.apply((0..<n).map { dropped.value(Double($0) / Double(n)) })
            #expect(residue.allSatisfy { abs($0) < 1e-12 }, "\(filter) leaks modes above \(kept)")
        }
    }

    @Test("the Gaussian damps mode k by exp(-k^2 D^2 / 24)")
    func gaussianTransferFunction() throws {
        let length = 2 * Double.pi, width = 0.4, n = 48
        for k in [1, 4, 9] {
            let fine = (0..<n).map { cos(Double(k) * Double($0) * length / Double(n)) }
            let op = try AxisOperator(.gaussian(width: width, points: 24), on: .periodic(points: n, lower: 0, upper: length))
            let coarse = op.apply(fine)
            let gain = exp(-Double(k * k) * width * width / 24)
            for (x, value) in zip(op.coordinates, coarse) {
                #expect(abs(value - gain * cos(Double(k) * x)) < 1e-12)
            }
        }
    }

    @Test("a box filter of a smooth field converges at second order")
    func boxConvergesAtSecondOrder() throws {
        // Fixed physical width D = 1/8 on [0, 1): N = 32 ... 256 fine points, factor N/8, 8 coarse points. The
        // continuous top-hat of cos(2 pi k x) is cos(2 pi k x) sin(pi k D)/(pi k D); the discrete (trapezoidal)
        // one differs by O(h^2).
        let field = Modes(terms: [(1, 1, 0.2), (2, 0.5, 1.0), (3, 0.3, -0.7)])
        let width = 1.0 / 8
        func topHat(_ x: Double) -> Double {
            field.terms.reduce(0) { sum, term in
                let s = Double.pi * Double(term.k) * width
                return sum + term.amplitude * cos(2 * .pi * Double(term.k) * x + term.phase) * sin(s) / s
            }
        }
        var errors: [Double] = []
        for n in [32, 64, 128, 256] {
            let op = try AxisOperator(.box(factor: n / 8), on: .periodic(points: n, lower: 0, upper: 1))
            let coarse = op.apply((0..<n).map { field.value(Double($0) / Double(n)) })
            errors.append(zip(op.coordinates, coarse).map { abs($1 - topHat($0)) }.max() ?? 0)
        }
        let orders = zip(errors, errors.dropFirst()).map { log2($0 / $1) }
        for order in orders { #expect(abs(order - 2) < 0.1, "observed orders \(orders), errors \(errors)") }
    }

    @Test("the spectral cut-off of a divergence-free field stays divergence-free")
    func divergenceFreeStaysDivergenceFree() throws {
        // u = d psi/dy, v = -d psi/dx for a stream function psi with modes up to |k| = 20 on 64^2, [0, 1)^2.
        let n = 64, m = 16
        var state: UInt64 = 3
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let modes = (0..<40).map { _ in (Double(Int(next() * 21)), Double(Int(next() * 41) - 20), next(), 2 * .pi * next()) }
        var u = [Double](repeating: 0, count: n * n), v = u
        for i in 0..<n {
            for j in 0..<n {
                let x = Double(i) / Double(n), y = Double(j) / Double(n)
                for (kx, ky, a, phi) in modes {
                    let s = -sin(2 * .pi * (kx * x + ky * y) + phi) * 2 * .pi * a
                    u[i * n + j] += s * ky
                    v[i * n + j] -= s * kx
                }
            }
        }
        let axis = FineAxis.periodic(points: n, lower: 0, upper: 1)
        let grid = try GridFilter(spec: FilterSpec(axes: [.spectral(points: m), .spectral(points: m)]), axes: [axis, axis])
        let cu = grid.apply(u), cv = grid.apply(v)
        // Divergence on the coarse grid, spectrally (exact for the band-limited coarse field).
        let divergence = spectralDerivative(cu, m, axis: 0).enumerated().map { $1 + spectralDerivative(cv, m, axis: 1)[$0] }
        let scale = cu.map(abs).max() ?? 1
        #expect(scale > 1)
        #expect(divergence.map(abs).max() ?? 0 < 1e-11 * scale * Double(m))
        // The same fields box-filtered with decimation are not exactly divergence-free under the spectral
        // derivative; the check above is not vacuous.
        let box = try GridFilter(spec: FilterSpec(axes: [.box(factor: 4), .box(factor: 4)]), axes: [axis, axis])
        let bu = box.apply(u), bv = box.apply(v)
        let boxDivergence = spectralDerivative(bu, m, axis: 0).enumerated().map { $1 + spectralDerivative(bv, m, axis: 1)[$0] }
        #expect(boxDivergence.map(abs).max() ?? 0 > 1e-3 * scale)
    }

    /// d/dx (axis 0) or d/dy (axis 1) of a periodic m x m field on [0, 1)^2 by a direct DFT, Nyquist mode zeroed.
    func spectralDerivative(_ f: [Double], _ m: Int, axis: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * m)
        for line in 0..<m {
            let index = { (p: Int) in axis == 0 ? p * m + line : line * m + p }
            for p in 0..<m {
                var sum = 0.0
                for k in -(m / 2 - 1)...(m / 2 - 1) where k != 0 {
                    var re = 0.0, im = 0.0
                    for q in 0..<m {
                        let angle = -2 * Double.pi * Double(k * q) / Double(m)
                        re += f[index(q)] * cos(angle)
                        im += f[index(q)] * sin(angle)
                    }
                    // (i 2 pi k) * fhat_k * exp(i 2 pi k p / m), real part.
                    let angle = 2 * Double.pi * Double(k * p) / Double(m)
                    let w = 2 * Double.pi * Double(k) / Double(m)
                    sum += w * (-im * cos(angle) - re * sin(angle))
                }
                out[index(p)] = sum
            }
        }
        return out
    }
}
