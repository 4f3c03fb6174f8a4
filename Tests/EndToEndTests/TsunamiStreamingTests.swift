import Clients
import Foundation
import SluiceModel
import Testing
import TestSupport

/// `sluice solve` of a tsunami case as a separate process, streaming triangle-mesh samples with UM2N fields through
/// a real `sluice serve` over tcp://127.0.0.1 to a trainer.
@Suite("tsunami mesh samples end to end")
struct TsunamiStreamingTests {
    @Test("a tsunami member streams moving-mesh UM2N samples through a server")
    func streamsMeshSamples() throws {
        let cluster = try SluiceCluster()
        let path = cluster.directory.path("tsunami.yaml")
        try """
            solver: tsunami
            name: e2e-tsunami
            parameters: {amplitude: 2.0, width: 15000.0}
            mesh: {nx: 12, ny: 6, length_x: 200000.0, length_y: 100000.0}
            bathymetry:
              profile: {basin_depth: 4000.0, shelf_depth: 200.0, slope_start: 100000.0, slope_end: 140000.0,
                        coast_start: 170000.0, beach_slope: 0.01}
            source: gaussian
            gauges: [{name: deep, x: 90000.0, y: 50000.0}]
            movement: {every: 5}
            time: {dt: 20.0, steps: 10}
            output: {every: {steps: 5}, um2n: true, dtype: f64}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let solve = try ChildProcess(sluiceBinary(), ["solve", path, "--member", "3", "--server", cluster.solver,
                                                      "--set", "amplitude=1.5", "--quiet"],
                                     name: "solve-tsunami", directory: cluster.directory)
        #expect(solve.wait(seconds: 120) == 0, "\(solve.output)\n\(cluster.server.output)")

        let trainer = try TrainerClient(.init(endpoint: cluster.consumer, group: "um2n", batchSize: 1))
        defer { trainer.close() }
        var steps: [UInt64] = []
        let vertexCount = 13 * 7, triangleCount = 2 * 12 * 6
        while steps.count < 3, let batch = try trainer.next(timeout: .seconds(10)) {
            let entry = try #require(batch.entries.first)
            #expect(entry.member == 3)
            #expect(batch.parameter("amplitude", sample: 0) == 1.5)
            #expect(batch.header.geometry == .triangleMesh)
            let vertices = try batch.field("vertices", as: Double.self)
            let triangles = try batch.field("triangles", as: Int32.self)
            let target = try batch.field("um2n_y", as: Double.self)
            let input = try batch.field("um2n_x", as: Double.self)
            let mask = try batch.field("um2n_bd_mask", as: UInt8.self)
            let grid = try batch.field("um2n_grid_monitor", as: Double.self)
            let depth = try batch.field("depth", as: Double.self)
            #expect(vertices.count == 2 * vertexCount && triangles.count == 3 * triangleCount)
            #expect(triangles.allSatisfy { (0..<Int32(vertexCount)).contains($0) })
            // Samples fall on adaptation steps, so the mesh is the Monge-Ampere target, moved away from the input.
            #expect(target == vertices)
            #expect(zip(input, target).contains { abs($0 - $1) > 1 })
            #expect(mask.reduce(0) { $0 + Int($1) } == 2 * (12 + 6))
            #expect(grid.count == 400 && grid.allSatisfy { $0 >= 1 - 1e-9 })
            #expect(depth.allSatisfy { $0 >= 0 } && depth.count == triangleCount)
            steps.append(entry.step)
        }
        #expect(Set(steps) == [0, 5, 10])
        let final = try cluster.stop()
        #expect(final.int("totals.samples_in") == 3, "\(final)")
    }
}
