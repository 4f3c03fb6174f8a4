import SolverKit

/// A scalar the surrogate trains in: `Float` or `Double`. The elementwise kernels (bias and activation, their
/// derivative, the squared error, Adam) are requirements implemented once per concrete type, so that the
/// generic network code reaches an optimised, non-generic loop with a single dynamic call per layer (a generic loop
/// that is not specialised across module boundaries costs a witness-table call per element: 20x slower).
public protocol MLPScalar: BLASScalar {
    /// `z[i, j] = f(z[i, j] + b[j])` for a row-major `rows x columns` block (no `f` when `activation` is nil).
    static func _addBias(_ z: UnsafeMutablePointer<Self>, _ b: UnsafePointer<Self>, rows: Int, columns: Int, activation: Activation?)
    /// `d[i] *= f'(z_i)`, with `f'` read from the activation's output `a[i] = f(z_i)`.
    static func _multiplyByDerivative(_ d: UnsafeMutablePointer<Self>, _ a: UnsafePointer<Self>, count: Int, activation: Activation)
    /// `d[i] = scale (y[i] - t[i])`; returns `sum (y[i] - t[i])^2` accumulated in `Double`.
    static func _squaredError(_ y: UnsafePointer<Self>, _ t: UnsafePointer<Self>, delta d: UnsafeMutablePointer<Self>,
                              count: Int, scale: Self) -> Double
    /// One Adam update of `count` parameters (see ``Adam``); `lr` includes the first moment's bias correction,
    /// `vScale` is `1 / (1 - beta2^t)`.
    static func _adam(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>,
                      _ v: UnsafeMutablePointer<Self>, count: Int, lr: Self, beta1: Self, beta2: Self, epsilon: Self, vScale: Self)
}

extension Float: MLPScalar {
    public static func _addBias(_ z: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, columns: Int, activation: Activation?) {
        addBiasKernel(z, b, rows: rows, columns: columns, activation: activation)
    }
    public static func _multiplyByDerivative(_ d: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, count: Int, activation: Activation) {
        derivativeKernel(d, a, count: count, activation: activation)
    }
    public static func _squaredError(_ y: UnsafePointer<Float>, _ t: UnsafePointer<Float>, delta d: UnsafeMutablePointer<Float>,
                                     count: Int, scale: Float) -> Double {
        squaredErrorKernel(y, t, d, count: count, scale: scale)
    }
    public static func _adam(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ v: UnsafeMutablePointer<Float>, count: Int, lr: Float, beta1: Float, beta2: Float, epsilon: Float, vScale: Float) {
        adamKernelFloat(p, g, m, v, count: count, lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, vScale: vScale)
    }
}

extension Double: MLPScalar {
    public static func _addBias(_ z: UnsafeMutablePointer<Double>, _ b: UnsafePointer<Double>, rows: Int, columns: Int, activation: Activation?) {
        addBiasKernel(z, b, rows: rows, columns: columns, activation: activation)
    }
    public static func _multiplyByDerivative(_ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, count: Int, activation: Activation) {
        derivativeKernel(d, a, count: count, activation: activation)
    }
    public static func _squaredError(_ y: UnsafePointer<Double>, _ t: UnsafePointer<Double>, delta d: UnsafeMutablePointer<Double>,
                                     count: Int, scale: Double) -> Double {
        squaredErrorKernel(y, t, d, count: count, scale: scale)
    }
    public static func _adam(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ m: UnsafeMutablePointer<Double>,
                             _ v: UnsafeMutablePointer<Double>, count: Int, lr: Double, beta1: Double, beta2: Double, epsilon: Double, vScale: Double) {
        adamKernel(p, g, m, v, count: count, lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, vScale: vScale)
    }
}

// The kernels, written once and inlined into each concrete conformance above (where they are specialised).

@inline(__always)
func addBiasKernel<T: BinaryFloatingPoint>(_ z: UnsafeMutablePointer<T>, _ b: UnsafePointer<T>, rows: Int, columns: Int,
                                           activation: Activation?) {
    switch activation {
    case nil:
        for i in 0..<rows { let row = z + i * columns; for j in 0..<columns { row[j] += b[j] } }
    case .relu:
        for i in 0..<rows { let row = z + i * columns; for j in 0..<columns { row[j] = max(row[j] + b[j], 0) } }
    case .tanh:
        for i in 0..<rows { let row = z + i * columns; for j in 0..<columns { row[j] = T(libmTanh(Double(row[j] + b[j]))) } }
    }
}

@inline(__always)
func derivativeKernel<T: BinaryFloatingPoint>(_ d: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>, count: Int, activation: Activation) {
    switch activation {
    case .relu: for i in 0..<count { d[i] = a[i] > 0 ? d[i] : 0 }
    case .tanh: for i in 0..<count { d[i] *= 1 - a[i] * a[i] }
    }
}

@inline(__always)
func squaredErrorKernel<T: BinaryFloatingPoint & SIMDScalar>(_ y: UnsafePointer<T>, _ t: UnsafePointer<T>, _ d: UnsafeMutablePointer<T>,
                                                             count: Int, scale: T) -> Double {
    typealias V = SIMD8<T>
    var sum = 0.0
    var start = 0
    while start < count {
        // Partial sums over 1024 values in T (8 lanes), then Double: float32 rounding stays about 1e-7 relative.
        let end = min(count, start + 1024)
        var lanes = V.zero
        var i = start
        while i + V.scalarCount <= end {
            let e = UnsafeRawPointer(y + i).loadUnaligned(as: V.self) - UnsafeRawPointer(t + i).loadUnaligned(as: V.self)
            lanes += e * e
            UnsafeMutableRawPointer(d + i).storeBytes(of: scale * e, as: V.self)
            i += V.scalarCount
        }
        var partial = lanes.sum()
        while i < end {
            let e = y[i] - t[i]
            partial += e * e
            d[i] = scale * e
            i += 1
        }
        sum += Double(partial)
        start = end
    }
    return sum
}

@inline(__always)
func adamKernel<T: BinaryFloatingPoint & SIMDScalar>(_ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>,
                                                     _ v: UnsafeMutablePointer<T>, count: Int, lr: T, beta1: T, beta2: T, epsilon: T,
                                                     vScale: T) {
    // Explicit 8-lane vectors: the scalar loop does not vectorise (its square root may call libm), and Adam runs
    // over every parameter each step (a third of a small batch's step time when scalar).
    typealias V = SIMD8<T>
    let c1 = 1 - beta1, c2 = 1 - beta2
    let width = V.scalarCount
    var i = 0
    while i + width <= count {
        let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
        let mi = beta1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + c1 * gi
        let vi = beta2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + c2 * gi * gi
        let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self) - lr * mi / ((vi * vScale).squareRoot() + epsilon)
        UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
        UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
        UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: V.self)
        i += width
    }
    while i < count {
        let gi = g[i]
        let mi = beta1 * m[i] + c1 * gi
        let vi = beta2 * v[i] + c2 * gi * gi
        m[i] = mi
        v[i] = vi
        p[i] -= lr * mi / ((vi * vScale).squareRoot() + epsilon)
        i += 1
    }
}

/// ``adamKernel`` on concrete `SIMD8<Float>` vectors, whose square root compiles to a vector instruction (the
/// generic version's lanes each call the scalar square root).
@inline(__always)
func adamKernelFloat(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                     _ v: UnsafeMutablePointer<Float>, count: Int, lr: Float, beta1: Float, beta2: Float, epsilon: Float, vScale: Float) {
    typealias V = SIMD8<Float>
    let c1 = 1 - beta1, c2 = 1 - beta2
    let vectors = count / V.scalarCount
    for k in 0..<vectors {
        let i = k * V.scalarCount
        let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
        let mi = beta1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + c1 * gi
        let vi = beta2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + c2 * gi * gi
        let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self) - lr * mi / ((vi * vScale).squareRoot() + epsilon)
        UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
        UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
        UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: V.self)
    }
    let done = vectors * V.scalarCount
    adamKernel(p + done, g + done, m + done, v + done, count: count - done, lr: lr, beta1: beta1, beta2: beta2,
               epsilon: epsilon, vScale: vScale)
}
