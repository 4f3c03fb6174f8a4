/// Training or validation examples, row-major: `count` rows of `inputWidth` inputs and `outputWidth` targets
/// (physical units; the trainer normalises them), with the member and reservoir sample id of each row where known.
public struct ExampleSet: Sendable {
    public var inputWidth: Int
    public var outputWidth: Int
    public var inputs: [Float]
    public var targets: [Float]
    public var members: [UInt64]
    /// The reservoir's sample ids (empty for examples that did not come through a server).
    public var sampleIDs: [UInt64]

    public init(inputWidth: Int, outputWidth: Int, inputs: [Float] = [], targets: [Float] = [],
                members: [UInt64] = [], sampleIDs: [UInt64] = []) {
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
        self.inputs = inputs
        self.targets = targets
        self.members = members
        self.sampleIDs = sampleIDs
    }

    public var count: Int { members.count }

    /// Appends one example.
    public mutating func append(inputs x: [Float], targets t: some Collection<Float>, member: UInt64, sampleID: UInt64? = nil) {
        precondition(x.count == inputWidth && t.count == outputWidth, "example of \(x.count) -> \(t.count), set is \(inputWidth) -> \(outputWidth)")
        inputs += x
        targets += t
        members.append(member)
        if let sampleID { sampleIDs.append(sampleID) }
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: some Collection<Int>) -> ExampleSet {
        var result = ExampleSet(inputWidth: inputWidth, outputWidth: outputWidth)
        result.inputs.reserveCapacity(indices.count * inputWidth)
        result.targets.reserveCapacity(indices.count * outputWidth)
        for i in indices {
            result.inputs += inputs[(i * inputWidth)..<((i + 1) * inputWidth)]
            result.targets += targets[(i * outputWidth)..<((i + 1) * outputWidth)]
            result.members.append(members[i])
            if !sampleIDs.isEmpty { result.sampleIDs.append(sampleIDs[i]) }
        }
        return result
    }
}
