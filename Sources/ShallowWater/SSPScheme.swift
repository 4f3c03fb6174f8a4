/// Strong-stability-preserving Runge-Kutta schemes in Shu-Osher form, as data: stage `k` is
/// `U_{k+1} = a_k U^n + (1 - a_k) (U_k + dt L(U_k))`, `U_0 = U^n`. Each stage is a convex combination of forward-Euler
/// steps, so positivity of the depth under the forward-Euler CFL carries over.
public struct SSPScheme: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// `a_k` of each stage.
    public let weights: [Double]

    public static let euler = SSPScheme(name: "euler", weights: [0])
    /// Heun's method (SSP-RK2).
    public static let rk2 = SSPScheme(name: "ssp-rk2", weights: [0, 0.5])
    /// Shu-Osher SSP-RK3.
    public static let rk3 = SSPScheme(name: "ssp-rk3", weights: [0, 0.75, 1.0 / 3.0])
    public static let all: [SSPScheme] = [.euler, .rk2, .rk3]

    public static func named(_ name: String) -> SSPScheme? { all.first { $0.name == name } }
    public var description: String { name }
}
