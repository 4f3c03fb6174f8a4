import SolverKit
import Surrogates
import Testing

/// Backpropagation against central finite differences of the loss, `(L(theta + h e_i) - L(theta - h e_i)) / 2h`,
/// for every parameter of small networks. Compared norm-wise, `||g_backprop - g_fd|| / ||g_fd||`, so that
/// components near zero do not dominate. Tolerances (the issue's): 1e-3 in float32 (h = 1e-2: truncation about
/// h^2 |L'''| / 6 ~ 1e-5, rounding about k ulp / h ~ 1e-5), 1e-7 in float64 (h = 1e-5). Measured here: 3e-5 to 5e-5
/// in float32, 4e-11 to 1e-10 in float64.
@Suite struct GradientCheckTests {
    static func relativeError<T: MLPScalar>(_ architecture: MLPArchitecture, batch: Int, step h: T, seed: UInt64,
                                             as _: T.Type) -> Double {
        var model = MLP<T>(architecture, seed: seed)
        var rng = Xoshiro(seed: seed &+ 1)
        let inputs = (0..<(batch * architecture.inputs)).map { _ in T(rng.uniform() * 2 - 1) }
        let targets = (0..<(batch * architecture.outputs)).map { _ in T(rng.uniform() * 2 - 1) }
        var gradient = [T](repeating: 0, count: architecture.parameterCount)
        _ = model.lossAndGradient(inputs: inputs, targets: targets, batch: batch, gradient: &gradient)
        var scratch = [T](repeating: 0, count: architecture.parameterCount)
        var diff = 0.0, norm = 0.0
        for i in 0..<architecture.parameterCount {
            let saved = model.parameters[i]
            model.parameters[i] = saved + h
            let plus = model.lossAndGradient(inputs: inputs, targets: targets, batch: batch, gradient: &scratch)
            model.parameters[i] = saved - h
            let minus = model.lossAndGradient(inputs: inputs, targets: targets, batch: batch, gradient: &scratch)
            model.parameters[i] = saved
            // The perturbation actually applied, (saved + h) - (saved - h), rounded as the parameter is.
            let applied = Double((saved + h) - (saved - h))
            let fd = (plus - minus) / applied
            diff += (Double(gradient[i]) - fd) * (Double(gradient[i]) - fd)
            norm += fd * fd
        }
        return (diff / norm).squareRoot()
    }

    @Test("backprop matches finite differences to 1e-7 in float64", arguments: Activation.allCases)
    func float64(_ activation: Activation) {
        for hidden in [[5], [7, 6], [4, 8, 3]] {
            let architecture = MLPArchitecture(inputs: 3, hidden: hidden, outputs: 4, activation: activation)
            let error = Self.relativeError(architecture, batch: 5, step: 1e-5, seed: 42, as: Double.self)
            #expect(error < 1e-7, "\(architecture): relative error \(error)")
        }
    }

    @Test("backprop matches finite differences to 1e-3 in float32")
    func float32() {
        // tanh: smooth, so the central difference's truncation error is h^2-small (ReLU's kinks are not).
        for hidden in [[5], [7, 6], [4, 8, 3]] {
            let architecture = MLPArchitecture(inputs: 3, hidden: hidden, outputs: 4, activation: .tanh)
            let error = Self.relativeError(architecture, batch: 5, step: Float(1e-2), seed: 7, as: Float.self)
            #expect(error < 1e-3, "\(architecture): relative error \(error)")
        }
    }

    @Test("a batch's gradient is the mean of its samples' gradients weighted by their share of the outputs")
    func batchGradientIsAverage() {
        let architecture = MLPArchitecture(inputs: 2, hidden: [6], outputs: 3, activation: .tanh)
        let model = MLP<Double>(architecture, seed: 3)
        let inputs: [Double] = [0.1, -0.4, 0.7, 0.2]
        let targets: [Double] = [1, 0, -1, 0.5, 0.5, 0.25]
        var both = [Double](repeating: 0, count: architecture.parameterCount)
        _ = model.lossAndGradient(inputs: inputs, targets: targets, batch: 2, gradient: &both)
        var first = both, second = both
        _ = model.lossAndGradient(inputs: Array(inputs[0..<2]), targets: Array(targets[0..<3]), batch: 1, gradient: &first)
        _ = model.lossAndGradient(inputs: Array(inputs[2..<4]), targets: Array(targets[3..<6]), batch: 1, gradient: &second)
        for i in both.indices { #expect(abs(both[i] - (first[i] + second[i]) / 2) < 1e-14) }
    }
}

/// A small seeded generator for test data.
struct Xoshiro {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func uniform() -> Double {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
}
