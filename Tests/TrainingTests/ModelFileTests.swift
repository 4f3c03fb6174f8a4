import Foundation
import HDF5
import Surrogates
import Testing
import TestSupport
@testable import Training

@Suite struct ModelFileTests {
    @Test("a model written to HDF5 reads back with the same predictions, normalisation and provenance")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let architecture = MLPArchitecture(inputs: 3, hidden: [8, 5], outputs: 6, activation: .tanh)
        let model = MLP<Float>(architecture, seed: 9)
        let layout = FeatureLayout(parameterNames: ["a", "b"], field: "tracer", fieldShape: [2, 3])
        let normalization = Normalization(inputMean: [1, 2, 3], inputStd: [0.5, 1, 2], outputMean: [0, 1, 2, 3, 4, 5], outputStd: 0.25)
        var provenance = ModelFile.Provenance()
        provenance.add("study", "unit-test")
        provenance.add("steps", 12)
        let history = [HistoryRecord(step: 0, wallSeconds: 0, samples: 0, trainLoss: .nan, validationError: 1),
                       HistoryRecord(step: 12, wallSeconds: 0.5, samples: 96, trainLoss: 0.25, validationError: 0.5)]
        let path = directory.path("model.h5")
        try ModelFile.write(path, model: model, normalization: normalization, layout: layout, history: history, provenance: provenance)
        let (back, n, l) = try ModelFile.read(path)
        #expect(back.architecture == architecture)
        #expect(back.parameters == model.parameters)
        #expect(n == normalization)
        #expect(l == layout)
        let x: [Float] = [0.1, 0.2, 0.3, -1, 0, 1]
        #expect(back.predict(x, batch: 2) == model.predict(x, batch: 2))
        let file = try File(opening: path)
        #expect(try file.attribute("study", as: String.self) == "unit-test")
        #expect(try file.attribute("steps", as: Int.self) == 12)
        #expect(try file.openDataset("history/validation_error").read(as: Double.self) == [1, 0.5])
        #expect(try file.openDataset("layers/1/weight").shape == [8, 5])
        try file.close()
    }
}
