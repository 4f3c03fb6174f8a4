import Clients
import SluiceModel
import Wire

/// Which sample values are the surrogate's inputs and outputs (the Melissa study's fully connected surrogate):
/// inputs are the member's parameters `parameterNames` (in that order) and the sample's time; outputs are every
/// value of field `field` (flattened in C order), converted to `Float`.
public struct FeatureLayout: Codable, Sendable, Hashable {
    public var parameterNames: [String]
    public var field: String
    /// The field's shape per sample (its product is the output width).
    public var fieldShape: [Int]

    public init(parameterNames: [String], field: String, fieldShape: [Int]) {
        self.parameterNames = parameterNames
        self.field = field
        self.fieldShape = fieldShape
    }

    public var inputNames: [String] { parameterNames + ["time"] }
    public var inputWidth: Int { parameterNames.count + 1 }
    public var outputWidth: Int { fieldShape.reduce(1, *) }

    public func emptySet() -> ExampleSet { ExampleSet(inputWidth: inputWidth, outputWidth: outputWidth) }

    /// The examples of a batch from the reservoir.
    ///
    /// - Throws: ``TrainingError`` naming the parameter or field when the batch lacks one, or its field has
    ///   another shape or a dtype other than f32/f64.
    public func examples(from batch: Batch) throws -> ExampleSet {
        let header = batch.header
        let columns = try parameterNames.map { name in
            guard let j = header.parameterNames.firstIndex(of: name) else {
                throw TrainingError.data("batch samples have no parameter '\(name)'; they have \(header.parameterNames)")
            }
            return j
        }
        guard let f = header.fields.firstIndex(where: { $0.name == field }) else {
            throw TrainingError.data("batch has no field '\(field)'; it has \(header.fields.map(\.name))")
        }
        guard case .uniform(let shape) = header.fields[f].shapes, shape == fieldShape else {
            throw TrainingError.data("field '\(field)' has shapes \(header.fields[f].shapes) in a batch; the model expects \(fieldShape)")
        }
        var set = emptySet()
        let p = header.parameterNames.count, width = outputWidth
        guard header.parameterValues.count >= header.count * p else {
            throw TrainingError.data("batch carries \(header.parameterValues.count) parameter values for \(header.count) samples x \(p)")
        }
        set.inputs.reserveCapacity(header.count * inputWidth)
        for (i, entry) in header.entries.enumerated() {
            for j in columns { set.inputs.append(Float(header.parameterValues[i * p + j])) }
            set.inputs.append(Float(entry.time))
            set.members.append(entry.member)
            set.sampleIDs.append(entry.sampleID)
        }
        switch header.fields[f].dtype {
        case .float32:
            try batch.withField(field, as: Float.self) { values in
                guard values.count >= header.count * width else {
                    throw TrainingError.data("field '\(field)' frame holds \(values.count) values for \(header.count) samples of \(width)")
                }
                set.targets = Array(values[0..<(header.count * width)])
            }
        case .float64:
            try batch.withField(field, as: Double.self) { values in
                guard values.count >= header.count * width else {
                    throw TrainingError.data("field '\(field)' frame holds \(values.count) values for \(header.count) samples of \(width)")
                }
                set.targets = values[0..<(header.count * width)].map { Float($0) }
            }
        case let other:
            throw TrainingError.data("field '\(field)' is \(other); the surrogate trains on f32 or f64 fields")
        }
        return set
    }

    /// One example from a snapshot as a `SampleSink` receives it.
    public func example(header: SampleHeader, fields: [[UInt8]]) throws -> (inputs: [Float], targets: [Float]) {
        var x: [Float] = []
        for name in parameterNames {
            guard let p = header.parameters.first(where: { $0.name == name }) else {
                throw TrainingError.data("member \(header.member) has no parameter '\(name)'; it has \(header.parameters.map(\.name))")
            }
            x.append(Float(p.value))
        }
        x.append(Float(header.time))
        guard let f = header.fields.firstIndex(where: { $0.name == field }), f < fields.count else {
            throw TrainingError.data("member \(header.member) has no field '\(field)'; it has \(header.fields.map(\.name))")
        }
        let d = header.fields[f]
        guard d.shape == fieldShape else {
            throw TrainingError.data("field '\(field)' of member \(header.member) is \(d.shape); the model expects \(fieldShape)")
        }
        let bytes = fields[f]
        let n = outputWidth
        let targets: [Float] = try bytes.withUnsafeBytes { raw in
            switch d.dtype {
            case .float32 where raw.count >= 4 * n:
                return (0..<n).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
            case .float64 where raw.count >= 8 * n:
                return (0..<n).map { Float(raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self)) }
            default:
                throw TrainingError.data("field '\(field)' of member \(header.member) is \(d.dtype) with \(raw.count) bytes; expected f32/f64 x \(n)")
            }
        }
        return (x, targets)
    }
}
