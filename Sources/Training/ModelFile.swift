import Foundation
import HDF5
import SolverKit
import Surrogates

/// The trained surrogate as an HDF5 file that h5py reads without Sluice:
///
/// ```
/// /                       attrs: format = "sluice-mlp", format_version = 1, architecture (widths, activation),
///                                input_names, output_field, output_shape, and the provenance (see ``Provenance``)
/// /layers/<l>/weight      float32 [fan_in, fan_out]   (y = x W + b)
/// /layers/<l>/bias        float32 [fan_out]
/// /normalization/input_mean, input_std, output_mean (float64), attr output_std
/// /history/step, wall_seconds, samples, train_loss, validation_error (float64; NaN where not measured)
/// /check/inputs, outputs  float32 [k, inputs], [k, outputs]: a few inputs in physical units and this model's
///                         predictions for them, so that a reader can check its own forward pass
/// ```
///
/// A prediction in physical units: `x_n = (x - input_mean) / input_std`, the layers with the activation between
/// them (none after the last), then `y = y_n * output_std + output_mean`.
public enum ModelFile {
    public static let format = "sluice-mlp"
    public static let formatVersion = 1

    /// Where the model came from: written as root attributes (strings and numbers).
    public struct Provenance: Sendable {
        public var entries: [(String, AttributeValue)]
        public init(_ entries: [(String, AttributeValue)] = []) { self.entries = entries }
        public mutating func add(_ name: String, _ value: some AttributeConvertible) { entries.append((name, value.attributeValue)) }
    }

    public static func write(_ path: String, model: MLP<Float>, normalization: Normalization, layout: FeatureLayout,
                             history: [HistoryRecord], provenance: Provenance, checkInputs: [Float] = []) throws {
        let file = try File(creating: path)
        defer { try? file.close() }
        let a = model.architecture
        try file.setAttribute("format", to: format)
        try file.setAttribute("format_version", to: formatVersion)
        try file.setAttribute("widths", to: a.widths)
        try file.setAttribute("activation", to: a.activation.rawValue)
        try file.setAttribute("input_names", to: layout.inputNames)
        try file.setAttribute("output_field", to: layout.field)
        try file.setAttribute("output_shape", to: layout.fieldShape)
        for (name, value) in provenance.entries { try file.setAttribute(name, to: value) }
        for (l, layer) in a.layers.enumerated() {
            let w = try file.createDataset("layers/\(l)/weight", of: Float.self, shape: [layer.fanIn, layer.fanOut])
            try w.write(Array(model.parameters[layer.weightOffset..<layer.biasOffset]))
            let b = try file.createDataset("layers/\(l)/bias", of: Float.self, shape: [layer.fanOut])
            try b.write(Array(model.parameters[layer.biasOffset..<(layer.biasOffset + layer.fanOut)]))
        }
        for (name, values) in [("input_mean", normalization.inputMean), ("input_std", normalization.inputStd),
                               ("output_mean", normalization.outputMean)] {
            try file.createDataset("normalization/\(name)", of: Double.self, shape: [values.count]).write(values)
        }
        try file.openGroup("normalization").setAttribute("output_std", to: normalization.outputStd)
        let columns: [(String, [Double])] = [
            ("step", history.map { Double($0.step) }), ("wall_seconds", history.map(\.wallSeconds)),
            ("samples", history.map { Double($0.samples) }), ("train_loss", history.map(\.trainLoss)),
            ("validation_error", history.map { $0.validationError ?? .nan }),
        ]
        for (name, values) in columns {
            try file.createDataset("history/\(name)", of: Double.self, shape: [values.count]).write(values)
        }
        let k = checkInputs.count / a.inputs
        if k > 0 {
            let x = Array(checkInputs[0..<(k * a.inputs)])
            var normalised = x
            normalization.normaliseInputs(&normalised, count: k)
            var y = model.predict(normalised, batch: k)
            normalization.denormaliseOutputs(&y, count: k)
            try file.createDataset("check/inputs", of: Float.self, shape: [k, a.inputs]).write(x)
            try file.createDataset("check/outputs", of: Float.self, shape: [k, a.outputs]).write(y)
        }
    }

    /// Reads a model written by ``write(_:model:normalization:layout:history:provenance:)``.
    ///
    /// - Throws: ``TrainingError`` naming the file and what is missing or inconsistent.
    public static func read(_ path: String) throws -> (model: MLP<Float>, normalization: Normalization, layout: FeatureLayout) {
        let file = try File(opening: path)
        defer { try? file.close() }
        guard (try? file.attribute("format", as: String.self)) == format else {
            throw TrainingError.file("\(path) is not a \(format) file (no format attribute)")
        }
        let widths = try file.attribute("widths", as: [Int].self)
        guard widths.count >= 2, widths.allSatisfy({ $0 >= 1 }),
              let activation = Activation(rawValue: try file.attribute("activation", as: String.self)) else {
            throw TrainingError.file("\(path): bad widths \(widths) or activation")
        }
        let a = MLPArchitecture(inputs: widths[0], hidden: Array(widths.dropFirst().dropLast()), outputs: widths[widths.count - 1],
                                activation: activation)
        var parameters = [Float]()
        parameters.reserveCapacity(a.parameterCount)
        for (l, layer) in a.layers.enumerated() {
            let w: [Float] = try file.openDataset("layers/\(l)/weight").read()
            let b: [Float] = try file.openDataset("layers/\(l)/bias").read()
            guard w.count == layer.fanIn * layer.fanOut, b.count == layer.fanOut else {
                throw TrainingError.file("\(path): layer \(l) holds \(w.count) weights and \(b.count) biases; widths say \(layer.fanIn)x\(layer.fanOut)")
            }
            parameters += w
            parameters += b
        }
        let normalization = Normalization(
            inputMean: try file.openDataset("normalization/input_mean").read(),
            inputStd: try file.openDataset("normalization/input_std").read(),
            outputMean: try file.openDataset("normalization/output_mean").read(),
            outputStd: try file.openGroup("normalization").attribute("output_std", as: Double.self))
        let names = try file.attribute("input_names", as: [String].self)
        let layout = FeatureLayout(parameterNames: Array(names.dropLast()), field: try file.attribute("output_field", as: String.self),
                                   fieldShape: try file.attribute("output_shape", as: [Int].self))
        guard layout.inputWidth == a.inputs, layout.outputWidth == a.outputs else {
            throw TrainingError.file("\(path): inputs \(names) and output shape \(layout.fieldShape) do not match widths \(widths)")
        }
        return (MLP(a, parameters: parameters), normalization, layout)
    }
}
