import Foundation
import HDF5
import SluiceModel
import SolverRuntime
import TestSupport
import Testing

@Suite("Solver registry and case files")
struct RegistryTests {
    @Test("every shipped case file builds a member (strict keys, valid values)", arguments: [
        "solvers/ns2d/fno.yaml", "solvers/ns2d/kolmogorov.yaml", "solvers/advection/swirl.yaml",
        "solvers/advection/rotation.yaml", "solvers/advection/translation-spectral.yaml",
        "solvers/channel/test.yaml", "solvers/channel/minimal.yaml",
    ])
    func shippedCases(path: String) throws {
        let setup = try member(repositoryRoot() + "/" + path, 0)
        #expect(setup.plannedSteps > 0)
        #expect(!setup.simulation.snapshotLayout.fields.isEmpty)
        #expect(RunPlan(setup: setup, options: RunOptions(member: 0)).snapshots ?? 0 > 1)
    }

    @Test("the FNO case runs FNO's recipe: 256^2, dt 1e-4, 500000 steps to t = 50, 51 snapshots of 64^2")
    func fnoRecipe() throws {
        let setup = try member(repositoryRoot() + "/solvers/ns2d/fno.yaml", 0, ["viscosity=1e-4"])
        #expect(setup.simulation.timeStep == 1e-4)
        #expect(setup.plannedSteps == 500_000)
        #expect(setup.simulation.snapshotLayout.fields == [FieldDescriptor(name: "vorticity", dtype: .float32, shape: [64, 64])])
        #expect(setup.simulation.parameters.first { $0.name == "viscosity" }?.value == 1e-4)
        #expect(RunPlan(setup: setup, options: RunOptions(member: 0)).snapshots == 51)
    }

    @Test("an unknown or missing solver name is refused with the known ones listed")
    func unknownSolver() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("bad.yaml")
        try "solver: lattice-boltzmann\nname: x\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try member(path, 0)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("solver 'lattice-boltzmann'"))
            #expect("\(error)".contains("ns2d, advection"))
        }
    }

    @Test("a misspelt key in a case file is an error naming the key")
    func unknownKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writeNS2DCase(in: directory, extra: "forcng: none")
        do {
            _ = try member(path, 0)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("forcng"))
        }
    }

    @Test("overrides name unknown parameters and refuse values of the wrong type")
    func overrides() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writeNS2DCase(in: directory)
        #expect(throws: SolverRuntimeError.self) { try ParameterOverrides(["viscosity"]) }
        #expect(throws: SolverRuntimeError.self) { try ParameterOverrides(["viscosity=fast"]) }
        do {
            _ = try member(path, 0, ["nu=1"])
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("no parameter 'nu'"))
            #expect("\(error)".contains("viscosity"))
        }
        do {
            _ = try member(path, 0, ["seed=2.5"])
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("seed=2.5"))
        }
        let later = try member(path, 0, ["viscosity=0.5", "viscosity=0.25"])
        #expect(later.simulation.parameters.first { $0.name == "viscosity" }?.value == 0.25)
    }

    @Test("a 'file' initial condition reads a slice of an HDF5 dataset, and the wrong shape is refused")
    func fileInitialCondition() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let values = (0..<(3 * 16 * 16)).map { Double($0 % 37) * 0.01 - 0.18 }
        let file = try File(creating: directory.path("snapshots.h5"))
        let dataset = try file.createDataset("fields/omega", of: Double.self, shape: [3, 16, 16])
        try dataset.write(values)
        let small = try file.createDataset("small", of: Double.self, shape: [8, 8])
        try small.write(Array(repeating: 0.0, count: 64))
        try file.close()
        let path = try writeNS2DCase(in: directory, initial: "file\n  path: snapshots.h5\n  dataset: fields/omega\n  index: 2", steps: 0)
        let sink = CollectingSink()
        _ = try MemberRunner(setup: try member(path, 0), options: RunOptions(member: 0)).run(into: sink)
        let first = try #require(sink.samples.first)
        let expected = Array(values[(2 * 256)..<(3 * 256)])
        #expect(zip(doubles(first.fields[0]), expected).allSatisfy { abs($0 - $1) < 1e-14 })

        let wrong = try writeNS2DCase(in: directory, name: "wrong.yaml", initial: "file\n  path: snapshots.h5\n  dataset: small", steps: 0)
        do {
            _ = try member(wrong, 0)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("[8, 8]"))
            #expect("\(error)".contains("[16, 16]"))
        }
    }
}
