import SluiceModel
import SolverKit

/// A fully connected network with a flat parameter vector (layout: ``MLPArchitecture``), in `Float` or `Double`.
///
/// The forward and backward passes are OpenBLAS `gemm` calls on a batch at once (``MLPWorkspace``); the
/// elementwise parts (bias, activation and their derivatives) are fused loops over the gemm outputs.
public struct MLP<Scalar: MLPScalar>: Sendable {
    public let architecture: MLPArchitecture
    /// The flat parameters (weights then biases, layer after layer).
    public var parameters: [Scalar]

    /// A network initialised as PyTorch's `nn.Linear` does (Kaiming-uniform weights and biases in
    /// `[-1/sqrt(fanIn), 1/sqrt(fanIn)]`), from `seed`: every rank built with the same seed starts identical.
    public init(_ architecture: MLPArchitecture, seed: UInt64) {
        self.architecture = architecture
        var rng = Xoshiro256StarStar(seed: seed)
        var p = [Scalar](repeating: 0, count: architecture.parameterCount)
        for layer in architecture.layers {
            let bound = 1 / Double(layer.fanIn).squareRoot()
            for i in 0..<layer.parameterCount {
                let u = Double(rng.next() >> 11) * 0x1p-53
                p[layer.weightOffset + i] = Scalar((2 * u - 1) * bound)
            }
        }
        parameters = p
    }

    /// A network with the given parameters.
    /// - Precondition: `parameters.count == architecture.parameterCount`.
    public init(_ architecture: MLPArchitecture, parameters: [Scalar]) {
        precondition(parameters.count == architecture.parameterCount,
                     "\(parameters.count) parameters for an MLP that has \(architecture.parameterCount)")
        self.architecture = architecture
        self.parameters = parameters
    }

    /// The outputs for `batch` inputs (row-major `batch x inputs`), as a row-major `batch x outputs` array.
    public func predict(_ inputs: [Scalar], batch: Int) -> [Scalar] {
        let workspace = MLPWorkspace<Scalar>(architecture, batch: batch)
        inputs.withUnsafeBufferPointer { workspace.forward(self, inputs: $0, batch: batch) }
        return Array(workspace.output(batch: batch))
    }

    /// Mean squared error over `batch x outputs` values and its gradient (see
    /// ``MLPWorkspace/lossAndGradient(_:inputs:targets:batch:gradient:)``), with a fresh workspace.
    public func lossAndGradient(inputs: [Scalar], targets: [Scalar], batch: Int, gradient: inout [Scalar]) -> Double {
        let workspace = MLPWorkspace<Scalar>(architecture, batch: batch)
        return inputs.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    workspace.lossAndGradient(self, inputs: x, targets: t, batch: batch, gradient: g)
                }
            }
        }
    }
}
