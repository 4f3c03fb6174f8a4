/// SplitMix64, the 64-bit generator Vigna recommends for seeding the xoshiro family.
///
/// Each output is a bijective mix of a Weyl sequence `state += 0x9E3779B97F4A7C15`, so every seed, including 0,
/// gives a well-mixed, distinct stream. It is fast but its period is only 2^64; use it to expand a seed, and use
/// ``Xoshiro256StarStar`` for the numbers a simulation or a reservoir consumes.
///
/// Reference: G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
/// the constants are those of Vigna's `splitmix64.c` (https://prng.di.unimi.it/splitmix64.c).
/// With seed 0 the first output is 16294208416658607535 (0xE220A8397B1DCDAF).
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The Weyl-sequence state; the next output is a function of `state + 0x9E3779B97F4A7C15`.
    public private(set) var state: UInt64

    /// A generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
