import Foundation
import SluiceModel
import SolverKit

/// How to run a member.
public struct RunOptions {
    public var member: UInt64
    public var attempt: UInt32
    /// Stop after this many steps instead of the case's run length (`sluice solve --steps N`).
    public var stepLimit: UInt64?
    /// Steps whose snapshots the sink already holds (a relaunched member's server-accepted steps): they are
    /// computed again (the run is deterministic) but not written.
    public var skipSteps: Set<UInt64>
    /// Check the state for NaN/Inf every this many steps (1: every step; the check reads the state once, a few
    /// percent of a spectral step).
    public var finiteCheckInterval: UInt64
    public var progress: (any ProgressReporter)?

    public init(member: UInt64, attempt: UInt32 = 0, stepLimit: UInt64? = nil, skipSteps: Set<UInt64> = [],
                finiteCheckInterval: UInt64 = 1, progress: (any ProgressReporter)? = nil) {
        self.member = member
        self.attempt = attempt
        self.stepLimit = stepLimit
        self.skipSteps = skipSteps
        self.finiteCheckInterval = max(1, finiteCheckInterval)
        self.progress = progress
    }
}

/// What a run did.
public struct RunSummary: Sendable, Hashable {
    public var steps: UInt64
    public var time: Double
    public var snapshotsWritten: Int
    /// Snapshots not written because the sink already held them.
    public var snapshotsSkipped: Int
    public var bytesWritten: Int
    public var wallSeconds: Double

    public init(steps: UInt64, time: Double, snapshotsWritten: Int, snapshotsSkipped: Int, bytesWritten: Int,
                wallSeconds: Double) {
        self.steps = steps
        self.time = time
        self.snapshotsWritten = snapshotsWritten
        self.snapshotsSkipped = snapshotsSkipped
        self.bytesWritten = bytesWritten
        self.wallSeconds = wallSeconds
    }
}

/// The daemon loop, separate from stepping (Oceananigans' `run!`): step the simulation; after each step ask every
/// output schedule whether a snapshot is due; if one is, build the `SampleHeader`, take the fields, check them
/// for NaN/Inf and hand them to the sink. The last step's state is always written, with the `final` flag; the
/// initial state is written first when the case says so. Then `finish()` the sink.
///
/// A state or snapshot field that goes non-finite stops the run with ``SolverRuntimeError/nonFinite(member:step:time:field:)``
/// naming the member, the step and the field; the sink is not finished (a server sees the member end without
/// its final sample).
public final class MemberRunner {
    public let setup: MemberSetup
    public let options: RunOptions
    private let clock: () -> Double
    private var schedules: [OutputSchedule]
    private var summary = RunSummary(steps: 0, time: 0, snapshotsWritten: 0, snapshotsSkipped: 0, bytesWritten: 0, wallSeconds: 0)

    /// - Parameter clock: seconds from any fixed origin, for wall-clock schedules and progress (tests inject one).
    public init(setup: MemberSetup, options: RunOptions, clock: @escaping () -> Double = MemberRunner.monotonicSeconds) {
        self.setup = setup
        self.options = options
        self.clock = clock
        self.schedules = setup.schedules
    }

    /// Seconds on the monotonic clock.
    public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
    }

    /// The step the run ends at.
    public var lastStep: UInt64 { options.stepLimit.map { min($0, setup.plannedSteps) } ?? setup.plannedSteps }

    /// Runs the member to ``lastStep`` and finishes `sink`.
    public func run(into sink: any SampleSink) throws -> RunSummary {
        let simulation = setup.simulation
        let start = clock()
        let startStep = simulation.step
        let last = max(lastStep, startStep)
        for i in schedules.indices { schedules[i].start(step: simulation.step, time: simulation.time, wallClock: start) }
        try checkState()
        if setup.includeInitial || simulation.step == last {
            try writeSnapshot(to: sink, final: simulation.step == last)
        }
        while simulation.step < last {
            try simulation.advance()
            if simulation.step % options.finiteCheckInterval == 0 || simulation.step == last { try checkState() }
            let now = clock()
            var due = false
            for i in schedules.indices where schedules[i].isDue(step: simulation.step, time: simulation.time,
                                                                timeStep: simulation.timeStep, wallClock: now) {
                due = true
            }
            if due || simulation.step == last { try writeSnapshot(to: sink, final: simulation.step == last) }
            options.progress?.update(RunProgress(member: options.member, step: simulation.step, lastStep: last,
                                              startStep: startStep, time: simulation.time,
                                              endTime: simulation.time + Double(last - simulation.step) * simulation.timeStep,
                                              snapshots: summary.snapshotsWritten, elapsed: now - start))
        }
        try sink.finish()
        summary.steps = simulation.step
        summary.time = simulation.time
        summary.wallSeconds = clock() - start
        options.progress?.finish(summary, member: options.member)
        return summary
    }

    private func checkState() throws {
        let simulation = setup.simulation
        if let field = simulation.nonFiniteStateField() {
            throw SolverRuntimeError.nonFinite(member: options.member, step: simulation.step, time: simulation.time, field: field)
        }
    }

    private func writeSnapshot(to sink: any SampleSink, final: Bool) throws {
        let simulation = setup.simulation
        guard !options.skipSteps.contains(simulation.step) else {
            summary.snapshotsSkipped += 1
            return
        }
        let layout = simulation.snapshotLayout
        let header = SampleHeader(member: options.member, attempt: options.attempt, step: simulation.step,
                                  time: simulation.time, flags: final ? .final : [], geometry: layout.geometry,
                                  spatialDims: layout.spatialDims, bounds: layout.bounds,
                                  parameters: simulation.parameters, fields: layout.fields)
        try simulation.withSnapshotFields { buffers in
            for (descriptor, bytes) in zip(layout.fields, buffers) where !Self.isFinite(bytes, descriptor.dtype) {
                throw SolverRuntimeError.nonFinite(member: options.member, step: simulation.step, time: simulation.time,
                                                   field: descriptor.name)
            }
            try sink.write(header, fields: buffers)
            summary.bytesWritten += buffers.reduce(0) { $0 + $1.count }
        }
        summary.snapshotsWritten += 1
    }

    /// Whether every value of a raw field is finite (integer fields always are).
    static func isFinite(_ bytes: UnsafeRawBufferPointer, _ dtype: DType) -> Bool {
        switch dtype {
        case .float32:
            var sum: Float = 0
            for i in 0..<(bytes.count / 4) { sum += bytes.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) * 0 }
            return sum == 0
        case .float64:
            var sum = 0.0
            for i in 0..<(bytes.count / 8) { sum += bytes.loadUnaligned(fromByteOffset: 8 * i, as: Double.self) * 0 }
            return sum == 0
        case .int32, .int64, .uint8:
            return true
        }
    }
}

/// A sink that keeps nothing: standalone runs without a server (progress only).
public final class DiscardingSink: SampleSink {
    public private(set) var samples = 0
    public init() {}
    public func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws { samples += 1 }
    public func finish() throws {}
}
