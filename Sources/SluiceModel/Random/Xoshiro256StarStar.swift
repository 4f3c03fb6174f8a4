/// xoshiro256**, a small, fast, statistically strong generator with a period of 2^256 - 1.
///
/// Sluice uses it wherever a run must replay from a seed (reservoir draws and evictions, designs of experiments):
/// the stream depends only on the seed, never on the platform, the process or the Swift version.
/// `init(seed:)` expands a `UInt64` into the 256-bit state with ``SplitMix64``, as the authors recommend, so nearby
/// seeds give unrelated streams and the state is never all zero.
///
/// Not cryptographically secure.
///
/// Reference: D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators",
/// ACM Transactions on Mathematical Software 47(4), 2021; reference C code at https://prng.di.unimi.it/xoshiro256starstar.c.
/// From the state (1, 2, 3, 4) the first outputs are 11520, 0, 1509978240, 1215971899390074240.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose stream is fully determined by `seed` (state = four outputs of `SplitMix64(seed:)`).
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// A generator started from an explicit 256-bit state, as in the reference code's `s[0...3]`.
    ///
    /// - Precondition: the state is not all zero (the one state the generator never leaves).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** cannot start from the all-zero state")
        (s0, s1, s2, s3) = state
    }

    /// The current 256-bit state, `s[0...3]` in the reference code.
    public var state: (UInt64, UInt64, UInt64, UInt64) { (s0, s1, s2, s3) }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
