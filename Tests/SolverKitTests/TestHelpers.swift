import SolverKit

/// SplitMix64: a small, seedable generator so every numerical test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `count` values uniform in [-1, 1), reproducible from `seed`.
func randomValues<T: BinaryFloatingPoint>(_ count: Int, seed: UInt64, as _: T.Type = T.self) -> [T]
where T.RawSignificand: FixedWidthInteger {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in T.random(in: -1..<1, using: &rng) }
}

/// `count` complex values with parts uniform in [-1, 1).
func randomComplex(_ count: Int, seed: UInt64) -> [Complex<Double>] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        Complex(Double.random(in: -1..<1, using: &rng), Double.random(in: -1..<1, using: &rng))
    }
}

/// The largest `|a[i] - b[i]|`.
func maxAbsDifference<T: BinaryFloatingPoint>(_ a: some Collection<T>, _ b: some Collection<T>) -> T {
    precondition(a.count == b.count, "compared collections differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).reduce(T.zero) { Swift.max($0, abs($1.0 - $1.1)) }
}

/// The product of a shape's extents.
func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

/// Principal complex square root (for analytic 2x2 eigenvalues).
func squareRoot(_ z: Complex<Double>) -> Complex<Double> {
    let r = z.length
    let re = ((r + z.re) / 2).squareRoot()
    let im = ((r - z.re) / 2).squareRoot()
    return Complex(re, z.im < 0 ? -im : im)
}
