import Foundation
import SluiceModel
import SolverKit
import Testing
@testable import Channel

private func smallCase(_ kind: ChannelCase.InitialCondition.Kind) -> ChannelCase {
    ChannelCase(name: "t", parameters: ChannelParameters(),
                grid: .init(nx: 16, ny: 33, nz: 16, lx: .pi, lz: 0.3 * .pi),
                time: .init(dt: 0.002, cfl: 1.0, steps: 10), initialCondition: .init(kind: kind),
                statistics: .init(every: 1),
                output: .init(every: ScheduleSpec(steps: 5), grid: .init(nx: 8, ny: 17, nz: 8),
                              fields: [.velocityX, .velocityY, .velocityZ], dtype: .float64))
}

@Test func snapshotsOfLaminarFlowAreThePoiseuilleProfileOnTheCoarseGrid() throws {
    let simulation = try ChannelSimulation(case: smallCase(.laminar), rigor: .estimate)
    let layout = simulation.snapshotLayout
    #expect(layout.fields.map(\.name) == ["x", "y", "z", "velocity_x", "velocity_y", "velocity_z"])
    #expect(layout.fields[3].shape == [8, 17, 8])
    try simulation.withSnapshotFields { buffers in
        let y = Array(buffers[1].bindMemory(to: Double.self))
        let u = Array(buffers[3].bindMemory(to: Double.self))
        let v = Array(buffers[4].bindMemory(to: Double.self))
        #expect(y.first == -1 && y.last == 1)
        var worst = 0.0
        for ix in 0..<8 { for j in 0..<17 { for iz in 0..<8 {
            worst = max(worst, abs(u[(ix * 17 + j) * 8 + iz] - 90 * (1 - y[j] * y[j])))
        } } }
        #expect(worst < 1e-11, "max |u - 90 (1 - y^2)| = \(worst)")
        #expect(v.allSatisfy { abs($0) < 1e-14 })
    }
}

@Test func statisticsOfLaminarFlowGiveReTauAndTheWallLaw() throws {
    let simulation = try ChannelSimulation(case: smallCase(.laminar), rigor: .estimate)
    for _ in 0..<3 { try simulation.advance() }
    let stats = simulation.statistics
    #expect(stats.samples == 3)
    #expect(abs(stats.reTau - 180) < 1e-9, "Re_tau \(stats.reTau)")
    let wall = stats.wallUnits()
    for (yp, up) in zip(wall.yPlus, wall.uPlus) {
        // U+ = y+ - y+^2 / 360 for laminar flow at Re_tau 180.
        #expect(abs(up - (yp - yp * yp / 360)) < 1e-9)
    }
    #expect(wall.uRms.allSatisfy { $0 == 0 })
}

@Test func turbulentStartIsSolenoidalAndFinite() throws {
    let simulation = try ChannelSimulation(case: smallCase(.turbulent), rigor: .estimate)
    for _ in 0..<5 { try simulation.advance() }
    #expect(simulation.nonFiniteStateField() == nil)
    #expect(simulation.flow.divergenceResidual() < 1e-12)
    #expect(simulation.flow.fluctuationEnergy() > 0.01)
}

@Test func oneDimensionalSpectraSumToTheVariances() throws {
    let simulation = try ChannelSimulation(case: smallCase(.turbulent), rigor: .estimate)
    for _ in 0..<4 { try simulation.advance() }
    let s = simulation.statistics
    let ny = s.y.count, mx = s.kx.count, mz = s.kz.count
    for j in 0..<ny {
        for (c, variance) in [s.sumUU, s.sumVV, s.sumWW].enumerated() {
            let sx = (0..<mx).reduce(0.0) { $0 + s.sumSpectraX[c][j * mx + $1] }
            let sz = (0..<mz).reduce(0.0) { $0 + s.sumSpectraZ[c][j * mz + $1] }
            #expect(abs(sx - variance[j]) <= 1e-12 * max(1, variance[j]))
            #expect(abs(sz - variance[j]) <= 1e-12 * max(1, variance[j]))
        }
    }
    #expect(s.sumUU[ny / 2] > 0 && s.sumVV[ny / 2] > 0 && s.sumWW[ny / 2] > 0)
}
