import Foundation

/// A Navier-Stokes case that cannot be run, with a message naming the offending values.
public struct NS2DError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case invalidCase, unstableStep, initialCondition }
    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// A value of the case or its parameters is out of range.
    public static func invalidCase(_ text: String) -> NS2DError { NS2DError(.invalidCase, text) }

    /// The step size is too large for the initial flow.
    public static func unstableStep(dt: Double, stable: Double, viscosity: Double, points: Int, speed: Double) -> NS2DError {
        NS2DError(.unstableStep, "dt \(dt) exceeds the stable step \(String(format: "%.3g", stable)) for nu=\(viscosity) on \(points)x\(points) (initial max speed \(String(format: "%.3g", speed)), Courant number 1)")
    }

    /// The initial condition cannot be built (a file array of the wrong shape, non-finite values...).
    public static func initialCondition(_ text: String) -> NS2DError { NS2DError(.initialCondition, text) }

    public var isUnstableStep: Bool { code == .unstableStep }
}
