import Foundation

/// The prescribed velocity of an advection case, from a stream function `psi` (`u = d psi/dy`, `v = -d psi/dx`)
/// times a time factor `g(t)`:
///
/// - translation: `psi = u0 y - v0 x`, `g = 1`;
/// - rotation: `psi = -(Omega / 2) ((x - xc)^2 + (y - yc)^2)`, `g = 1`;
/// - swirl (LeVeque, SIAM J. Numer. Anal. 33, 1996): `psi = (L / pi) sin^2(pi x / L) sin^2(pi y / L)`,
///   `g = cos(pi t / T)`, so `u = sin^2(pi x/L) sin(2 pi y/L) g`, `v = -sin^2(pi y/L) sin(2 pi x/L) g`.
///
/// **Face velocities** for finite volumes are differences of `psi` between a face's end points divided by the face
/// length: the exact face-averaged normal velocity, and discretely divergence-free to rounding in every cell
/// whose corners' `psi` values are consistent: all cells for translation and swirl (`psi` periodic or linear);
/// for rotation all cells except the boundary ones, where `psi` is not periodic (initial shapes kept inside the
/// rotation disc never reach them).
struct VelocityField {
    let flow: AdvectionCase.Flow
    let parameters: AdvectionParameters
    let length: Double

    /// Whether `u` is periodic and smooth on the torus (spectral schemes need it).
    var isPeriodic: Bool { flow != .rotation }

    /// `g(t)`.
    func timeFactor(_ t: Double) -> Double {
        flow == .swirl ? cos(Double.pi * t / parameters.swirlPeriod) : 1
    }

    func streamFunction(_ x: Double, _ y: Double) -> Double {
        let p = parameters
        switch flow {
        case .translation: return p.velocityX * y - p.velocityY * x
        case .rotation:
            let dx = x - p.rotationCentreX, dy = y - p.rotationCentreY
            return -0.5 * p.angularVelocity * (dx * dx + dy * dy)
        case .swirl:
            let sx = sin(Double.pi * x / length), sy = sin(Double.pi * y / length)
            return length / Double.pi * sx * sx * sy * sy
        }
    }

    /// The velocity at a point for `g = 1`.
    func pointVelocity(_ x: Double, _ y: Double) -> (u: Double, v: Double) {
        let p = parameters
        switch flow {
        case .translation: return (p.velocityX, p.velocityY)
        case .rotation: return (-p.angularVelocity * (y - p.rotationCentreY), p.angularVelocity * (x - p.rotationCentreX))
        case .swirl:
            let a = Double.pi / length
            let sx = sin(a * x), sy = sin(a * y)
            return (sx * sx * sin(2 * a * y), -sy * sy * sin(2 * a * x))
        }
    }

    /// Normal velocities (for `g = 1`) on the faces of an `n` x `n` cell grid of width `h`, row-major by cell:
    /// `u[i n + j]` on the face `x = i h` (left of cell (i, j)), `v[i n + j]` on the face `y = j h` (below it).
    func faceVelocities(cells n: Int) -> (u: [Double], v: [Double]) {
        let h = length / Double(n)
        var u = Array(repeating: 0.0, count: n * n), v = Array(repeating: 0.0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let x = Double(i) * h, y = Double(j) * h
                if flow == .translation {
                    u[i * n + j] = parameters.velocityX
                    v[i * n + j] = parameters.velocityY
                } else {
                    u[i * n + j] = (streamFunction(x, y + h) - streamFunction(x, y)) / h
                    v[i * n + j] = -(streamFunction(x + h, y) - streamFunction(x, y)) / h
                }
            }
        }
        return (u, v)
    }
}
