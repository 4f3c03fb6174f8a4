#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A monitor function `m(x) > 0`: the mesh density the Monge-Ampere mover equidistributes.
public typealias MonitorFunction = @Sendable (SIMD2<Double>) -> Double

public enum Monitors {
    /// The ring of movement's demo: `m = 1 + a / cosh^2(b (|x - c|^2 - r^2))`. movement's `monge_ampere1.py` uses
    /// `a = 20, b = 200, c = (0.5, 0.5)` and `r^2 = gamma = 0.15`.
    public static func ring(centre: SIMD2<Double> = SIMD2(0.5, 0.5), radiusSquared: Double = 0.15,
                            amplitude: Double = 20, sharpness: Double = 200) -> MonitorFunction {
        { x in
            let d = x - centre
            let c = cosh(sharpness * ((d * d).sum() - radiusSquared))
            return 1 + amplitude / (c * c)
        }
    }
}
