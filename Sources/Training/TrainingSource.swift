/// Where training batches come from: the reservoir (online, ``ReservoirSource``) or a fixed set read in epochs
/// (offline, ``EpochSource``).
public protocol TrainingSource: AnyObject {
    /// The next batch of examples, or nil when the source is exhausted or closed.
    func nextBatch() throws -> ExampleSet?
    /// One line for logs and the model's provenance.
    var summary: String { get }
}
