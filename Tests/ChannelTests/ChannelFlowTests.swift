import Foundation
import SolverKit
import Testing
@testable import Channel

/// Plane Poiseuille flow at Re_tau = 180 in wall units: nu = 1/180, -dP/dx = 1, U = 90 (1 - y^2).
private func poiseuilleFlow(driving: ChannelConfiguration.Driving = .pressureGradient(1), nx: Int = 8, nz: Int = 8,
                            ny: Int = 33, dt: Double = 0.01, courant: Double? = nil) throws -> ChannelFlow {
    let c = ChannelConfiguration(nx: nx, ny: ny, nz: nz, lx: 4 * .pi, lz: 4 * .pi / 3, viscosity: 1.0 / 180,
                                 driving: driving, timeStep: dt, courant: courant)
    let flow = try ChannelFlow(configuration: c, rigor: .estimate)
    flow.setMeanFlow(flow.laminarProfile())
    return flow
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

@Test func perturbedFlowStaysDivergenceFreeWithNoSlipWalls() throws {
    let flow = try poiseuilleFlow(nx: 16, nz: 16, ny: 33, dt: 0.002, courant: 1.0)
    flow.addRandomPerturbation(amplitude: 5, seed: 7)
    for _ in 0..<10 { flow.advance() }
    #expect(flow.fluctuationEnergy() > 1e-3)
    #expect(flow.divergenceResidual() < 1e-12, "divergence \(flow.divergenceResidual())")
    let spectra = flow.velocitySpectra()
    let n = flow.n, pairs = flow.pairs
    var wall = 0.0, interior = 0.0
    for p in 0..<pairs {
        for j in [0, n] { wall = max(wall, spectra.u[j * pairs + p].length, spectra.v[j * pairs + p].length, spectra.w[j * pairs + p].length) }
        interior = max(interior, spectra.v[(n / 2) * pairs + p].length)
    }
    #expect(wall < 1e-12 * max(1, interior), "wall velocity \(wall)")
}

@Test func orrSommerfeldLeastStableModeMatchesOrszag() throws {
    // Orszag (1971, J. Fluid Mech. 50, table 2): Re = 7500, alpha = 1, c = 0.24989154 + 0.00223497i.
    let mode = try OrrSommerfeld.leastStableMode(reynolds: 7500, alpha: 1, intervals: 80)
    #expect(abs(mode.c.re - 0.24989154) < 1e-7 && abs(mode.c.im - 0.00223497) < 1e-7, "c = \(mode.c)")
}

/// Laminar flow at Re = 7500 (centreline velocity 1) plus the least-stable Orr-Sommerfeld mode (alpha = 1) at
/// amplitude 1e-6, and that mode.
private func tollmienSchlichtingFlow(intervals n: Int) throws -> (ChannelFlow, OrrSommerfeld.Mode) {
    let mode = try OrrSommerfeld.leastStableMode(reynolds: 7500, alpha: 1, intervals: n)
    let c = ChannelConfiguration(nx: 4, ny: n + 1, nz: 2, lx: 2 * .pi, lz: 1, viscosity: 1.0 / 7500,
                                 driving: .pressureGradient(2.0 / 7500), timeStep: 0.02)
    let flow = try ChannelFlow(configuration: c, rigor: .estimate)
    flow.setMeanFlow(flow.laminarProfile())
    flow.addMode(ix: 1, jz: 0, v: mode.v.map { $0 * 1e-6 }, omega: Array(repeating: .zero, count: n + 1))
    return (flow, mode)
}

@Test func tollmienSchlichtingWaveGrowsAtTheOrrSommerfeldRate() throws {
    let n = 64
    let (flow, mode) = try tollmienSchlichtingFlow(intervals: n)
    for _ in 0..<100 { flow.advance() }
    let (t0, e0) = (flow.time, flow.fluctuationEnergy())
    for _ in 0..<2000 { flow.advance() }
    let rate = 0.5 * log(flow.fluctuationEnergy() / e0) / (flow.time - t0)
    let expected = 1 * mode.c.im
    print("TS wave: DNS growth rate \(rate), Orr-Sommerfeld alpha c_i = \(expected), c = \(mode.c)")
    #expect(abs(rate - expected) < 0.01 * expected, "DNS growth rate \(rate), Orr-Sommerfeld alpha c_i = \(expected)")
}

@Test func obliqueWaveDecaysAtTheOrrSommerfeldRate() throws {
    // alpha = beta = 1 exercises the spanwise terms of h_v (uw, vw, ww products and their kz factors).
    let n = 48
    let mode = try OrrSommerfeld.leastStableMode(reynolds: 2000, alpha: 1, beta: 1, intervals: n)
    let c = ChannelConfiguration(nx: 4, ny: n + 1, nz: 4, lx: 2 * .pi, lz: 2 * .pi, viscosity: 1.0 / 2000,
                                 driving: .pressureGradient(2.0 / 2000), timeStep: 0.02)
    let flow = try ChannelFlow(configuration: c, rigor: .estimate)
    flow.setMeanFlow(flow.laminarProfile())
    flow.addMode(ix: 1, jz: 1, v: mode.v.map { $0 * 1e-6 }, omega: Array(repeating: .zero, count: n + 1))
    let pair = 1 * flow.nkx + 1
    func energy() -> Double { (0...n).reduce(0) { $0 + flow.quadrature[$1] * flow.v[$1 * flow.pairs + pair].lengthSquared } }
    for _ in 0..<100 { flow.advance() }
    let (t0, e0) = (flow.time, energy())
    for _ in 0..<1000 { flow.advance() }
    let rate = 0.5 * log(energy() / e0) / (flow.time - t0)
    let expected = mode.c.im
    print("oblique wave: DNS rate \(rate), Orr-Sommerfeld alpha c_i = \(expected)")
    #expect(abs(rate - expected) < 0.01 * abs(expected), "DNS rate \(rate), Orr-Sommerfeld \(expected)")
}

@Test func kineticEnergyBudgetCloses() throws {
    // dE/dt = P - epsilon for a perturbed laminar flow; dE/dt by a centred difference over two steps.
    let c = ChannelConfiguration(nx: 16, ny: 33, nz: 16, lx: 2 * .pi, lz: .pi, viscosity: 1.0 / 100,
                                 driving: .pressureGradient(1), timeStep: 2e-4)
    let flow = try ChannelFlow(configuration: c, rigor: .estimate)
    flow.setMeanFlow(flow.y.map { 5 * (1 - $0 * $0) })   // below the laminar 50 (1 - y^2): the flow accelerates
    flow.addRandomPerturbation(amplitude: 1, seed: 3)
    for _ in 0..<5 { flow.advance() }
    let before = flow.energyBudget().energy
    flow.advance()
    let now = flow.energyBudget()
    flow.advance()
    let after = flow.energyBudget().energy
    let rate = (after - before) / (2 * c.timeStep)
    let balance = now.power - now.dissipation
    print("energy budget: dE/dt \(rate), P - epsilon \(balance), epsilon \(now.dissipation)")
    #expect(abs(rate - balance) < 1e-4 * now.dissipation,
            "dE/dt \(rate) vs P - epsilon = \(now.power) - \(now.dissipation) = \(balance)")
}

@Test func restartFromACheckpointIsBitExact() throws {
    func make() throws -> ChannelFlow {
        let flow = try poiseuilleFlow(nx: 16, nz: 16, ny: 33, dt: 0.002, courant: 1.0)
        flow.addRandomPerturbation(amplitude: 2, seed: 11)
        return flow
    }
    let reference = try make()
    for _ in 0..<6 { reference.advance() }
    let point = reference.checkpoint()
    for _ in 0..<6 { reference.advance() }
    let restarted = try make()
    try restarted.restore(point)
    for _ in 0..<6 { restarted.advance() }
    #expect(restarted.step == reference.step && restarted.time == reference.time && restarted.timeStep == reference.timeStep)
    #expect(restarted.checkpoint() == reference.checkpoint())
}

@Test func twoWorkerThreadsGiveTheOneThreadState() throws {
    func run(threads: Int) throws -> ChannelFlow {
        let c = ChannelConfiguration(nx: 16, ny: 33, nz: 24, lx: 4 * .pi, lz: 4 * .pi / 3, viscosity: 1.0 / 180,
                                     driving: .pressureGradient(1), timeStep: 0.002, courant: 1.0)
        let flow = try ChannelFlow(configuration: c, rigor: .estimate, threads: threads)
        flow.setMeanFlow(flow.laminarProfile())
        flow.addRandomPerturbation(amplitude: 2, seed: 5)
        for _ in 0..<8 { flow.advance() }
        return flow
    }
    let one = try run(threads: 1), two = try run(threads: 2), three = try run(threads: 3)
    for other in [two, three] {
        #expect(other.time == one.time && other.courantRate == one.courantRate)
        var worst = 0.0, scale = 0.0
        for i in 0..<one.v.count {
            worst = max(worst, (other.v[i] - one.v[i]).length, (other.omega[i] - one.omega[i]).length)
            scale = max(scale, one.v[i].length, one.omega[i].length)
        }
        #expect(scale > 0 && worst <= 1e-12 * scale, "threads \(other.threads): max difference \(worst) of \(scale)")
        #expect(zip(other.meanU, one.meanU).allSatisfy { abs($0 - $1) <= 1e-12 * 20 })
    }
}

@Test func pressureOfATollmienSchlichtingWaveMatchesLinearTheory() throws {
    // Linearised x-momentum with continuity (u = i v' / alpha):
    // p = [(U - c) v' - U' v + (i nu / alpha)(D^2 - alpha^2) v'] / (i alpha), U = 1 - y^2.
    let n = 48
    let (flow, mode) = try tollmienSchlichtingFlow(intervals: n)
    for _ in 0..<50 { flow.advance() }
    let pressure = flow.pressureSpectrum()
    let v = (0...n).map { flow.v[$0 * flow.pairs + 1] }
    let d = Chebyshev.differentiationMatrix(n)
    func derivative(_ f: [Complex<Double>]) -> [Complex<Double>] {
        (0...n).map { i in (0...n).reduce(Complex<Double>.zero) { $0 + d[i * (n + 1) + $1] * f[$1] } }
    }
    let dv = derivative(v), d3v = derivative(derivative(dv))
    var worst = 0.0, nearWall = 0.0, scale = 0.0
    for j in 0...n {
        let y = flow.y[j]
        let viscous = Complex<Double>(0, 1.0 / 7500) * (d3v[j] - dv[j])
        let numerator = (Complex(1 - y * y) - mode.c) * dv[j] - Complex(-2 * y) * v[j] + viscous
        let expected = numerator / Complex(0, 1)
        let error = (pressure[j * flow.pairs + 1] - expected).length
        if abs(y) <= 0.9 { worst = max(worst, error) } else { nearWall = max(nearWall, error) }
        scale = max(scale, expected.length)
    }
    // The formula needs v''' at the walls, which amplifies the highest Chebyshev coefficients: it is itself only
    // good to about 1e-3 there (it differs by as much between the DNS v and the Orr-Sommerfeld eigenvector).
    #expect(worst < 1e-4 * scale, "pressure error \(worst / scale) relative for |y| <= 0.9")
    #expect(nearWall < 1e-2 * scale, "pressure error \(nearWall / scale) relative near the walls")
}
