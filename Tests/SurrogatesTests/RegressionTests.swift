import Surrogates
import Testing

/// The optimiser and the network together learn a known smooth map.
@Suite struct RegressionTests {
    /// `f(x1, x2) = (sin(pi x1) cos(pi x2), x1 x2, exp(-(x1^2 + x2^2)))` on `[-1, 1]^2`.
    static func target(_ x1: Double, _ x2: Double) -> [Float] {
        [Float(Foundation.sin(Double.pi * x1) * Foundation.cos(Double.pi * x2)), Float(x1 * x2),
         Float(Foundation.exp(-(x1 * x1 + x2 * x2)))]
    }

    static func grid(_ n: Int, offset: Double) -> (inputs: [Float], targets: [Float], count: Int) {
        var inputs: [Float] = [], targets: [Float] = []
        for i in 0..<n {
            for j in 0..<n {
                let x1 = -1 + 2 * (Double(i) + offset) / Double(n), x2 = -1 + 2 * (Double(j) + offset) / Double(n)
                inputs += [Float(x1), Float(x2)]
                targets += target(x1, x2)
            }
        }
        return (inputs, targets, n * n)
    }

    @Test("a 2-32-32-3 tanh MLP learns a smooth 2-D map to 3% relative L2 error on unseen points (float32)")
    func learnsSmoothMap() {
        let architecture = MLPArchitecture(inputs: 2, hidden: [32, 32], outputs: 3, activation: .tanh)
        var model = MLP<Float>(architecture, seed: 1)
        var adam = Adam<Float>(parameterCount: architecture.parameterCount, settings: .init(learningRate: 3e-3))
        let train = Self.grid(16, offset: 0.5), test = Self.grid(12, offset: 0.25)
        let workspace = MLPWorkspace<Float>(architecture, batch: train.count)
        var gradient = [Float](repeating: 0, count: architecture.parameterCount)
        var first = 0.0, last = 0.0
        for step in 0..<3000 {
            let loss = train.inputs.withUnsafeBufferPointer { x in
                train.targets.withUnsafeBufferPointer { t in
                    gradient.withUnsafeMutableBufferPointer { g in
                        workspace.lossAndGradient(model, inputs: x, targets: t, batch: train.count, gradient: g)
                    }
                }
            }
            if step == 0 { first = loss }
            last = loss
            gradient.withUnsafeBufferPointer { adam.update(&model.parameters, gradient: $0) }
        }
        let predictions = model.predict(test.inputs, batch: test.count)
        let error = meanRelativeL2Error(predictions: predictions, targets: test.targets, samples: test.count)
        // Measured: 1.3 % after 3000 full-batch steps (training MSE 0.29 -> 5e-5); 3 % leaves room for BLAS rounding
        // differences between machines.
        #expect(error < 0.03, "relative L2 error \(error); training MSE \(first) -> \(last)")
        #expect(last < first / 100)
    }

    @Test("Adam's first step moves every parameter by the learning rate against its gradient's sign")
    func adamFirstStep() {
        var adam = Adam<Double>(parameterCount: 3, settings: .init(learningRate: 0.1))
        var parameters: [Double] = [1, 2, 3]
        let gradient: [Double] = [0.5, -2, 1e-3]
        gradient.withUnsafeBufferPointer { adam.update(&parameters, gradient: $0) }
        // m_hat = g and v_hat = g^2 after one step, so the update is lr * g / (|g| + eps).
        for (p, (old, g)) in zip(parameters, zip([1.0, 2, 3], gradient)) {
            #expect(abs(p - (old - 0.1 * g / (abs(g) + 1e-8))) < 1e-12)
        }
    }

    @Test("relative L2 error of a prediction")
    func relativeError() {
        // Sample 1: error (3, 4) on target (0, 10): 5 / 10. Sample 2: exact.
        let e = meanRelativeL2Error(predictions: [3, 14, 1, 1] as [Float], targets: [0, 10, 1, 1] as [Float], samples: 2)
        #expect(abs(e - 0.25) < 1e-12)
    }
}

import Foundation
