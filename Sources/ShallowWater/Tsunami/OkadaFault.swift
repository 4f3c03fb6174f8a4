#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vertical sea-floor displacement of a rectangular fault in an elastic half-space (Okada, BSSA 75:1135, 1985,
/// surface displacements, Chinnery's notation), used as the initial free-surface displacement of a tsunami (the
/// water column rises with the sea floor).
///
/// Geometry as in Beauducel's `okada85`: the fault's centroid lies at `depth` below the point `centre`; `strike` is
/// measured clockwise from north (+y), `dip` from the horizontal to the right of the strike direction, `rake`
/// counter-clockwise from the strike direction in the fault plane (90 degrees: pure thrust). Poisson's ratio 0.25.
/// The core (``verticalDisplacement(x:y:d:dip:length:width:strikeSlip:dipSlip:)``, in Okada's own frame) reproduces
/// Okada's check list (Table 2, case 2: uz = -2.747e-3 strike-slip, -3.564e-2 dip-slip).
public struct OkadaFault: Sendable, Hashable {
    public var centre: SIMD2<Double>
    public var depth: Double
    public var strike: Double
    public var dip: Double
    public var rake: Double
    public var slip: Double
    public var length: Double
    public var width: Double
    public var poisson = 0.25

    public init(centre: SIMD2<Double>, depth: Double, strike: Double, dip: Double, rake: Double, slip: Double,
                length: Double, width: Double) {
        self.centre = centre; self.depth = depth; self.strike = strike; self.dip = dip; self.rake = rake
        self.slip = slip; self.length = length; self.width = width
    }

    /// Vertical displacement (m, up positive) at sea-floor point `p`.
    public func uplift(at p: SIMD2<Double>) -> Double {
        let s = strike * .pi / 180, dp = dip * .pi / 180, r = rake * .pi / 180
        let e = p.x - centre.x, n = p.y - centre.y
        // From the centroid to Okada's origin (the lower edge's start, at depth d).
        let d = depth + sin(dp) * width / 2
        let ec = e + cos(s) * cos(dp) * width / 2
        let nc = n - sin(s) * cos(dp) * width / 2
        let x = cos(s) * nc + sin(s) * ec + length / 2
        let y = sin(s) * nc - cos(s) * ec + cos(dp) * width
        return Self.verticalDisplacement(x: x, y: y, d: d, dip: dp, length: length, width: width,
                                         strikeSlip: cos(r) * slip, dipSlip: sin(r) * slip, poisson: poisson)
    }

    /// `u_z` at `(x, y)` in Okada's frame: the fault's lower edge runs along x from 0 to `length` at depth `d`,
    /// and the fault rises `width` up-dip at angle `dip` (radians).
    public static func verticalDisplacement(x: Double, y: Double, d: Double, dip: Double, length: Double, width: Double,
                                            strikeSlip: Double, dipSlip: Double, poisson: Double = 0.25) -> Double {
        let p = y * cos(dip) + d * sin(dip), q = y * sin(dip) - d * cos(dip)
        func chinnery(_ f: (Double, Double) -> Double) -> Double {
            f(x, p) - f(x, p - width) - f(x - length, p) + f(x - length, p - width)
        }
        let a = 1 - 2 * poisson
        let sd = sin(dip), cd = cos(dip)
        let vertical = abs(cd) < 1e-12
        func strike(_ xi: Double, _ eta: Double) -> Double {
            let r = (xi * xi + eta * eta + q * q).squareRoot(), db = eta * sd - q * cd
            let i4 = vertical ? -a * q / (r + db) : a / cd * (log(r + db) - sd * log(r + eta))
            return db * q / (r * (r + eta)) + q * sd / (r + eta) + i4 * sd
        }
        func dipSlipTerm(_ xi: Double, _ eta: Double) -> Double {
            let r = (xi * xi + eta * eta + q * q).squareRoot(), db = eta * sd - q * cd
            let xx = (xi * xi + q * q).squareRoot()
            let i5: Double
            if vertical {
                i5 = -a * xi * sd / (r + db)
            } else if xi == 0 {
                i5 = 0
            } else {
                i5 = a * 2 / cd * atan((eta * (xx + q * cd) + xx * (r + xx) * sd) / (xi * (r + xx) * cd))
            }
            let angle = q == 0 ? 0 : atan(xi * eta / (q * r))
            return db * q / (r * (r + xi)) + sd * angle - i5 * sd * cd
        }
        return -strikeSlip / (2 * .pi) * chinnery(strike) - dipSlip / (2 * .pi) * chinnery(dipSlipTerm)
    }
}
