/// The nonlinearity between the layers of an ``MLP``.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// `max(0, z)`; derivative 1 where the output is positive, 0 elsewhere (0 at the kink).
    case relu
    /// `tanh(z)`; derivative `1 - tanh(z)^2`, read from the output.
    case tanh
}

/// The shape of a fully connected network: `inputs -> hidden[0] -> ... -> outputs`, the activation after every
/// layer but the last (the output layer is linear, as in the Melissa study's surrogate).
///
/// Parameters live in one flat vector, layer after layer: the weights of layer `l` as a row-major
/// `fanIn x fanOut` matrix (so a batch `X` of row vectors maps to `X W + b`), then its `fanOut` biases. One flat
/// vector makes Adam one loop, the gradient average across ranks one message, and the HDF5 file a few slices.
public struct MLPArchitecture: Codable, Sendable, Hashable, CustomStringConvertible {
    public var inputs: Int
    public var hidden: [Int]
    public var outputs: Int
    public var activation: Activation

    /// Where one layer's parameters sit in the flat vector.
    public struct Layer: Sendable, Hashable {
        public var fanIn: Int
        public var fanOut: Int
        /// Offset of the `fanIn x fanOut` weight matrix.
        public var weightOffset: Int
        /// Offset of the `fanOut` biases (right after the weights).
        public var biasOffset: Int
        public var parameterCount: Int { fanIn * fanOut + fanOut }
    }

    /// - Precondition: every width is at least 1.
    public init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation = .relu) {
        precondition(inputs >= 1 && outputs >= 1 && hidden.allSatisfy { $0 >= 1 },
                     "MLP widths must be positive: \(inputs), \(hidden), \(outputs)")
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.activation = activation
    }

    /// `[inputs] + hidden + [outputs]`.
    public var widths: [Int] { [inputs] + hidden + [outputs] }

    /// The layers in order, with their offsets.
    public var layers: [Layer] {
        var result: [Layer] = []
        var offset = 0
        let w = widths
        for l in 1..<w.count {
            let layer = Layer(fanIn: w[l - 1], fanOut: w[l], weightOffset: offset, biasOffset: offset + w[l - 1] * w[l])
            result.append(layer)
            offset += layer.parameterCount
        }
        return result
    }

    /// The length of the flat parameter vector.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Multiply-adds of one forward pass for one sample (a backward pass costs about twice as many).
    public var multiplyAddsPerSample: Int { layers.reduce(0) { $0 + $1.fanIn * $1.fanOut } }

    public var description: String {
        (widths.map(String.init).joined(separator: "-")) + " \(activation.rawValue) (\(parameterCount) parameters)"
    }
}
