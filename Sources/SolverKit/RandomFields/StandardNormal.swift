import Foundation

extension RandomNumberGenerator {
    /// A double uniform on `[0, 1)` from the top 53 bits of one output: `(next() >> 11) * 2^-53`.
    /// Fixed here (rather than `Double.random(in:using:)`, whose algorithm is not part of its contract) so a
    /// seeded field replays bit for bit on every Swift version.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Two independent standard normal deviates by the Box-Muller transform (Box and Muller, Ann. Math. Stat.
    /// 29, 1958): `r = sqrt(-2 ln u1)`, `(r cos 2 pi u2, r sin 2 pi u2)` with `u1` in `(0, 1]`, `u2` in `[0, 1)`.
    /// Consumes exactly two outputs.
    @inlinable
    public mutating func nextStandardNormalPair() -> (Double, Double) {
        let u1 = 1 - nextUnitDouble()
        let u2 = nextUnitDouble()
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }
}
