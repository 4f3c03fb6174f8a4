import SolverKit

/// The buffers of one forward and backward pass for batches of up to `capacity` samples: each layer's outputs
/// (kept for the backward pass), two error buffers, and a vector of ones for the bias gradients. Allocated once
/// and reused from step to step, so that training allocates nothing per batch.
///
/// Not thread-safe: one workspace per thread (it is a class so that the buffers are never copied).
public final class MLPWorkspace<Scalar: MLPScalar> {
    public let architecture: MLPArchitecture
    public let capacity: Int
    let layers: [MLPArchitecture.Layer]
    /// `activations[l]`: outputs of layer `l` (row-major `batch x fanOut`); the last is the network's output.
    let activations: [UnsafeMutableBufferPointer<Scalar>]
    var delta: UnsafeMutableBufferPointer<Scalar>
    var deltaPrevious: UnsafeMutableBufferPointer<Scalar>
    let ones: UnsafeMutableBufferPointer<Scalar>

    public init(_ architecture: MLPArchitecture, batch capacity: Int) {
        precondition(capacity >= 1, "a workspace needs a batch capacity of at least 1")
        self.architecture = architecture
        self.capacity = capacity
        layers = architecture.layers
        activations = layers.map { Self.allocate(capacity * $0.fanOut, 0) }
        let widest = architecture.widths.max() ?? 1
        delta = Self.allocate(capacity * widest, 0)
        deltaPrevious = Self.allocate(capacity * widest, 0)
        ones = Self.allocate(capacity, 1)
    }

    deinit {
        for buffer in activations + [delta, deltaPrevious, ones] { buffer.deallocate() }
    }

    private static func allocate(_ count: Int, _ value: Scalar) -> UnsafeMutableBufferPointer<Scalar> {
        let b = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: max(1, count))
        b.initialize(repeating: value)
        return b
    }

    /// The network's outputs of the last forward pass (row-major `batch x outputs`).
    public func output(batch: Int) -> UnsafeBufferPointer<Scalar> {
        UnsafeBufferPointer(rebasing: activations[activations.count - 1][0..<(batch * architecture.outputs)])
    }

    /// Forward pass: `a_0 = x`, `a_l = f(a_{l-1} W_l + b_l)` (no `f` on the last layer). One `gemm` per layer.
    ///
    /// - Precondition: `1 <= batch <= capacity`, `inputs.count >= batch * inputs`.
    public func forward(_ model: MLP<Scalar>, inputs: UnsafeBufferPointer<Scalar>, batch: Int) {
        precondition(model.architecture == architecture, "the workspace was made for \(architecture), not \(model.architecture)")
        precondition(batch >= 1 && batch <= capacity, "batch \(batch) outside 1...\(capacity)")
        precondition(inputs.count >= batch * architecture.inputs, "\(inputs.count) inputs for a batch of \(batch)")
        let activation = architecture.activation
        model.parameters.withUnsafeBufferPointer { p in
            for (l, layer) in layers.enumerated() {
                let weights = UnsafeBufferPointer(rebasing: p[layer.weightOffset..<layer.biasOffset])
                let bias = UnsafeBufferPointer(rebasing: p[layer.biasOffset..<(layer.biasOffset + layer.fanOut)])
                let input = layerInput(l, inputs: inputs, batch: batch)
                var z = UnsafeMutableBufferPointer(rebasing: activations[l][0..<(batch * layer.fanOut)])
                BLAS.gemm(m: batch, n: layer.fanOut, k: layer.fanIn, a: input, b: weights, c: &z)
                if let zp = z.baseAddress, let bp = bias.baseAddress {
                    Scalar._addBias(zp, bp, rows: batch, columns: layer.fanOut, activation: l == layers.count - 1 ? nil : activation)
                }
            }
        }
    }

    /// The input of layer `l`: the batch itself for the first layer, else the previous layer's outputs.
    @inline(__always)
    private func layerInput(_ l: Int, inputs: UnsafeBufferPointer<Scalar>, batch: Int) -> UnsafeBufferPointer<Scalar> {
        let k = layers[l].fanIn
        return l == 0 ? UnsafeBufferPointer(rebasing: inputs[0..<(batch * k)])
                      : UnsafeBufferPointer(rebasing: activations[l - 1][0..<(batch * k)])
    }

    /// Forward and backward pass for the mean squared error `L = (1 / (batch * outputs)) sum (y - t)^2`.
    /// Writes `dL/dtheta` into `gradient` (same layout as the parameters; overwritten, not accumulated) and
    /// returns `L` (summed in `Double`).
    ///
    /// Backward, layer `l` from the last: `dW_l = a_{l-1}^T delta_l` and `db_l = delta_l^T 1` (gemm, gemv), then
    /// `delta_{l-1} = (delta_l W_l^T) * f'(a_{l-1})` (gemm, with `f'` read from the stored outputs).
    @discardableResult
    public func lossAndGradient(_ model: MLP<Scalar>, inputs: UnsafeBufferPointer<Scalar>,
                                targets: UnsafeBufferPointer<Scalar>, batch: Int,
                                gradient: UnsafeMutableBufferPointer<Scalar>) -> Double {
        precondition(gradient.count == architecture.parameterCount, "gradient has \(gradient.count) entries, the model \(architecture.parameterCount)")
        precondition(targets.count >= batch * architecture.outputs, "\(targets.count) targets for a batch of \(batch)")
        forward(model, inputs: inputs, batch: batch)
        let count = batch * architecture.outputs
        let scale = Scalar(2) / Scalar(count)
        var sum: Double = 0
        // delta_L = 2 (y - t) / count.
        if let yp = activations[activations.count - 1].baseAddress, let tp = targets.baseAddress, let dp = delta.baseAddress {
            sum = Scalar._squaredError(yp, tp, delta: dp, count: count, scale: scale)
        }
        let activation = architecture.activation
        model.parameters.withUnsafeBufferPointer { p in
            for l in stride(from: layers.count - 1, through: 0, by: -1) {
                let layer = layers[l]
                let n = layer.fanOut, k = layer.fanIn
                let input = layerInput(l, inputs: inputs, batch: batch)
                let d = UnsafeBufferPointer(rebasing: delta[0..<(batch * n)])
                var gw = UnsafeMutableBufferPointer(rebasing: gradient[layer.weightOffset..<layer.biasOffset])
                BLAS.gemm(.transpose, .noTranspose, m: k, n: n, k: batch, a: input, b: d, c: &gw)
                var gb = UnsafeMutableBufferPointer(rebasing: gradient[layer.biasOffset..<(layer.biasOffset + n)])
                BLAS.gemv(.transpose, m: batch, n: n, a: d, x: UnsafeBufferPointer(rebasing: ones[0..<batch]), y: &gb)
                guard l > 0 else { break }
                let weights = UnsafeBufferPointer(rebasing: p[layer.weightOffset..<layer.biasOffset])
                var previous = UnsafeMutableBufferPointer(rebasing: deltaPrevious[0..<(batch * k)])
                BLAS.gemm(.noTranspose, .transpose, m: batch, n: k, k: n, a: d, b: weights, c: &previous)
                if let dp = previous.baseAddress, let ap = input.baseAddress {
                    Scalar._multiplyByDerivative(dp, ap, count: previous.count, activation: activation)
                }
                swap(&delta, &deltaPrevious)
            }
        }
        return sum / Double(count)
    }
}
