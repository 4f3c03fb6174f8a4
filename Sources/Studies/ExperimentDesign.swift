import SluiceModel

/// How a study spreads its members over the parameter space: points in the unit hypercube [0, 1)^d, mapped to
/// parameter values by each parameter's distribution. Every design is reproducible from its seed.
public enum ExperimentDesign: String, Sendable, Codable, CaseIterable {
    /// Independent uniform draws.
    case random
    /// Latin hypercube: each dimension's n strata [k/n, (k+1)/n) hold exactly one point, placed uniformly within
    /// its stratum, the strata of different dimensions paired by independent random permutations (McKay, Beckman
    /// and Conover, 1979).
    case latinHypercube = "latin-hypercube"
    /// The Halton sequence in bases 2, 3, 5, 7, ... (radical inverses), a low-discrepancy sequence, skipping its
    /// first point (the origin), with a random shift modulo 1 (Cranley-Patterson) when the seed is not 0.
    case halton

    /// `count` points in [0, 1)^`dimensions`.
    public func points(count: Int, dimensions: Int, seed: UInt64) -> [[Double]] {
        precondition(count >= 0 && dimensions >= 0, "design sizes are validated by the study")
        var rng = Xoshiro256StarStar(seed: seed)
        switch self {
        case .random:
            return (0..<count).map { _ in (0..<dimensions).map { _ in rng.unitDouble() } }
        case .latinHypercube:
            var columns: [[Double]] = []
            for _ in 0..<dimensions {
                var strata = Array(0..<count)
                strata.shuffle(using: &rng)
                columns.append(strata.map { (Double($0) + rng.unitDouble()) / Double(count) })
            }
            return (0..<count).map { i in (0..<dimensions).map { columns[$0][i] } }
        case .halton:
            let shifts = (0..<dimensions).map { _ in seed == 0 ? 0 : rng.unitDouble() }
            return (0..<count).map { i in
                (0..<dimensions).map { d in
                    let v = Self.radicalInverse(i + 1, base: Self.primes[d % Self.primes.count]) + shifts[d]
                    return v >= 1 ? v - 1 : v
                }
            }
        }
    }

    /// The first primes, the Halton bases.
    static let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]

    /// The radical inverse of `index` in `base`: its digits mirrored about the radix point (1 in base 2 is 0.5, 2
    /// is 0.25, 3 is 0.75).
    public static func radicalInverse(_ index: Int, base: Int) -> Double {
        var i = index
        var result = 0.0
        var f = 1.0 / Double(base)
        while i > 0 {
            result += Double(i % base) * f
            i /= base
            f /= Double(base)
        }
        return result
    }
}

extension RandomNumberGenerator {
    /// A uniform double in [0, 1) with 53 random bits.
    mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
