import Foundation
import Surrogates
import Testing
@testable import Training

@Suite struct SourceTests {
    static func set(_ n: Int) -> ExampleSet {
        var s = ExampleSet(inputWidth: 1, outputWidth: 2)
        for i in 0..<n { s.append(inputs: [Float(i)], targets: [Float(i), -Float(i)], member: UInt64(i / 10), sampleID: UInt64(i)) }
        return s
    }

    @Test("an epoch visits every example once; ranks get disjoint batches")
    func epochs() throws {
        let examples = Self.set(40)
        let ranks = (0..<2).map { EpochSource(examples, batchSize: 5, rank: $0, worldSize: 2, seed: 3) }
        var seen: [UInt64] = []
        for _ in 0..<4 {
            for source in ranks {
                let batch = try #require(try source.nextBatch())
                #expect(batch.count == 5)
                #expect(batch.targets.count == 10)
                for (k, id) in batch.sampleIDs.enumerated() {
                    #expect(batch.inputs[k] == Float(id) && batch.targets[2 * k + 1] == -Float(id))
                }
                seen += batch.sampleIDs
            }
        }
        #expect(seen.sorted() == (0..<40).map(UInt64.init))
        _ = try ranks[0].nextBatch()
        #expect(ranks[0].epoch == 2)
    }

    @Test("normalisation maps the reference set to zero mean and unit deviation, and back")
    func normalization() {
        let inputs: [Float] = [1, 10, 3, 10, 5, 10]  // feature 2 is constant: std 1
        let outputs: [Float] = [0, 2, 4, 6, 8, 10]
        let n = Normalization.fitted(inputs: inputs, outputs: outputs, count: 3, inputWidth: 2, outputWidth: 2)
        #expect(n.inputMean == [3, 10])
        #expect(abs(n.inputStd[0] - (8.0 / 3).squareRoot()) < 1e-12 && n.inputStd[1] == 1)
        #expect(n.outputMean == [4, 6])
        var y = outputs
        n.normaliseOutputs(&y, count: 3)
        n.denormaliseOutputs(&y, count: 3)
        for (a, b) in zip(y, outputs) { #expect(abs(a - b) < 1e-5) }
    }
}
