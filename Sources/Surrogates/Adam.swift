import Dispatch
import SolverKit

/// Adam (Kingma & Ba 2015) over a flat parameter vector, as PyTorch's `torch.optim.Adam` without weight decay:
///
/// ```
/// m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
/// theta -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
/// ```
public struct Adam<Scalar: MLPScalar>: Sendable {
    public var settings: AdamSettings
    /// Updates taken so far (`t`).
    public private(set) var step = 0
    var m: [Scalar]
    var v: [Scalar]

    public init(parameterCount: Int, settings: AdamSettings = AdamSettings()) {
        self.settings = settings
        m = [Scalar](repeating: 0, count: parameterCount)
        v = [Scalar](repeating: 0, count: parameterCount)
    }

    /// One update of `parameters` from `gradient` (same length as the optimiser was made for).
    public mutating func update(_ parameters: inout [Scalar], gradient: UnsafeBufferPointer<Scalar>) {
        precondition(parameters.count == m.count && gradient.count == m.count,
                     "Adam made for \(m.count) parameters got \(parameters.count) and a gradient of \(gradient.count)")
        step += 1
        let b1 = Scalar(settings.beta1), b2 = Scalar(settings.beta2), eps = Scalar(settings.epsilon)
        let c1 = 1 - libmPow(settings.beta1, Double(step)), c2 = 1 - libmPow(settings.beta2, Double(step))
        let lr = Scalar(settings.learningRate / c1)
        let vScale = Scalar(1 / c2)
        let count = m.count
        m.withUnsafeMutableBufferPointer { mb in
            v.withUnsafeMutableBufferPointer { vb in
                parameters.withUnsafeMutableBufferPointer { pb in
                    guard let mp = mb.baseAddress, let vp = vb.baseAddress, let p = pb.baseAddress,
                          let g = gradient.baseAddress else { return }
                    // Large vectors in parallel chunks, one per BLAS thread (the update is memory- and
                    // square-root-bound; PyTorch's Adam splits it the same way).
                    let threads = count >= 1 << 16 ? max(1, min(BLAS.threadCount, 16)) : 1
                    let chunk = (count + threads - 1) / threads
                    let buffers = AdamBuffers(p: p, g: g, m: mp, v: vp)
                    DispatchQueue.concurrentPerform(iterations: threads) { k in
                        let start = k * chunk, n = min(count, start + chunk) - start
                        guard n > 0 else { return }
                        Scalar._adam(buffers.p + start, buffers.g + start, buffers.m + start, buffers.v + start, count: n,
                                     lr: lr, beta1: b1, beta2: b2, epsilon: eps, vScale: vScale)
                    }
                }
            }
        }
    }
}

/// The four vectors of one Adam update, handed to the worker threads of `concurrentPerform`.
///
/// @unchecked Sendable: each worker reads and writes only its own disjoint index range, and `concurrentPerform`
/// returns only after every worker finished, while the owning arrays are pinned by `withUnsafe...` around it.
struct AdamBuffers<Scalar>: @unchecked Sendable {
    let p: UnsafeMutablePointer<Scalar>
    let g: UnsafePointer<Scalar>
    let m: UnsafeMutablePointer<Scalar>
    let v: UnsafeMutablePointer<Scalar>
}

/// Adam's hyperparameters (PyTorch's defaults).
public struct AdamSettings: Codable, Sendable, Hashable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}
