import Foundation
import SluiceModel
import SolverKit
import SolverRuntime
import TestSupport
import Testing

@Suite("Member run loop")
struct MemberRunnerTests {
    @Test("writes the initial state, every scheduled step and the last step (flagged final), with full headers")
    func schedule() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let setup = try member(try writeNS2DCase(in: directory, steps: 10), 2)
        let sink = CollectingSink()
        let summary = try MemberRunner(setup: setup, options: RunOptions(member: 2, attempt: 1)).run(into: sink)
        #expect(sink.samples.map(\.header.step) == [0, 4, 8, 10])
        #expect(sink.samples.map { $0.header.flags.contains(.final) } == [false, false, false, true])
        #expect(sink.finished)
        #expect(summary.steps == 10 && summary.snapshotsWritten == 4)
        let last = try #require(sink.samples.last?.header)
        #expect(last.member == 2 && last.attempt == 1)
        #expect(abs(last.time - 0.01) < 1e-15)
        #expect(last.geometry == .uniformGrid && last.spatialDims == 2)
        #expect(last.bounds == [AxisBounds(lower: 0, upper: 1), AxisBounds(lower: 0, upper: 1)])
        #expect(last.fields.map(\.name) == ["vorticity", "velocity_x"])
        #expect(last.fields.allSatisfy { $0.dtype == .float64 && $0.shape == [16, 16] })
        #expect(last.parameter(named: "viscosity") == 1e-2)
        #expect(last.parameter(named: "seed") == 102)  // case seed 100 + member 2
        #expect(sink.samples.allSatisfy { $0.fields.map(\.count) == [16 * 16 * 8, 16 * 16 * 8] })
    }

    @Test("the dry-run plan counts the snapshots the run writes", arguments: ["steps: 3", "simulation_time: 0.004", "steps: 20"])
    func planMatchesRun(every: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writeNS2DCase(in: directory, every: every, steps: 10)
        let plan = RunPlan(setup: try member(path, 0), options: RunOptions(member: 0))
        let sink = CollectingSink()
        _ = try MemberRunner(setup: try member(path, 0), options: RunOptions(member: 0)).run(into: sink)
        #expect(plan.snapshots == sink.samples.count)
        #expect(plan.text.contains("member 0"))
        #expect(plan.text.contains("MFLOP"))
    }

    @Test("members are reproducible bit for bit and distinct from each other; --set seed is used as given")
    func memberDraws() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writeNS2DCase(in: directory, steps: 0)
        func initial(_ k: UInt64, _ overrides: [String] = []) throws -> (seed: Double?, values: [UInt8]) {
            let sink = CollectingSink()
            _ = try MemberRunner(setup: try member(path, k, overrides), options: RunOptions(member: k)).run(into: sink)
            let sample = try #require(sink.samples.first)
            return (sample.header.parameter(named: "seed"), sample.fields[0])
        }
        let a = try initial(3), b = try initial(3), c = try initial(4)
        #expect(a.values == b.values)
        #expect(a.values != c.values)
        #expect(a.seed == 103 && c.seed == 104)
        let explicit = try initial(4, ["seed=103"])
        #expect(explicit.seed == 103)
        #expect(explicit.values == a.values)
    }

    @Test("steps the sink already holds are computed but not written; the rest match a full run byte for byte")
    func skipsAcceptedSteps() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writeNS2DCase(in: directory, steps: 10)
        let full = CollectingSink(), resumed = CollectingSink()
        _ = try MemberRunner(setup: try member(path, 1), options: RunOptions(member: 1)).run(into: full)
        let summary = try MemberRunner(setup: try member(path, 1), options: RunOptions(member: 1, skipSteps: [0, 4])).run(into: resumed)
        #expect(resumed.samples.map(\.header.step) == [8, 10])
        #expect(summary.snapshotsSkipped == 2)
        #expect(resumed.samples.map(\.fields) == Array(full.samples.suffix(2)).map(\.fields))
    }

    @Test("--steps stops early and flags that step final")
    func stepLimit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = CollectingSink()
        _ = try MemberRunner(setup: try member(try writeNS2DCase(in: directory, steps: 10), 0),
                             options: RunOptions(member: 0, stepLimit: 6)).run(into: sink)
        #expect(sink.samples.map(\.header.step) == [0, 4, 6])
        #expect(sink.samples.last?.header.flags.contains(.final) == true)
    }

    @Test("a wall-clock schedule fires on the injected clock")
    func wallClock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let setup = try member(try writeNS2DCase(in: directory, every: "wall_seconds: 2.5", steps: 10), 0)
        var now = 0.0
        let sink = CollectingSink()
        // Each clock read advances one second: the loop reads it at the start (t = 1) and once per step (step k
        // reads k + 1), so 2.5 s have passed at steps 3, 6 and 9; step 10 is the last.
        _ = try MemberRunner(setup: setup, options: RunOptions(member: 0), clock: { now += 1; return now }).run(into: sink)
        #expect(sink.samples.map(\.header.step) == [0, 3, 6, 9, 10])
    }

    @Test("an advection member conserves mass across its published snapshots")
    func advectionMember() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let setup = try member(try writeAdvectionCase(in: directory), 0, ["swirl_period=0.5"])
        let sink = CollectingSink()
        _ = try MemberRunner(setup: setup, options: RunOptions(member: 0)).run(into: sink)
        #expect(sink.samples.count == 6)  // t = 0, 0.1, ..., 0.5
        #expect(sink.samples.allSatisfy { $0.header.fields == [FieldDescriptor(name: "tracer", dtype: .float32, shape: [32, 32])] })
        let masses = sink.samples.map { sample in
            sample.fields[0].withUnsafeBytes { raw in (0..<1024).reduce(0.0) { $0 + Double(raw.loadUnaligned(fromByteOffset: 4 * $1, as: Float.self)) } }
        }
        // f32 snapshots: the sums agree to single-precision rounding of 1024 values.
        #expect(masses.allSatisfy { abs($0 - masses[0]) < 1e-4 * masses[0] })
        #expect(sink.samples.last?.header.parameter(named: "swirl_period") == 0.5)
    }
}
