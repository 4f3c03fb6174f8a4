import Foundation
import SolverKit
import Testing
@testable import Channel

@Test(.enabled(if: ProcessInfo.processInfo.environment["CHANNEL_DIAG"] != nil)) func diagnosticRun() throws {
    let c = ChannelConfiguration(nx: 48, ny: 65, nz: 48, lx: 2 * .pi, lz: .pi, viscosity: 1.0 / 180,
                                 driving: .pressureGradient(1), timeStep: 0.01, courant: 1.2)
    let flow = try ChannelFlow(configuration: c, rigor: .estimate)
    flow.setMeanFlow(flow.y.map { ChannelSimulation.reichardt(yPlus: (1 - abs($0)) * 180) })
    flow.addRandomPerturbation(amplitude: 4, seed: 0)
    for i in 0..<400 {
        flow.advance()
        if i % 20 == 0 { print(i, flow.time, flow.timeStep, flow.courantNumber, flow.fluctuationEnergy(), flow.bulkVelocity, flow.divergenceResidual()) }
    }
}
