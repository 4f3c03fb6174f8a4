import SluiceModel
import SolverKit

/// A 2-D Navier-Stokes case file (solvers/ns2d/*.yaml, schema schemas/config/ns2d-case.schema.json): the
/// equations' setup, the study parameters' defaults, the grid, time stepping and output. Keys are snake_case in
/// files. Build a simulation from it with ``VorticitySimulation/init(case:initialVorticity:rigor:)``.
public struct NS2DCase: Codable, Sendable, Hashable {
    /// Always `ns2d`: the solver registry's name for this solver.
    public var solver: String
    /// Short case name (goes into logs and dry-run plans).
    public var name: String
    public var description: String?
    /// Defaults of the study variables.
    public var parameters: NS2DParameters
    public var grid: Grid
    public var time: Time
    /// Vorticity forcing: `fno`, `kolmogorov` or `none`.
    public var forcing: Forcing
    public var initialCondition: InitialCondition
    public var output: Output

    /// A square periodic box `[0, length)^2` with `points` points per axis.
    public struct Grid: Codable, Sendable, Hashable {
        public var points: Int
        public var length: Double
        public init(points: Int, length: Double) {
            self.points = points
            self.length = length
        }
    }

    /// Time stepping: a scheme name (``IMEXScheme/named(_:)``), a step size given directly (`dt`) or by a CFL
    /// rule (`cfl`), and the run length (`end_time` or `steps`).
    public struct Time: Codable, Sendable, Hashable {
        public var scheme: String
        public var dt: Double?
        public var cfl: CFL?
        public var endTime: Double?
        public var steps: Int?
        public init(scheme: String, dt: Double? = nil, cfl: CFL? = nil, endTime: Double? = nil, steps: Int? = nil) {
            self.scheme = scheme
            self.dt = dt
            self.cfl = cfl
            self.endTime = endTime
            self.steps = steps
        }
    }

    /// jax-cfd's `stable_time_step`: `dt = min(courant * dx / max_velocity, dx^2 / (nu 2^d))`.
    public struct CFL: Codable, Sendable, Hashable {
        public var courant: Double
        public var maxVelocity: Double
        public init(courant: Double, maxVelocity: Double) {
            self.courant = courant
            self.maxVelocity = maxVelocity
        }
    }

    public enum Forcing: String, Codable, Sendable, Hashable, CaseIterable {
        /// `f = A (sin(2 pi (x + y) / L) + cos(2 pi (x + y) / L))` (FNO, A = 0.1).
        case fno
        /// Velocity forcing `A sin(kappa_f y)` along x, i.e. vorticity forcing `-A kappa_f cos(kappa_f y)`,
        /// `kappa_f = 2 pi k_f / L` (jax-cfd: A = 1, k_f = 4 on [0, 2 pi)).
        case kolmogorov
        case none
    }

    public struct InitialCondition: Codable, Sendable, Hashable {
        public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
            /// A Gaussian random field (parameters `seed`, `grf_alpha`, `grf_tau`, `grf_sigma`).
            case grf
            /// `omega = A cos(kappa x) cos(kappa y)`, `kappa = 2 pi m / L` (parameters `amplitude`, `wavenumber`).
            case taylorGreen = "taylor-green"
            /// `omega = A cos(kappa (x + y) + phase)` (parameters `amplitude`, `wavenumber`, `phase`).
            case singleMode = "single-mode"
            /// A 2-D dataset of an HDF5 file (`path`, relative to the case file; `dataset`, default `vorticity`;
            /// `index` selects a slice of a 3-D dataset along its first axis).
            case file
        }

        public var kind: Kind
        public var path: String?
        public var dataset: String?
        public var index: Int?
        public init(kind: Kind, path: String? = nil, dataset: String? = nil, index: Int? = nil) {
            self.kind = kind
            self.path = path
            self.dataset = dataset
            self.index = index
        }
    }

    /// What a snapshot holds and when one is taken.
    public struct Output: Codable, Sendable, Hashable {
        public var every: ScheduleSpec
        /// Whether the initial condition is the first snapshot (default true).
        public var includeInitial: Bool?
        /// Output points per axis (default: the simulation's); FNO publishes 64 from a 256 run.
        public var points: Int?
        /// How a coarser output grid is made: `subsample` (default) or `spectral`.
        public var resample: PeriodicResampler.Method?
        public var fields: [Field]
        /// Element type of the published fields (default f32).
        public var dtype: DType?
        public init(every: ScheduleSpec, includeInitial: Bool? = nil, points: Int? = nil,
                    resample: PeriodicResampler.Method? = nil, fields: [Field], dtype: DType? = nil) {
            self.every = every
            self.includeInitial = includeInitial
            self.points = points
            self.resample = resample
            self.fields = fields
            self.dtype = dtype
        }
    }

    /// Fields a snapshot can hold.
    public enum Field: String, Codable, Sendable, Hashable, CaseIterable {
        /// `omega = dv/dx - du/dy`.
        case vorticity
        /// `u = d psi / dy`.
        case velocityX = "velocity_x"
        /// `v = -d psi / dx`.
        case velocityY = "velocity_y"
        /// `psi` with `-Laplacian psi = omega`, zero mean.
        case streamFunction = "stream_function"
    }

    public init(solver: String = "ns2d", name: String, description: String? = nil, parameters: NS2DParameters,
                grid: Grid, time: Time, forcing: Forcing, initialCondition: InitialCondition, output: Output) {
        self.solver = solver
        self.name = name
        self.description = description
        self.parameters = parameters
        self.grid = grid
        self.time = time
        self.forcing = forcing
        self.initialCondition = initialCondition
        self.output = output
    }
}
