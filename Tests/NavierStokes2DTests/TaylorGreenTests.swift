import Foundation
import NavierStokes2D
import SolverKit
import Testing

/// The Taylor-Green vortex `omega0 = cos(2 pi x) cos(2 pi y)` on the unit torus is an exact steady solution of
/// the Euler equations (`omega = 8 pi^2 psi`, so `u . grad omega = 0`); with viscosity it decays as
/// `exp(-8 pi^2 nu t)`.
@Suite("Taylor-Green vortex")
struct TaylorGreenTests {
    @Test("one step multiplies every mode by the discrete Crank-Nicolson factor to 1e-12")
    func crankNicolsonFactorPerStep() throws {
        let nu = 1e-3, dt = 1e-4
        let simulation = try VorticitySimulation(case: testCase(points: 32, dt: dt), rigor: .estimate)
        let before = simulation.vorticityField()
        try simulation.advance()
        let after = simulation.vorticityField()
        // Crank-Nicolson on d omega/dt = -nu |k|^2 omega with |k|^2 = 8 pi^2:
        let lambda = -nu * 8 * Double.pi * Double.pi
        let factor = (1 + 0.5 * dt * lambda) / (1 - 0.5 * dt * lambda)
        #expect(maxAbsDifference(after, before.map { $0 * factor }) < 1e-12)
        #expect(simulation.step == 1)
        #expect(abs(simulation.time - dt) < 1e-18)
    }

    @Test("decays by exp(-8 pi^2 nu t) = 0.924079811 at t = 1 for nu = 1e-3, with every IMEX scheme",
          arguments: IMEXScheme.all)
    func analyticDecay(scheme: IMEXScheme) throws {
        // 16^2 resolves k = (1, 1) exactly. The Crank-Nicolson error per step is (dt lambda)^3 / 12 ~ 4e-17 at
        // dt lambda = 7.9e-6 (dt = 1e-4; larger steps for the multi-stage schemes keep the test short: at
        // dt = 1e-3 it is 4e-14 per step, 4e-11 over the run); rounding adds about 1e-13.
        let dt = scheme.stages > 1 ? 1e-3 : 1e-4
        let steps = Int((1 / dt).rounded())
        let simulation = try VorticitySimulation(case: testCase(points: 16, scheme: scheme.name, dt: dt, steps: steps),
                                                 rigor: .estimate)
        let initial = simulation.vorticityField()
        for _ in 0..<steps { try simulation.advance() }
        let ratio = maxAbs(simulation.vorticityField()) / maxAbs(initial)
        #expect(abs(simulation.time - 1) < 1e-12)
        #expect(abs(ratio - exp(-8 * Double.pi * Double.pi * 1e-3)) < 1e-10)
        #expect(abs(ratio - 0.924079811) < 5e-10)
    }

    @Test("a single mode of x + y decays as exp(-2 kappa^2 nu t) and keeps its shape")
    func singleModeDecay() throws {
        let spec = testCase(points: 16, scheme: "cn-rk3", dt: 2e-3, steps: 250, initial: .singleMode) {
            $0.amplitude = 0.7
            $0.wavenumber = 2
            $0.phase = 0.3
            $0.viscosity = 1e-2
        }
        let simulation = try VorticitySimulation(case: spec, rigor: .estimate)
        let initial = simulation.vorticityField()
        for _ in 0..<250 { try simulation.advance() }
        let kappa2 = 2 * pow(2 * Double.pi * 2, 2)
        let expected = initial.map { $0 * exp(-kappa2 * 1e-2 * 0.5) }
        // Crank-Nicolson sub-steps: error ~ T (dt lambda)^2 lambda / 12 relative, ~ 1e-6 here (lambda = 6.3).
        #expect(maxAbsDifference(simulation.vorticityField(), expected) < 1e-5 * maxAbs(initial))
    }
}
