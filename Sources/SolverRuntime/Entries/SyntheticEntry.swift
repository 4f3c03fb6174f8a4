import Foundation
import SluiceConfig
import SluiceModel
import SolverKit

/// `solver: synthetic`: a stand-in solver for studies, demos and fault-tolerance tests. Each step takes
/// `compute_ms` of wall time and writes one float32 field whose values encode member, step and position
/// (`SyntheticPattern`), so every element a consumer receives can be checked. It can fail or hang once, on
/// purpose, to exercise relaunching: the first attempt that reaches `fail_at_step` (or `hang_at_step`) creates the
/// marker file and fails (or hangs); later attempts find the marker and run through.
public struct SyntheticCase: Codable, Sendable {
    public struct Parameters: Codable, Sendable {
        /// A study parameter carried in every header (and scaled into nothing: the values stay checkable).
        public var amplitude: Double = 1
        /// Steps to run (one snapshot per step, plus the initial one).
        public var steps: Int = 20
        /// Wall-clock milliseconds each step takes.
        public var computeMs: Double = 0
        /// Fail (exit non-zero) at this step, once; -1: never.
        public var failAtStep: Int = -1
        /// Hang at this step, once; -1: never.
        public var hangAtStep: Int = -1
    }

    public var solver: String
    public var name: String
    public var description: String?
    public var parameters: Parameters
    /// Shape of the one field.
    public var shape: [Int]
    /// Marker file for the fail/hang-once behaviour (`{member}` is replaced by the member index).
    public var marker: String?
}

final class SyntheticSimulation: Simulation {
    let spec: SyntheticCase
    let member: UInt64
    private(set) var step: UInt64 = 0
    private(set) var time: Double = 0
    let timeStep = 0.01
    private var values: [Float]

    init(spec: SyntheticCase, member: UInt64) {
        self.spec = spec
        self.member = member
        values = [Float](repeating: 0, count: spec.shape.reduce(1, *))
    }

    var snapshotLayout: SnapshotLayout {
        SnapshotLayout(geometry: .uniformGrid, spatialDims: spec.shape.count,
                       bounds: Array(repeating: AxisBounds(lower: 0, upper: 1), count: spec.shape.count),
                       fields: [FieldDescriptor(name: "value", dtype: .float32, shape: spec.shape)])
    }

    var parameters: [Parameter] { [Parameter("amplitude", spec.parameters.amplitude)] }

    /// Whether this attempt is the one that misbehaves. Without a marker file, every attempt does; with one, only
    /// the attempt that creates it (O_EXCL), so a relaunch runs through.
    private func claimsMarker() -> Bool {
        guard let marker = spec.marker?.replacingOccurrences(of: "{member}", with: "\(member)") else { return true }
        let fd = open(marker, O_CREAT | O_EXCL | O_WRONLY, 0o644)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    func advance() throws {
        if spec.parameters.computeMs > 0 { Thread.sleep(forTimeInterval: spec.parameters.computeMs / 1000) }
        step += 1
        time += timeStep
        if Int(step) == spec.parameters.failAtStep, claimsMarker() {
            throw SolverRuntimeError.badOverride("synthetic member \(member) fails at step \(step) on purpose (fail_at_step)")
        }
        if Int(step) == spec.parameters.hangAtStep, claimsMarker() {
            while true { Thread.sleep(forTimeInterval: 1) }  // hangs on purpose (hang_at_step): only a kill ends it
        }
    }

    func withSnapshotFields<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        for i in values.indices { values[i] = SyntheticPattern.value(member: member, step: step, index: i) }
        return try values.withUnsafeBytes { try body([$0]) }
    }

    func nonFiniteStateField() -> String? { nil }

    var cost: SimulationCost {
        SimulationCost(flopsPerStep: Double(values.count), stateBytes: values.count * 4, expectedFlopsPerSecond: 1e9,
                       summary: "fill \(values.count) values, wait \(spec.parameters.computeMs) ms")
    }
}

extension SolverEntry {
    /// `solver: synthetic` (solvers/synthetic/).
    public static let synthetic = SolverEntry(
        name: "synthetic", summary: "synthetic checkable fields with a configurable step time; fails or hangs once on request"
    ) { path, request in
        var spec = try ConfigFile.load(SyntheticCase.self, from: path)
        spec.parameters = try request.overrides.apply(to: spec.parameters)
        guard !spec.shape.isEmpty, spec.shape.allSatisfy({ $0 > 0 }), spec.shape.reduce(1, *) <= 1 << 26 else {
            throw SolverRuntimeError.badOverride("synthetic case \(path): shape \(spec.shape) must be 1 to 2^26 positive values")
        }
        guard spec.parameters.steps >= 0 else {
            throw SolverRuntimeError.badOverride("synthetic case \(path): steps \(spec.parameters.steps) must not be negative")
        }
        let simulation = SyntheticSimulation(spec: spec, member: request.member)
        return MemberSetup(solver: "synthetic", caseName: spec.name, simulation: simulation,
                           schedules: [try OutputSchedule(.iterations(1))], includeInitial: true,
                           plannedSteps: UInt64(spec.parameters.steps),
                           details: [("field", "value f32 \(spec.shape)"), ("step time", "\(spec.parameters.computeMs) ms")])
    }
}
