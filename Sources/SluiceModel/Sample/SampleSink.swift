/// Where a solver's snapshots go: the server (through a publisher), an HDF5 archive, or a test's collector.
///
/// A solver's run loop calls `write` for each snapshot its output schedule selects, then `finish` once. The
/// field buffers are valid only during the call (they usually point into the solver's own arrays): a sink that
/// keeps them must copy.
public protocol SampleSink: AnyObject {
    /// Receives one snapshot: its header and one raw little-endian buffer per field, in header order, each of
    /// exactly the byte count its descriptor implies.
    func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws
    /// No more samples follow (the last one carried the `final` flag).
    func finish() throws
}

/// A sink that keeps copies of everything written, for tests and small in-process pipelines.
public final class CollectingSink: SampleSink {
    public private(set) var samples: [(header: SampleHeader, fields: [[UInt8]])] = []
    public private(set) var finished = false

    public init() {}

    public func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws {
        samples.append((header, fields.map { Array($0) }))
    }

    public func finish() throws { finished = true }
}
