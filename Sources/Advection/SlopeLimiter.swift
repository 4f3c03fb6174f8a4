/// Slope limiters for MUSCL reconstruction: the limited slope (times the cell width) from the backward and
/// forward differences `a = q_i - q_{i-1}`, `b = q_{i+1} - q_i`.
///
/// Each returns 0 unless `a` and `b` have the same sign, and otherwise a value of that sign with magnitude at most
/// `2 min(|a|, |b|)` (Sweby's TVD region). So the face values `q_i +- s/2` lie between `q_i` and its neighbours,
/// which is what keeps the finite-volume update free of new extrema under the Courant limit.
public enum SlopeLimiter: String, Codable, Sendable, Hashable, CaseIterable {
    /// `minmod(a, b)`: the smallest slope; most diffusive.
    case minmod
    /// van Leer's harmonic mean `2ab / (a + b)`: smooth.
    case vanLeer = "van-leer"
    /// Monotonised central `minmod(2a, (a + b)/2, 2b)` (van Leer 1977): sharp, second order on smooth data.
    case monotonizedCentral = "mc"
    /// Roe's superbee `max(minmod(2a, b), minmod(a, 2b))`: the most compressive.
    case superbee

    /// The limited slope.
    @inlinable
    public func slope(_ a: Double, _ b: Double) -> Double {
        guard a * b > 0 else { return 0 }
        let s: Double = a > 0 ? 1 : -1
        let x = abs(a), y = abs(b)
        switch self {
        case .minmod: return s * min(x, y)
        case .vanLeer: return 2 * a * b / (a + b)
        case .monotonizedCentral: return s * min(2 * x, 2 * y, 0.5 * (x + y))
        case .superbee: return s * max(min(2 * x, y), min(x, 2 * y))
        }
    }
}
