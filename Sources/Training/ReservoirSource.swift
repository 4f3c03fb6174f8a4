import Clients

/// Batches pulled from a Sluice server through ``TrainerClient`` (this rank's disjoint share of its group).
public final class ReservoirSource: TrainingSource {
    public let client: TrainerClient
    public let layout: FeatureLayout
    let timeout: Duration

    /// - Parameter timeout: how long to wait for one batch before failing (the stream may be slow to start).
    public init(client: TrainerClient, layout: FeatureLayout, timeout: Duration = .seconds(120)) {
        self.client = client
        self.layout = layout
        self.timeout = timeout
    }

    public func nextBatch() throws -> ExampleSet? {
        guard let batch = try client.next(timeout: timeout) else { return nil }
        return try layout.examples(from: batch)
    }

    public var summary: String {
        let c = client.configuration
        return "reservoir \(c.connection.endpoint) group '\(c.group)' rank \(c.rank)/\(c.worldSize), batch \(c.batchSize)"
    }
}
