import Foundation
import Meshes
import MeshMovement
@testable import ShallowWater
import Testing

@Suite("ShallowWater: ALE on Monge-Ampere-moved meshes")
struct MovingMeshTests {
    @Test("moving a lake at rest with the ring monitor keeps it at rest and conserves mass to round-off, wet and with islands",
          arguments: [0.6, 0.3])
    func lakeAtRestOnMovingMesh(level: Double) throws {
        let s = try solver(cells: 16, bed: ShallowWaterTests.bumps, surface: { _ in level })
        #expect((level < 0.35) == s.h.contains(0))
        let m0 = s.mass
        let mover = MongeAmpereMover(mesh: s.mesh)
        // Move towards rings of growing radius, stepping in between.
        for (round, r2) in [0.02, 0.05, 0.09].enumerated() {
            mover.move(monitor: Monitors.ring(radiusSquared: r2, amplitude: 10, sharpness: 50))
            let report = try s.moveMesh(to: mover.physical)
            #expect(report.substeps >= 1)
            for _ in 0..<20 { s.advance(by: 0.002) }
            #expect(abs(s.mass - m0) / m0 < 1e-13, "round \(round)")
        }
        #expect(MeshQuality.summary(s.mesh).invertedCount == 0)
        for k in s.h.indices where s.h[k] > 0 { #expect(abs(s.h[k] + s.bed[k] - level) < 1e-12) }
        #expect(s.hu.map(abs).max() ?? 0 < 1e-12)
    }

    @Test("a move that would tangle is refused before anything changes")
    func tangledMoveRefused() throws {
        let s = try solver(cells: 4, bed: { _ in -1 }, surface: { 0.1 * $0.x })
        let before = (s.mesh.vertices, s.h, s.mass)
        var target = s.mesh.vertices
        target[6] = SIMD2(0.9, 0.9)  // an interior vertex pushed past its neighbours
        #expect(throws: ShallowWaterError.self) { try s.moveMesh(to: target) }
        #expect(s.mesh.vertices == before.0 && s.h == before.1 && s.mass == before.2)
    }

    @Test("a Gaussian hump on a solution-adapted moving mesh: mass conserved, depth non-negative, mesh untangled")
    func adaptiveHump() throws {
        let s = try solver(cells: 16, bed: { _ in -1 }, surface: { p in
            let d = p - SIMD2(0.5, 0.5)
            return 0.1 * exp(-80 * (d * d).sum())
        })
        let m0 = s.mass
        let driver = MovingMeshShallowWater(solver: s, every: 5)
        var adaptations: [MovingMeshShallowWater.Adaptation] = []
        for _ in 0..<20 {
            if let a = try driver.advance() { adaptations.append(a) }
            #expect(s.h.allSatisfy { $0 >= 0 })
        }
        #expect(adaptations.count == 4)
        #expect(abs(s.mass - m0) / m0 < 1e-13)
        #expect(MeshQuality.summary(s.mesh).invertedCount == 0)
        let last = try #require(adaptations.last)
        #expect(last.movement.tangledCount == 0)
        #expect(last.gridMonitor.count == 400 && last.gridMonitor.allSatisfy { $0 >= 1 - 1e-12 })
        #expect(last.features.monitor.max() ?? 0 > 1.5)
        // The mesh really moved.
        let moved = zip(s.mesh.vertices, try TriangleMesh.rectangle(nx: 16, ny: 16).vertices).map { ($0 - $1).max() }.max() ?? 0
        #expect(moved > 1e-3)
    }
}
