/// A solver run that a run loop can drive: the contract between the solvers (pure: no sockets, no files) and
/// the daemon that publishes their snapshots (`SolverRuntime`), an HDF5 export, or a test.
///
/// Stepping is separate from output (as in Oceananigans): ``advance()`` only steps; the run loop asks its output
/// schedules whether a snapshot is due and, if so, calls ``withSnapshotFields(_:)`` and hands the bytes to a
/// ``SampleSink``.
///
/// **Determinism.** ``advance()`` is a function of the state, the step size and the member's parameters
/// (including its random seed) only: no clocks, no I/O, no global state. Running a member twice gives the same
/// bytes, which is what lets a relaunched member skip the snapshots a server already holds.
public protocol Simulation: AnyObject {
    /// Steps taken since the initial condition.
    var step: UInt64 { get }
    /// Simulated time of the current state.
    var time: Double { get }
    /// The size of the next step.
    var timeStep: Double { get }
    /// Advances the state by one step. Throws only for conditions the solver detects itself (a solver that goes
    /// non-finite is caught by the run loop through ``nonFiniteStateField()``).
    func advance() throws
    /// Geometry and field layout of every snapshot; fixed for the whole run.
    var snapshotLayout: SnapshotLayout { get }
    /// This member's parameter values, sent in every sample header.
    var parameters: [Parameter] { get }
    /// Computes the snapshot fields of the current state and calls `body` with their raw little-endian bytes, one
    /// buffer per field of ``snapshotLayout``, in order. The buffers are valid only during the call.
    func withSnapshotFields<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R
    /// The name of a state variable holding NaN or Inf, or nil when the whole state is finite.
    func nonFiniteStateField() -> String?
    /// Estimated work and memory, for dry-run plans.
    var cost: SimulationCost { get }
}

/// Where a simulation's snapshot fields live and what they are.
public struct SnapshotLayout: Sendable, Hashable {
    public var geometry: GeometryKind
    public var spatialDims: Int
    public var bounds: [AxisBounds]
    public var fields: [FieldDescriptor]

    public init(geometry: GeometryKind, spatialDims: Int, bounds: [AxisBounds], fields: [FieldDescriptor]) {
        self.geometry = geometry
        self.spatialDims = spatialDims
        self.bounds = bounds
        self.fields = fields
    }

    /// Bytes of one snapshot's field data.
    public var payloadBytes: Int { fields.reduce(0) { $0 + ($1.byteCount ?? 0) } }
}

/// A simulation's estimated cost per step.
public struct SimulationCost: Sendable, Hashable {
    /// Floating-point operations per step (FFTs counted as `2.5 N log2 N` for a real transform of `N` points).
    public var flopsPerStep: Double
    /// Bytes the solver holds (state, stage storage, plans' buffers).
    public var stateBytes: Int
    /// Sustained rate the flop count is expected to run at on one core, for a wall-time estimate.
    public var expectedFlopsPerSecond: Double
    /// A short description of the work per step, e.g. "5 real FFTs of 256x256 + 3 passes".
    public var summary: String

    public init(flopsPerStep: Double, stateBytes: Int, expectedFlopsPerSecond: Double, summary: String) {
        self.flopsPerStep = flopsPerStep
        self.stateBytes = stateBytes
        self.expectedFlopsPerSecond = expectedFlopsPerSecond
        self.summary = summary
    }

    /// Estimated seconds per step.
    public var secondsPerStep: Double { expectedFlopsPerSecond > 0 ? flopsPerStep / expectedFlopsPerSecond : 0 }
}
