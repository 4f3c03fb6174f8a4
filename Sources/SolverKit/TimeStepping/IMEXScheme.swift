/// An implicit-explicit (IMEX) time scheme for `du/dt = F(t, u) + L u`, with the stiff linear part `L`
/// (viscosity, drag) treated by Crank-Nicolson and the rest (advection, forcing) explicitly, as data.
///
/// Two families cover the schemes the solvers need:
///
/// - **Low-storage Runge-Kutta / Crank-Nicolson** (the form jax-cfd and Spalart, Moser and Rogers, J. Comput.
///   Phys. 96, 1991, use). With stage coefficients `alpha` (times, `alpha_0 = 0`, `alpha_s = 1`), `beta` and
///   `gamma`, each stage `k = 0..<s` does
///   `h = F(t + alpha_k dt, u) + beta_k h`, `mu = dt (alpha_{k+1} - alpha_k) / 2`,
///   `u = (I - mu L)^{-1} (u + gamma_k dt h + mu L u)`.
///   With `L = 0` this is Williamson's 2N-storage explicit Runge-Kutta scheme; each stage applies Crank-Nicolson
///   over its own sub-interval to `L`.
/// - **Crank-Nicolson / Adams-Bashforth 2** (CNAB2): `u^{n+1} = (I - dt/2 L)^{-1} (u^n + dt/2 L u^n +
///   dt ((1 + w/2) F^n - (w/2) F^{n-1}))` with `w = dt_n / dt_{n-1}`; the first step uses `F^0` alone.
///
/// Orders: ``explicitOrder`` is the order of the explicit part for `L = 0`; ``implicitOrder`` the order for
/// `F = 0` (2 for every scheme here: Crank-Nicolson).
public struct IMEXScheme: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case lowStorageRungeKutta(alpha: [Double], beta: [Double], gamma: [Double])
        case adamsBashforth2
    }

    /// Name used in case files.
    public let name: String
    public let family: Family
    public let explicitOrder: Int
    public let implicitOrder: Int

    /// - Precondition: for the Runge-Kutta family, `alpha` has one entry more than `beta` and `gamma`, starts at 0
    ///   and ends at 1.
    public init(name: String, family: Family, explicitOrder: Int, implicitOrder: Int = 2) {
        if case .lowStorageRungeKutta(let alpha, let beta, let gamma) = family {
            precondition(alpha.count == beta.count + 1 && beta.count == gamma.count && !beta.isEmpty,
                         "\(name): alpha needs one entry more than beta and gamma")
            precondition(alpha.first == 0 && abs((alpha.last ?? 0) - 1) < 1e-14, "\(name): alpha must run from 0 to 1")
        }
        self.name = name
        self.family = family
        self.explicitOrder = explicitOrder
        self.implicitOrder = implicitOrder
    }

    /// Evaluations of `F` per step.
    public var stages: Int {
        switch family {
        case .lowStorageRungeKutta(_, let beta, _): beta.count
        case .adamsBashforth2: 1
        }
    }

    public var description: String {
        "\(name) (\(stages) stage\(stages == 1 ? "" : "s"), explicit order \(explicitOrder), implicit order \(implicitOrder))"
    }

    /// Crank-Nicolson on `L`, forward Euler on `F`: the FNO Navier-Stokes generator's scheme,
    /// `u^{n+1} = ((1 + dt/2 L) u^n + dt F^n) / (1 - dt/2 L)` for diagonal `L`.
    public static let crankNicolsonEuler = IMEXScheme(
        name: "cn-euler", family: .lowStorageRungeKutta(alpha: [0, 1], beta: [0], gamma: [1]), explicitOrder: 1)

    /// Crank-Nicolson / Adams-Bashforth 2 (explicit order 2).
    public static let crankNicolsonAB2 = IMEXScheme(name: "cnab2", family: .adamsBashforth2, explicitOrder: 2)

    /// Crank-Nicolson with Williamson's low-storage RK3 (J. Comput. Phys. 35, 1980, case 7), the scheme of
    /// Spalart, Moser and Rogers (1991): `alpha = [0, 1/3, 3/4, 1]`, `beta = [0, -5/9, -153/128]`,
    /// `gamma = [1/3, 15/16, 8/15]`. Explicit order 3.
    public static let crankNicolsonRK3 = IMEXScheme(
        name: "cn-rk3",
        family: .lowStorageRungeKutta(alpha: [0, 1.0 / 3, 3.0 / 4, 1], beta: [0, -5.0 / 9, -153.0 / 128],
                                      gamma: [1.0 / 3, 15.0 / 16, 8.0 / 15]),
        explicitOrder: 3)

    /// Crank-Nicolson with the five-stage, fourth-order 2N-storage Runge-Kutta scheme of Carpenter and Kennedy
    /// (NASA TM-109112, 1994, solution 3), jax-cfd's `crank_nicolson_rk4` for Kolmogorov flow. The coefficients are
    /// the paper's rationals. Explicit order 4.
    public static let crankNicolsonRK4 = IMEXScheme(
        name: "cn-rk4",
        family: .lowStorageRungeKutta(
            alpha: [0, 1432997174477.0 / 9575080441755, 2526269341429.0 / 6820363962896,
                    2006345519317.0 / 3224310063776, 2802321613138.0 / 2924317926251, 1],
            beta: [0, -567301805773.0 / 1357537059087, -2404267990393.0 / 2016746695238,
                   -3550918686646.0 / 2091501179385, -1275806237668.0 / 842570457699],
            gamma: [1432997174477.0 / 9575080441755, 5161836677717.0 / 13612068292357,
                    1720146321549.0 / 2090206949498, 3134564353537.0 / 4481467310338,
                    2277821191437.0 / 14882151754819]),
        explicitOrder: 4)

    /// Every built-in IMEX scheme.
    public static let all: [IMEXScheme] = [.crankNicolsonEuler, .crankNicolsonAB2, .crankNicolsonRK3, .crankNicolsonRK4]

    /// The built-in scheme called `name`, if any.
    public static func named(_ name: String) -> IMEXScheme? { all.first { $0.name == name } }
}
