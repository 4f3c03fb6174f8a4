import Foundation
import HDF5
import Meshes
import ShallowWater
import SluiceModel
import SolverRuntime
import TestSupport
import Testing

/// A structured `nx x ny` mesh of `[0, lx] x [0, ly]` written as Gmsh 4.1 ASCII: one surface, four boundary curves
/// in physical groups `open` (west), `coast` (east) and `wall` (south, north).
func gmshRectangle(nx: Int, ny: Int, lx: Double, ly: Double) -> String {
    func node(_ i: Int, _ j: Int) -> Int { j * (nx + 1) + i + 1 }
    var lines = ["$MeshFormat", "4.1 0 8", "$EndMeshFormat", "$PhysicalNames", "3",
                 "1 1 \"open\"", "1 2 \"coast\"", "1 3 \"wall\"", "$EndPhysicalNames", "$Entities", "0 4 1 0"]
    for (tag, phys) in [(1, 3), (2, 2), (3, 3), (4, 1)] {
        lines.append("\(tag) 0 0 0 \(lx) \(ly) 0 1 \(phys) 0")
    }
    lines += ["1 0 0 0 \(lx) \(ly) 0 0 0", "$EndEntities", "$Nodes"]
    let count = (nx + 1) * (ny + 1)
    lines += ["1 \(count) 1 \(count)", "2 1 0 \(count)"]
    lines += (1...count).map(String.init)
    for j in 0...ny { for i in 0...nx { lines.append("\(lx * Double(i) / Double(nx)) \(ly * Double(j) / Double(ny)) 0") } }
    lines.append("$EndNodes")
    var blocks: [[String]] = []
    var tag = 0
    func element(_ nodes: [Int]) -> String { tag += 1; return ([tag] + nodes).map(String.init).joined(separator: " ") }
    blocks.append(["1 1 1 \(nx)"] + (0..<nx).map { element([node($0, 0), node($0 + 1, 0)]) })
    blocks.append(["1 2 1 \(ny)"] + (0..<ny).map { element([node(nx, $0), node(nx, $0 + 1)]) })
    blocks.append(["1 3 1 \(nx)"] + (0..<nx).map { element([node($0 + 1, ny), node($0, ny)]) })
    blocks.append(["1 4 1 \(ny)"] + (0..<ny).map { element([node(0, $0 + 1), node(0, $0)]) })
    var tris: [String] = []
    for j in 0..<ny {
        for i in 0..<nx {
            tris.append(element([node(i, j), node(i + 1, j), node(i + 1, j + 1)]))
            tris.append(element([node(i, j), node(i + 1, j + 1), node(i, j + 1)]))
        }
    }
    blocks.append(["2 1 2 \(tris.count)"] + tris)
    lines += ["$Elements", "5 \(tag) 1 \(tag)"] + blocks.flatMap { $0 } + ["$EndElements"]
    return lines.joined(separator: "\n") + "\n"
}

@Suite("Solver registry: tsunami")
struct TsunamiEntryTests {
    @Test("the shipped tsunami case builds a triangle-mesh member with UM2N fields and 19 snapshots")
    func shippedCase() throws {
        let setup = try member(repositoryRoot() + "/solvers/tsunami/shelf.yaml", 0, ["amplitude=3"])
        #expect(setup.plannedSteps == 180)
        let layout = setup.simulation.snapshotLayout
        #expect(layout.geometry == .triangleMesh)
        #expect(layout.fields.filter { $0.role == .vertices }.count == 1 && layout.fields.filter { $0.role == .triangles }.count == 1)
        #expect(layout.fields.contains { $0.name == "um2n_y" })
        #expect(setup.simulation.parameters.first { $0.name == "amplitude" }?.value == 3)
        #expect(RunPlan(setup: setup, options: RunOptions(member: 0)).snapshots == 19)
    }

    @Test("the Okada case builds: a fixed-mesh member with the fault parameters in its header")
    func okadaCase() throws {
        let setup = try member(repositoryRoot() + "/solvers/tsunami/okada.yaml", 0, ["slip=8"])
        #expect(setup.plannedSteps == 180)
        #expect(setup.simulation.parameters.first { $0.name == "slip" }?.value == 8)
        #expect(!setup.simulation.snapshotLayout.fields.contains { $0.name.hasPrefix("um2n") })
    }

    @Test("a Gmsh mesh file and HDF5 gridded bathymetry are read relative to the case file; missing files are named")
    func meshAndBathymetryFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try gmshRectangle(nx: 8, ny: 4, lx: 8000, ly: 4000).write(toFile: directory.path("basin.msh"), atomically: true, encoding: .utf8)
        // z = -100 + 0.01 x + 0.002 y on a 5 x 3 grid over the domain: bilinear and the midpoint rule are exact.
        let xs = (0..<5).map { 2000.0 * Double($0) }, ys = (0..<3).map { 2000.0 * Double($0) }
        let file = try File(creating: directory.path("bed.h5"))
        let data = try file.createDataset("bathymetry/z", of: Double.self, shape: [3, 5])
        try data.write(ys.flatMap { y in xs.map { -100 + 0.01 * $0 + 0.002 * y } })
        try file.close()
        let path = directory.path("case.yaml")
        try """
            solver: tsunami
            name: files
            parameters: {source_x: 4000.0, source_y: 2000.0, amplitude: 0.5, width: 1000.0}
            mesh: {file: basin.msh}
            bathymetry: {file: bed.h5, dataset: bathymetry/z, lower_x: 0.0, lower_y: 0.0, upper_x: 8000.0, upper_y: 4000.0}
            source: gaussian
            gauges: [{name: g, x: 6000.0, y: 2000.0}]
            time: {dt: 5.0, steps: 4}
            output: {every: {steps: 2}, dtype: f64}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let setup = try member(path, 0)
        let simulation = try #require(setup.simulation as? TsunamiSimulation)
        let solver = simulation.solver
        #expect(solver.mesh.triangleCount == 64)
        #expect(solver.mesh.boundary.filter { $0.tag == .open }.count == 4)
        #expect(solver.mesh.boundary.filter { $0.tag == .coast }.count == 4)
        for k in solver.bed.indices {
            let c = solver.geometry.centroid[k]
            #expect(abs(solver.bed[k] - (-100 + 0.01 * c.x + 0.002 * c.y)) < 1e-9)
        }
        let sink = CollectingSink()
        _ = try MemberRunner(setup: setup, options: RunOptions(member: 0)).run(into: sink)
        #expect(sink.samples.count == 3)

        try FileManager.default.removeItem(atPath: directory.path("bed.h5"))
        #expect { _ = try member(path, 0) } throws: { "\($0)".contains("bed.h5") }
        try "$MeshFormat\n4.1 0 8\n$EndMeshFormat\n$Nodes\n1 3 1 3\n".write(toFile: directory.path("basin.msh"), atomically: true, encoding: .utf8)
        #expect { _ = try member(path, 0) } throws: { "\($0)".contains("basin.msh") && "\($0)".contains("mesh.file") }
    }
}
