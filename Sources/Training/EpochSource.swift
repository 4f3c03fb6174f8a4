import SluiceModel

/// A fixed set of examples read in epochs (offline training): each epoch a fresh permutation (seeded), split into
/// batches; rank `r` of `n` takes every `n`-th batch, so ranks see disjoint batches.
public final class EpochSource: TrainingSource {
    public let examples: ExampleSet
    public let batchSize: Int
    let rank: Int
    let worldSize: Int
    var rng: Xoshiro256StarStar
    var order: [Int] = []
    var position = 0
    public private(set) var epoch = 0

    public init(_ examples: ExampleSet, batchSize: Int, rank: Int = 0, worldSize: Int = 1, seed: UInt64 = 0) {
        precondition(batchSize >= 1 && worldSize >= 1 && rank >= 0 && rank < worldSize, "bad epoch source settings")
        self.examples = examples
        self.batchSize = batchSize
        self.rank = rank
        self.worldSize = worldSize
        rng = Xoshiro256StarStar(seed: seed)
    }

    public func nextBatch() throws -> ExampleSet? {
        guard examples.count >= batchSize * worldSize else {
            throw TrainingError.configuration("the fixed set has \(examples.count) examples, fewer than one batch of \(batchSize) per rank x \(worldSize)")
        }
        if position + batchSize * worldSize > order.count {
            order = Array(0..<examples.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.uniform(below: i + 1)) }
            position = 0
            epoch += 1
        }
        let start = position + rank * batchSize
        position += batchSize * worldSize
        return examples.rows(order[start..<(start + batchSize)])
    }

    public var summary: String { "fixed set of \(examples.count) examples from \(Set(examples.members).count) members, read in epochs (batch \(batchSize))" }
}
