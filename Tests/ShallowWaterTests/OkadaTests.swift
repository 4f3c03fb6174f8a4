import Foundation
@testable import ShallowWater
import Testing

@Suite("ShallowWater: Okada fault source")
struct OkadaTests {
    /// Okada (1985), Table 2, case 2: x = 2, y = 3, d = 4, dip 70 degrees, L = 3, W = 2, unit slip, Poisson 0.25.
    @Test("vertical displacement reproduces Okada's 1985 check list (finite rectangular source)")
    func checkList() {
        let dip = 70 * Double.pi / 180
        let ss = OkadaFault.verticalDisplacement(x: 2, y: 3, d: 4, dip: dip, length: 3, width: 2, strikeSlip: 1, dipSlip: 0)
        let ds = OkadaFault.verticalDisplacement(x: 2, y: 3, d: 4, dip: dip, length: 3, width: 2, strikeSlip: 0, dipSlip: 1)
        #expect(abs(ss - -2.747e-3) < 5e-7)
        #expect(abs(ds - -3.564e-2) < 5e-6)
    }

    @Test("a north-striking thrust dipping east: symmetric along strike, uplift west of the centroid, subsidence east, decays far away")
    func thrustShape() {
        let fault = OkadaFault(centre: SIMD2(0, 0), depth: 20_000, strike: 0, dip: 15, rake: 90, slip: 5,
                               length: 80_000, width: 40_000)
        for (x, y) in [(-10_000.0, 15_000.0), (25_000, 30_000), (0, 5_000)] {
            #expect(abs(fault.uplift(at: SIMD2(x, y)) - fault.uplift(at: SIMD2(x, -y))) < 1e-9)
        }
        let xs = stride(from: -100_000.0, through: 100_000, by: 1000).map { $0 }
        let profile = xs.map { fault.uplift(at: SIMD2($0, 0)) }
        let top = profile.indices.max { profile[$0] < profile[$1] }!, bottom = profile.indices.min { profile[$0] < profile[$1] }!
        #expect(profile[top] > 0.5 && profile[top] < 5)
        #expect(profile[bottom] < 0)
        #expect(xs[top] < xs[bottom])
        #expect(abs(fault.uplift(at: SIMD2(0, 1_000_000))) < 1e-3)
    }

    @Test("an Okada member runs: the case validates its fault and the source lifts the sea")
    func okadaMember() throws {
        var c = tsunamiCase(movement: nil, um2n: false, steps: 3, source: .okada)
        let sim = try TsunamiSimulation(case: c)
        #expect((sim.gaugeSeries[0].first ?? 0).isFinite)
        #expect(sim.solver.surface.max() ?? 0 > 0.5)
        for _ in 0..<3 { try sim.advance() }
        #expect(sim.nonFiniteStateField() == nil)
        c.parameters.faultDepth = 1000
        #expect(throws: ShallowWaterError.self) { try TsunamiSimulation(case: c) }
    }
}
