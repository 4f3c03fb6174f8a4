import SluiceModel
import SolverKit

/// A 2-D scalar advection case file (solvers/advection/*.yaml, schema schemas/config/advection-case.schema.json):
/// `dq/dt + div(u q) = 0` on a periodic square with a prescribed, divergence-free velocity field.
public struct AdvectionCase: Codable, Sendable, Hashable {
    /// Always `advection`.
    public var solver: String
    public var name: String
    public var description: String?
    public var parameters: AdvectionParameters
    public var grid: Grid
    public var flow: Flow
    public var initialCondition: InitialShape
    public var scheme: Scheme
    public var time: Time
    public var output: Output

    /// `points` x `points` cells (finite volume) or points (spectral) on `[0, length)^2`; `length` defaults to 1.
    public struct Grid: Codable, Sendable, Hashable {
        public var points: Int
        public var length: Double
        public init(points: Int, length: Double = 1) {
            self.points = points
            self.length = length
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            points = try c.decode(Int.self, forKey: .points)
            length = try c.decodeIfPresent(Double.self, forKey: .length) ?? 1
        }
    }

    public enum Flow: String, Codable, Sendable, Hashable, CaseIterable {
        /// `u = (u0, v0)`.
        case translation
        /// Solid-body rotation `u = Omega (-(y - yc), x - xc)`.
        case rotation
        /// LeVeque's swirling deformation flow `u = sin^2(pi x) sin(2 pi y) g(t)`,
        /// `v = -sin^2(pi y) sin(2 pi x) g(t)`, `g = cos(pi t / T)` (coordinates scaled by the domain length).
        case swirl
    }

    public enum InitialShape: String, Codable, Sendable, Hashable, CaseIterable {
        /// `A exp(-r^2 / (2 w^2))`.
        case gaussian
        /// `A (1 + cos(pi min(r / r0, 1))) / 2`.
        case cosineHump = "cosine-hump"
        /// `A max(0, 1 - r / r0)`.
        case cone
        /// Zalesak's slotted cylinder: `A` inside the disc of radius `r0` except a slot of width `slot_width` cut
        /// from the disc's bottom up to `slot_length`; 0 elsewhere.
        case slottedCylinder = "slotted-cylinder"
    }

    /// The spatial discretisation and its time stepper.
    public struct Scheme: Codable, Sendable, Hashable {
        public enum Method: String, Codable, Sendable, Hashable {
            /// Conservative finite volume: limited MUSCL reconstruction, upwind fluxes on exactly
            /// divergence-free face velocities.
            case finiteVolume = "finite-volume"
            /// Fourier pseudo-spectral on the conservative form, 2/3 dealiasing (periodic flows only).
            case spectral
        }
        public var method: Method
        /// Slope limiter for finite volume: minmod, van-leer, mc (default), superbee.
        public var limiter: SlopeLimiter?
        /// A ``ButcherTableau`` name (default ssp-rk3 for finite volume, rk4 for spectral).
        public var timeStepper: String?
        /// Courant number `dt * max(|u| + |v|) / h` (default 0.4 finite volume, 0.5 spectral).
        public var courant: Double?
        public init(method: Method, limiter: SlopeLimiter? = nil, timeStepper: String? = nil, courant: Double? = nil) {
            self.method = method
            self.limiter = limiter
            self.timeStepper = timeStepper
            self.courant = courant
        }
    }

    /// Run length: `end_time` (the step is shortened so that a whole number of steps ends exactly there) or `steps`.
    public struct Time: Codable, Sendable, Hashable {
        public var endTime: Double?
        public var steps: Int?
        public init(endTime: Double? = nil, steps: Int? = nil) {
            self.endTime = endTime
            self.steps = steps
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var every: ScheduleSpec
        public var includeInitial: Bool?
        /// Fields: `tracer` (the scalar), `velocity_x`, `velocity_y` (the flow at the output points).
        public var fields: [Field]?
        public var dtype: DType?
        public init(every: ScheduleSpec, includeInitial: Bool? = nil, fields: [Field]? = nil, dtype: DType? = nil) {
            self.every = every
            self.includeInitial = includeInitial
            self.fields = fields
            self.dtype = dtype
        }
    }

    public enum Field: String, Codable, Sendable, Hashable, CaseIterable {
        case tracer
        case velocityX = "velocity_x"
        case velocityY = "velocity_y"
    }

    public init(solver: String = "advection", name: String, description: String? = nil,
                parameters: AdvectionParameters, grid: Grid, flow: Flow, initialCondition: InitialShape,
                scheme: Scheme, time: Time, output: Output) {
        self.solver = solver
        self.name = name
        self.description = description
        self.parameters = parameters
        self.grid = grid
        self.flow = flow
        self.initialCondition = initialCondition
        self.scheme = scheme
        self.time = time
        self.output = output
    }
}
