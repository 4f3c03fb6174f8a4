import Advection
import Foundation
import SolverKit
import Testing

@Suite("Advection: conservation and bounds")
struct ConservationTests {
    @Test("mass is conserved to 1e-12 relative over a swirl period, finite volume and spectral",
          arguments: [AdvectionCase.Scheme.Method.finiteVolume, .spectral])
    func massConserved(method: AdvectionCase.Scheme.Method) throws {
        let spec = advectionCase(points: 64, flow: .swirl, shape: .cosineHump, method: method, endTime: 0.5) {
            $0.swirlPeriod = 0.5
            $0.centreY = 0.7
        }
        let simulation = try AdvectionSimulation(case: spec, rigor: .estimate)
        let mass0 = simulation.mass
        #expect(mass0 > 0.01)
        var worst = 0.0
        _ = try runToEnd(simulation) { worst = max(worst, abs($0.mass - mass0) / mass0) }
        #expect(worst < 1e-12, "largest relative mass change \(worst)")
    }

    @Test("the limited finite-volume scheme creates no new extrema beyond 1e-12, for every limiter",
          arguments: SlopeLimiter.allCases)
    func noNewExtrema(limiter: SlopeLimiter) throws {
        // The slotted cylinder (values 0 and 1, discontinuous) in the swirl and in solid-body rotation: the
        // hardest data for overshoots. Courant 0.45 < 1/2 (FiniteVolumeAdvection's bound).
        for (flow, end) in [(AdvectionCase.Flow.swirl, 0.5), (.rotation, 1.0)] {
            let spec = advectionCase(points: 64, flow: flow, shape: .slottedCylinder, limiter: limiter, courant: 0.45,
                                     endTime: end) { $0.swirlPeriod = 0.5 }
            let simulation = try AdvectionSimulation(case: spec, rigor: .estimate)
            var low = 0.0, high = 1.0
            _ = try runToEnd(simulation) {
                let q = $0.tracer()
                low = min(low, q.min() ?? 0)
                high = max(high, q.max() ?? 1)
            }
            #expect(low >= -1e-12, "\(limiter) \(flow): minimum \(low)")
            #expect(high <= 1 + 1e-12, "\(limiter) \(flow): maximum \(high)")
        }
    }

    @Test("case values out of range are refused with messages naming them")
    func invalidCases() throws {
        let bad = advectionCase(points: 16, flow: .rotation, shape: .cone, method: .spectral, endTime: 1)
        do {
            _ = try AdvectionSimulation(case: bad, rigor: .estimate)
            Issue.record("spectral rotation was accepted")
        } catch {
            #expect("\(error)".contains("rotation"))
        }
        let steep = advectionCase(points: 16, flow: .swirl, shape: .cone, courant: 0.8, endTime: 1)
        #expect(throws: AdvectionError.self) { try AdvectionSimulation(case: steep, rigor: .estimate) }
        let negative = advectionCase(points: 16, flow: .swirl, shape: .cone, endTime: 1) { $0.radius = -0.1 }
        do {
            _ = try AdvectionSimulation(case: negative, rigor: .estimate)
            Issue.record("radius -0.1 was accepted")
        } catch {
            #expect("\(error)".contains("radius -0.1"))
        }
    }
}
