import Foundation
import SolverKit
import Testing
@testable import Channel

/// Plane Poiseuille flow at Re_tau = 180 in wall units: nu = 1/180, -dP/dx = 1, U = 90 (1 - y^2).
private func poiseuilleFlow(driving: ChannelConfiguration.Driving = .pressureGradient(1), nx: Int = 8, nz: Int = 8,
                            ny: Int = 33) throws -> ChannelFlow {
    let c = ChannelConfiguration(nx: nx, ny: ny, nz: nz, lx: 4 * .pi, lz: 4 * .pi / 3, viscosity: 1.0 / 180,
                                 driving: driving, timeStep: 0.01)
    let flow = try ChannelFlow(configuration: c, rigor: .estimate)
    flow.setMeanFlow(flow.laminarProfile())
    return flow
}

@Test func chebyshevDerivativeMatchesCollocationMatrix() throws {
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

@Test func helmholtzSolverReproducesAPolynomialSolution() throws {
    // u = (1 - y^2) y^3 + 2 y: u'' - 3 u = f with u(1) = 2, u(-1) = -2.
    let n = 24
    let solver = try ChebyshevHelmholtz(intervals: n)
    let y = Chebyshev.points(n)
    func u(_ t: Double) -> Double { (1 - t * t) * t * t * t + 2 * t }
    func upp(_ t: Double) -> Double { 6 * t - 20 * t * t * t }
    var data = y.map { upp($0) - 3 * u($0) }
    data[0] = 2
    data[n] = -2
    var sigma = [3.0]
    data.withUnsafeMutableBufferPointer { d in sigma.withUnsafeMutableBufferPointer { solver.solve(d.baseAddress!, columns: 1, sigma: $0.baseAddress!) } }
    for j in 0...n { #expect(abs(data[j] - u(y[j])) < 1e-13) }
}

@Test func laminarPoiseuilleFlowIsSteadyToRoundOff() throws {
    let flow = try poiseuilleFlow()
    let exact = flow.y.map { 90 * (1 - $0 * $0) }
    for _ in 0..<50 { flow.advance() }
    let error = zip(flow.meanU, exact).map { abs($0 - $1) }.max()!
    #expect(error / 90 < 1e-12, "max |U - U_exact| / U_c = \(error / 90)")
    #expect(flow.fluctuationEnergy() == 0)
    // Wall shear balances the pressure gradient: tau_w = 1 (u_tau = 1) at both walls.
    #expect(abs(flow.wallShear.lower - 1) < 1e-11 && abs(flow.wallShear.upper - 1) < 1e-11)
}

@Test func constantFlowRateHoldsTheBulkVelocityAndFindsThePressureGradient() throws {
    // Bulk velocity 60 = 2/3 of the centreline 90: the laminar pressure gradient is 3 nu U_b = 1.
    let flow = try poiseuilleFlow(driving: .flowRate(60))
    for _ in 0..<20 { flow.advance() }
    #expect(abs(flow.bulkVelocity - 60) < 1e-11)
    #expect(abs(flow.pressureGradient - 1) < 1e-10, "pressure gradient \(flow.pressureGradient)")
}
