import Foundation
import NavierStokes2D
import SolverKit
import Testing

/// Kolmogorov forcing `A sin(kappa y)` along x drives the vorticity `-A kappa cos(kappa y)`; from rest the flow
/// stays a function of y, the advection term vanishes, and each point follows the linear ODE
/// `d omega/dt = -(nu kappa^2 + mu) omega - A kappa cos(kappa y)`:
/// `omega(t) = omega_s (1 - exp(-(nu kappa^2 + mu) t))`, `omega_s = -A kappa cos(kappa y) / (nu kappa^2 + mu)`.
@Suite("Kolmogorov flow")
struct KolmogorovTests {
    @Test("from rest the laminar Kolmogorov profile grows as the forced, damped ODE says", arguments: IMEXScheme.all)
    func laminarSpinUp(scheme: IMEXScheme) throws {
        let nu = 1e-2, drag = 0.1, amplitude = 1.0, k = 4.0, dt = 2e-3, steps = 500
        var spec = testCase(points: 16, length: 2 * Double.pi, scheme: scheme.name, dt: dt, steps: steps,
                            forcing: .kolmogorov, initial: .singleMode) {
            $0.viscosity = nu
            $0.drag = drag
            $0.forcingAmplitude = amplitude
            $0.forcingWavenumber = k
            $0.amplitude = 0
        }
        spec.output.fields = [.vorticity, .velocityX, .velocityY]
        let simulation = try VorticitySimulation(case: spec, rigor: .estimate)
        for _ in 0..<steps { try simulation.advance() }
        let t = Double(steps) * dt
        let rate = nu * k * k + drag
        let y = try PeriodicGrid(dimensions: 2, points: 16, length: 2 * Double.pi).coordinates(axis: 1)
        var expected: [Double] = []
        for _ in 0..<16 {
            for j in 0..<16 { expected.append(-amplitude * k * cos(k * y[j]) / rate * (1 - exp(-rate * t))) }
        }
        // Time error: forward Euler's first order (cn-euler) is the loosest: ~ dt * rate * |omega| / 2 ~ 1e-3
        // relative; the other schemes are second order (Crank-Nicolson sub-steps), ~ (dt rate)^2 ~ 1e-7.
        let tolerance = scheme.explicitOrder == 1 ? 3e-3 : 1e-5
        #expect(maxAbsDifference(simulation.vorticityField(), expected) < tolerance * maxAbs(expected))
        // The velocity is (u(y), 0): v vanishes.
        let fields = try simulation.withSnapshotFields { buffers in buffers.map { Array($0.bindMemory(to: Double.self)) } }
        #expect(maxAbs(fields[2]) < 1e-12)
        // u = d psi/dy with -Laplacian psi = omega: u = -A sin(k y) (1 - e^{-rate t}) / rate... times -1/k * k: check
        // against the integral of omega: omega = -du/dy, so u = A sin(k y)(1 - e^{-rate t}) / rate.
        let uExpected = (0..<256).map { i in amplitude * sin(k * y[i % 16]) / rate * (1 - exp(-rate * t)) }
        #expect(maxAbsDifference(fields[1], uExpected) < tolerance * maxAbs(uExpected) + 1e-12)
    }
}
