import Foundation
import SluiceModel
import SolverKit
import SolverRuntime
import Testing

/// A simulation whose state goes NaN at a chosen step, or whose snapshot does while the state stays finite.
final class PoisonedSimulation: Simulation {
    var step: UInt64 = 0
    var time: Double { Double(step) * 0.5 }
    let timeStep = 0.5
    let poisonStateAt: UInt64?
    let poisonSnapshotAt: UInt64?
    var values: [Float] = [1, 2, 3, 4]

    init(poisonStateAt: UInt64? = nil, poisonSnapshotAt: UInt64? = nil) {
        self.poisonStateAt = poisonStateAt
        self.poisonSnapshotAt = poisonSnapshotAt
    }

    func advance() throws { step += 1 }
    var snapshotLayout: SnapshotLayout {
        SnapshotLayout(geometry: .uniformGrid, spatialDims: 1, bounds: [AxisBounds(lower: 0, upper: 1)],
                       fields: [FieldDescriptor(name: "good", dtype: .float32, shape: [4]),
                                FieldDescriptor(name: "pressure", dtype: .float32, shape: [4])])
    }
    var parameters: [Parameter] { [] }
    func withSnapshotFields<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        var bad = values
        if step == poisonSnapshotAt { bad[2] = .infinity }
        return try values.withUnsafeBytes { a in try bad.withUnsafeBytes { b in try body([a, b]) } }
    }
    func nonFiniteStateField() -> String? { step >= (poisonStateAt ?? .max) ? "velocity" : nil }
    var cost: SimulationCost { SimulationCost(flopsPerStep: 1, stateBytes: 16, expectedFlopsPerSecond: 1, summary: "test") }
}

@Suite("NaN and Inf")
struct NonFiniteTests {
    func setup(_ simulation: PoisonedSimulation) throws -> MemberSetup {
        MemberSetup(solver: "test", caseName: "poison", simulation: simulation,
                    schedules: [try OutputSchedule(.iterations(1))], includeInitial: true, plannedSteps: 20, details: [])
    }

    @Test("a state that goes NaN stops the run with an error naming member, step and field")
    func stateGoesNaN() throws {
        let sink = CollectingSink()
        do {
            _ = try MemberRunner(setup: try setup(PoisonedSimulation(poisonStateAt: 7)), options: RunOptions(member: 12)).run(into: sink)
            Issue.record("the run finished")
        } catch let error as SolverRuntimeError {
            #expect(error.isNonFinite)
            #expect(error.description == "member 12 produced NaN or Inf at step 7 (t = 3.5) in field 'velocity'; stopping")
        }
        #expect(sink.samples.map(\.header.step) == Array(0...6))
        #expect(!sink.finished)
    }

    @Test("a snapshot field holding Inf is not written, and the error names that field")
    func snapshotHoldsInf() throws {
        let sink = CollectingSink()
        do {
            _ = try MemberRunner(setup: try setup(PoisonedSimulation(poisonSnapshotAt: 3)), options: RunOptions(member: 1)).run(into: sink)
            Issue.record("the run finished")
        } catch let error as SolverRuntimeError {
            #expect("\(error)".contains("step 3"))
            #expect("\(error)".contains("'pressure'"))
        }
        #expect(sink.samples.count == 3)
    }
}
