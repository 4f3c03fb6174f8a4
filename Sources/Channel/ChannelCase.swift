import SluiceModel
import SolverKit

/// A channel-flow case file (solvers/channel/*.yaml, schema schemas/config/channel-case.schema.json). Units are
/// the friction velocity `u_tau` and half-height `h`, so `nu = 1 / re_tau` and `-dP/dx = 1` (pressure-gradient
/// driving), or the bulk velocity is held at `bulk_velocity` (flow-rate driving).
public struct ChannelCase: Codable, Sendable, Hashable {
    /// Always `channel`.
    public var solver: String
    public var name: String
    public var description: String?
    public var parameters: ChannelParameters
    public var grid: Grid
    /// `pressure_gradient` (default) or `flow_rate`.
    public var driving: Driving?
    public var time: Time
    public var initialCondition: InitialCondition
    public var statistics: Statistics?
    public var checkpoint: Checkpoint?
    public var output: Output

    /// An exact-restart file (HDF5, written by the runtime) every `every` steps and at the end, at `path`.
    public struct Checkpoint: Codable, Sendable, Hashable {
        public var every: Int
        public var path: String
        public init(every: Int, path: String) { self.every = every; self.path = path }
    }

    /// `nx x ny x nz` on `lx x 2 x lz`; `ny` Chebyshev-Gauss-Lobatto points.
    public struct Grid: Codable, Sendable, Hashable {
        public var nx: Int
        public var ny: Int
        public var nz: Int
        public var lx: Double
        public var lz: Double
        public init(nx: Int, ny: Int, nz: Int, lx: Double, lz: Double) {
            self.nx = nx; self.ny = ny; self.nz = nz; self.lx = lx; self.lz = lz
        }
    }

    public enum Driving: String, Codable, Sendable, Hashable {
        case pressureGradient = "pressure_gradient"
        case flowRate = "flow_rate"
    }

    /// `dt` is the initial and largest step; with `cfl` the step follows the Courant number. The run is `steps`
    /// long (`end_time` is converted with the initial `dt`, so a CFL run may end earlier or later in time).
    public struct Time: Codable, Sendable, Hashable {
        public var dt: Double
        public var cfl: Double?
        public var steps: Int?
        public var endTime: Double?
        public init(dt: Double, cfl: Double? = nil, steps: Int? = nil, endTime: Double? = nil) {
            self.dt = dt; self.cfl = cfl; self.steps = steps; self.endTime = endTime
        }
    }

    public struct InitialCondition: Codable, Sendable, Hashable {
        public enum Kind: String, Codable, Sendable, Hashable {
            /// Laminar Poiseuille flow of the driving, no perturbation.
            case laminar
            /// Reichardt's turbulent mean profile at `re_tau` plus random solenoidal perturbations (`perturbation`,
            /// `seed`): trips turbulence within a few `h / u_tau`.
            case turbulent
            /// Laminar flow plus the same random perturbations.
            case perturbedLaminar = "perturbed-laminar"
            /// A checkpoint file (`path`, relative to the case file) of the same grid: the run continues bit for
            /// bit from its step (`time.steps` counts from the original step 0).
            case restart
        }
        public var kind: Kind
        public var path: String?
        public init(kind: Kind, path: String? = nil) { self.kind = kind; self.path = path }
    }

    /// In-flight statistics: a sample every `every` steps once `start_time` is reached, written by the runtime to
    /// `path` (HDF5, relative to the working directory) every `write_every` steps and at the end.
    public struct Statistics: Codable, Sendable, Hashable {
        public var every: Int
        public var startTime: Double?
        public var path: String?
        public var writeEvery: Int?
        public init(every: Int, startTime: Double? = nil, path: String? = nil, writeEvery: Int? = nil) {
            self.every = every; self.startTime = startTime; self.path = path; self.writeEvery = writeEvery
        }
    }

    /// Snapshots on a coarse grid: spectral truncation to `nx x nz` modes in x and z and Chebyshev interpolation
    /// to `ny` Gauss-Lobatto points in y (IFactFormer-m: 32 x 33 x 16). Arrays are `[x][y][z]`, y ascending.
    public struct Output: Codable, Sendable, Hashable {
        public var every: ScheduleSpec
        public var includeInitial: Bool?
        public var grid: OutputGrid?
        public var fields: [Field]
        public var dtype: DType?
        public init(every: ScheduleSpec, includeInitial: Bool? = nil, grid: OutputGrid? = nil, fields: [Field], dtype: DType? = nil) {
            self.every = every; self.includeInitial = includeInitial; self.grid = grid; self.fields = fields; self.dtype = dtype
        }
    }

    public struct OutputGrid: Codable, Sendable, Hashable {
        public var nx: Int
        public var ny: Int
        public var nz: Int
        public init(nx: Int, ny: Int, nz: Int) { self.nx = nx; self.ny = ny; self.nz = nz }
    }

    public enum Field: String, Codable, Sendable, Hashable, CaseIterable {
        case velocityX = "velocity_x"
        case velocityY = "velocity_y"
        case velocityZ = "velocity_z"
        /// Kinematic pressure fluctuation (``ChannelFlow/pressureSpectrum()``); costs one extra product pass.
        case pressure
    }

    public init(solver: String = "channel", name: String, description: String? = nil, parameters: ChannelParameters,
                grid: Grid, driving: Driving? = nil, time: Time, initialCondition: InitialCondition,
                statistics: Statistics? = nil, checkpoint: Checkpoint? = nil, output: Output) {
        self.solver = solver; self.name = name; self.description = description; self.parameters = parameters
        self.grid = grid; self.driving = driving; self.time = time; self.initialCondition = initialCondition
        self.statistics = statistics; self.checkpoint = checkpoint; self.output = output
    }

    /// The numerical configuration of this case (wall units).
    public func configuration() -> ChannelConfiguration {
        let p = parameters
        let drive: ChannelConfiguration.Driving = (driving ?? .pressureGradient) == .pressureGradient
            ? .pressureGradient(1) : .flowRate(p.bulkVelocity)
        return ChannelConfiguration(nx: grid.nx, ny: grid.ny, nz: grid.nz, lx: grid.lx, lz: grid.lz,
                                    viscosity: 1 / p.reTau, driving: drive, timeStep: time.dt, courant: time.cfl)
    }
}

/// The study variables of a channel member.
public struct ChannelParameters: Codable, Sendable, Hashable {
    /// Friction Reynolds number `u_tau h / nu` (nominal: the flow-rate driving sets `U_b` instead).
    public var reTau = 180.0
    /// Bulk velocity in units of `u_tau` for `driving: flow_rate` (MKM Re_tau 180: 15.63).
    public var bulkVelocity = 15.63
    /// Amplitude of the initial random perturbations (units of `u_tau`).
    public var perturbation = 2.0
    /// Seed of the perturbations; member K uses `seed + K` unless `--set seed=` is given.
    public var seed: UInt64 = 0

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reTau = try c.decodeIfPresent(Double.self, forKey: .reTau) ?? reTau
        bulkVelocity = try c.decodeIfPresent(Double.self, forKey: .bulkVelocity) ?? bulkVelocity
        perturbation = try c.decodeIfPresent(Double.self, forKey: .perturbation) ?? perturbation
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
    }
}
