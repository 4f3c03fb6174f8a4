/// Affine maps between physical values and the network's scale: inputs per feature `(x - mean) / std`, outputs
/// `(y - mean_j) / std` with a mean per output and one standard deviation for the whole field (a per-point
/// deviation would blow up where a field hardly varies). Computed from a reference set (the validation members)
/// and saved with the model, so that a reader of the HDF5 file can undo it.
public struct Normalization: Codable, Sendable, Hashable {
    public var inputMean: [Double]
    public var inputStd: [Double]
    public var outputMean: [Double]
    public var outputStd: Double

    public init(inputMean: [Double], inputStd: [Double], outputMean: [Double], outputStd: Double) {
        self.inputMean = inputMean
        self.inputStd = inputStd
        self.outputMean = outputMean
        self.outputStd = outputStd
    }

    /// The identity for `inputs` and `outputs` values.
    public static func identity(inputs: Int, outputs: Int) -> Normalization {
        Normalization(inputMean: .init(repeating: 0, count: inputs), inputStd: .init(repeating: 1, count: inputs),
                      outputMean: .init(repeating: 0, count: outputs), outputStd: 1)
    }

    /// Statistics of `count` samples (row-major inputs and outputs). A feature that does not vary gets std 1.
    public static func fitted(inputs: [Float], outputs: [Float], count: Int, inputWidth: Int, outputWidth: Int) -> Normalization {
        precondition(count >= 1 && inputs.count >= count * inputWidth && outputs.count >= count * outputWidth,
                     "normalisation needs at least one sample")
        var inMean = [Double](repeating: 0, count: inputWidth), inSq = inMean
        for i in 0..<count {
            for j in 0..<inputWidth {
                let x = Double(inputs[i * inputWidth + j])
                inMean[j] += x
                inSq[j] += x * x
            }
        }
        let n = Double(count)
        var inStd = inMean
        for j in 0..<inputWidth {
            inMean[j] /= n
            let variance = max(0, inSq[j] / n - inMean[j] * inMean[j])
            inStd[j] = variance > 1e-24 ? variance.squareRoot() : 1
        }
        var outMean = [Double](repeating: 0, count: outputWidth)
        for i in 0..<count { for j in 0..<outputWidth { outMean[j] += Double(outputs[i * outputWidth + j]) } }
        for j in 0..<outputWidth { outMean[j] /= n }
        var sq = 0.0
        for i in 0..<count {
            for j in 0..<outputWidth { let d = Double(outputs[i * outputWidth + j]) - outMean[j]; sq += d * d }
        }
        let variance = sq / (n * Double(outputWidth))
        return Normalization(inputMean: inMean, inputStd: inStd, outputMean: outMean,
                             outputStd: variance > 1e-24 ? variance.squareRoot() : 1)
    }

    /// Normalises `count` rows of inputs in place.
    public func normaliseInputs(_ x: inout [Float], count: Int) {
        let w = inputMean.count
        let mean = inputMean.map { Float($0) }, inverse = inputStd.map { Float(1 / $0) }
        for i in 0..<count { for j in 0..<w { x[i * w + j] = (x[i * w + j] - mean[j]) * inverse[j] } }
    }

    /// Normalises `count` rows of outputs in place.
    public func normaliseOutputs(_ y: inout [Float], count: Int) {
        let w = outputMean.count
        let mean = outputMean.map { Float($0) }, inverse = Float(1 / outputStd)
        y.withUnsafeMutableBufferPointer { b in
            guard let p = b.baseAddress else { return }
            for i in 0..<count { let row = p + i * w; for j in 0..<w { row[j] = (row[j] - mean[j]) * inverse } }
        }
    }

    /// Maps `count` rows of network outputs back to physical values in place.
    public func denormaliseOutputs(_ y: inout [Float], count: Int) {
        let w = outputMean.count
        let mean = outputMean.map { Float($0) }, s = Float(outputStd)
        y.withUnsafeMutableBufferPointer { b in
            guard let p = b.baseAddress else { return }
            for i in 0..<count { let row = p + i * w; for j in 0..<w { row[j] = row[j] * s + mean[j] } }
        }
    }
}
