/// An explicit Runge-Kutta method as data (Dedalus registers its schemes the same way), so tests and solvers can
/// loop over every scheme.
///
/// For `y' = F(t, y)` and a step `dt`, stage `i` evaluates `k_i = F(t + c_i dt, y + dt sum_{j<i} a_ij k_j)` and the
/// step ends at `y + dt sum_i b_i k_i`. The tableau is strictly lower triangular (explicit); `a[i]` has `i` entries.
/// Consistency (`sum_i b_i = 1`, `c_i = sum_j a_ij`) is checked when a tableau is built.
public struct ButcherTableau: Sendable, Hashable, CustomStringConvertible {
    /// Name used in case files (`rk4`, `ssp-rk3`, ...).
    public let name: String
    /// Stage coefficients: row `i` holds `a_i0 ... a_i(i-1)`.
    public let a: [[Double]]
    /// Weights of the stage tendencies in the update.
    public let b: [Double]
    /// Stage times as fractions of the step.
    public let c: [Double]
    /// Classical order of accuracy for smooth problems.
    public let order: Int
    /// Whether the scheme is a convex combination of forward-Euler steps (strong-stability preserving, SSP
    /// coefficient 1): it keeps any bound that forward Euler keeps under the same step limit.
    public let isStrongStabilityPreserving: Bool

    /// - Precondition: the rows are strictly lower triangular, `b` and `c` have one entry per stage,
    ///   `sum b = 1` and `c_i = sum_j a_ij` to 1e-14.
    public init(name: String, a: [[Double]], b: [Double], order: Int, ssp: Bool = false) {
        precondition(!b.isEmpty && a.count == b.count, "\(name): \(a.count) stage rows for \(b.count) weights")
        for (i, row) in a.enumerated() {
            precondition(row.count == i, "\(name): row \(i) has \(row.count) coefficients, expected \(i)")
        }
        precondition(abs(b.reduce(0, +) - 1) < 1e-14, "\(name): weights sum to \(b.reduce(0, +)), not 1")
        self.name = name
        self.a = a
        self.b = b
        self.c = a.map { $0.reduce(0, +) }
        self.order = order
        self.isStrongStabilityPreserving = ssp
    }

    /// Number of stages (evaluations of `F` per step).
    public var stages: Int { b.count }

    public var description: String { "\(name) (\(stages) stages, order \(order))" }

    /// Forward Euler: `y + dt F(t, y)`. Order 1.
    public static let forwardEuler = ButcherTableau(name: "euler", a: [[]], b: [1], order: 1, ssp: true)

    /// Heun's method, the optimal two-stage SSP scheme (Shu and Osher 1988). Order 2.
    public static let sspRK2 = ButcherTableau(name: "ssp-rk2", a: [[], [1]], b: [0.5, 0.5], order: 2, ssp: true)

    /// The optimal three-stage, third-order SSP scheme of Shu and Osher (J. Comput. Phys. 77, 1988), in Butcher
    /// form: `a = [[], [1], [1/4, 1/4]]`, `b = [1/6, 1/6, 2/3]`. Order 3, SSP coefficient 1.
    public static let sspRK3 = ButcherTableau(
        name: "ssp-rk3", a: [[], [1], [0.25, 0.25]], b: [1.0 / 6, 1.0 / 6, 2.0 / 3], order: 3, ssp: true)

    /// The classical fourth-order Runge-Kutta method (Kutta 1901). Order 4.
    public static let rk4 = ButcherTableau(
        name: "rk4", a: [[], [0.5], [0, 0.5], [0, 0, 1]], b: [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6], order: 4)

    /// Every built-in explicit scheme.
    public static let all: [ButcherTableau] = [.forwardEuler, .sspRK2, .sspRK3, .rk4]

    /// The built-in scheme called `name`, if any.
    public static func named(_ name: String) -> ButcherTableau? { all.first { $0.name == name } }
}
