/// The numerical set-up of a channel run, independent of case files: grid, viscosity, driving, time step.
///
/// Walls at `y = -1` and `y = +1`, periodic in `x` (streamwise, length `lx`) and `z` (spanwise, length `lz`).
/// In wall units of a case (`u_tau`, `h`) the viscosity is `1 / Re_tau` and the mean pressure gradient is
/// `-dP/dx = 1`; the Orr-Sommerfeld checks use centreline units instead (`nu = 1 / Re`, `-dP/dx = 2 / Re`).
public struct ChannelConfiguration: Sendable, Hashable {
    /// Fourier modes in x (even; the Nyquist mode is kept at zero) and z.
    public var nx: Int
    public var nz: Int
    /// Chebyshev-Gauss-Lobatto points in y (`ny - 1` intervals; odd is conventional, e.g. 129).
    public var ny: Int
    public var lx: Double
    public var lz: Double
    /// Kinematic viscosity.
    public var viscosity: Double
    public var driving: Driving
    /// Initial (and largest) time step.
    public var timeStep: Double
    /// Target Courant number in spectral form, `dt pi max(|u|/dx + |v|/dy + |w|/dz)` (`dy` the local
    /// Gauss-Lobatto spacing); RK3 is stable below `sqrt(3)`. Nil keeps `timeStep` fixed.
    public var courant: Double?

    public enum Driving: Sendable, Hashable {
        /// Constant mean pressure gradient: `-dP/dx = value`, a body force along x.
        case pressureGradient(Double)
        /// Constant bulk velocity `(1/2) integral U dy = value`; the pressure gradient is solved for every stage.
        case flowRate(Double)
    }

    public init(nx: Int, ny: Int, nz: Int, lx: Double, lz: Double, viscosity: Double, driving: Driving,
                timeStep: Double, courant: Double? = nil) {
        self.nx = nx
        self.ny = ny
        self.nz = nz
        self.lx = lx
        self.lz = lz
        self.viscosity = viscosity
        self.driving = driving
        self.timeStep = timeStep
        self.courant = courant
    }

    func validate() throws(ChannelError) {
        guard nx >= 2, nx % 2 == 0, nz >= 2, nz % 2 == 0 else {
            throw .invalidCase("grid nx \(nx) and nz \(nz) must be even and >= 2")
        }
        guard ny >= 5 else { throw .invalidCase("grid ny \(ny) must be >= 5 Chebyshev points") }
        guard lx.isFinite, lx > 0, lz.isFinite, lz > 0 else { throw .invalidCase("box lx \(lx), lz \(lz) must be finite and positive") }
        guard viscosity.isFinite, viscosity > 0 else { throw .invalidCase("viscosity \(viscosity) must be finite and positive") }
        guard timeStep.isFinite, timeStep > 0 else { throw .invalidCase("time step \(timeStep) must be finite and positive") }
        if let c = courant, !(c.isFinite && c > 0 && c < 3) { throw .invalidCase("courant \(c) must be in (0, 3)") }
    }
}

/// The low-storage IMEX Runge-Kutta scheme of Spalart, Moser & Rogers (1991, J. Comput. Phys. 96), third order on
/// the explicit terms, Crank-Nicolson-like on the implicit ones. Stage `k`:
/// `u_{k+1} = u_k + dt (alpha_k L u_k + beta_k L u_{k+1} + gamma_k N(u_k) + zeta_k N(u_{k-1}))`.
public struct LowStorageRK3: Sendable, Hashable {
    public let alpha: [Double] = [29.0 / 96, -3.0 / 40, 1.0 / 6]
    public let beta: [Double] = [37.0 / 160, 5.0 / 24, 1.0 / 6]
    public let gamma: [Double] = [8.0 / 15, 5.0 / 12, 3.0 / 4]
    public let zeta: [Double] = [0, -17.0 / 60, -5.0 / 12]
    public var stages: Int { 3 }
    public init() {}
}
