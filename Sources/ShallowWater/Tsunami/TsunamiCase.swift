import Meshes
import SluiceModel
import SolverKit

/// A tsunami case file (solvers/tsunami/*.yaml, schema schemas/config/tsunami-case.schema.json): an ocean basin
/// with a continental slope, shelf and beach (or a Gmsh mesh and gridded bathymetry), an initial free-surface
/// source, tide gauges, and optional Monge-Ampere mesh movement. SI units: metres, seconds.
public struct TsunamiCase: Codable, Sendable, Hashable {
    /// Always `tsunami`.
    public var solver: String
    public var name: String
    public var description: String?
    public var parameters: TsunamiParameters
    public var mesh: MeshSpec
    public var bathymetry: BathymetrySpec
    public var source: SourceKind
    public var gauges: [Gauge]
    public var scheme: Scheme?
    public var movement: Movement?
    public var time: Time
    public var output: Output

    /// A structured `nx x ny` triangulation of `[0, length_x] x [0, length_y]` (west open, east coast, north and
    /// south walls), or a Gmsh `.msh` 4.1 file (`file`, relative to the case file) with physical boundary groups.
    public struct MeshSpec: Codable, Sendable, Hashable {
        public var nx: Int?
        public var ny: Int?
        public var lengthX: Double?
        public var lengthY: Double?
        public var file: String?
        public init(nx: Int? = nil, ny: Int? = nil, lengthX: Double? = nil, lengthY: Double? = nil, file: String? = nil) {
            self.nx = nx; self.ny = ny; self.lengthX = lengthX; self.lengthY = lengthY; self.file = file
        }
    }

    /// The shelf profile along x (``ShelfProfile``), an ``Expression`` of `x` and `y` (`expression`, bed elevation in
    /// metres), or a gridded HDF5 file: `file` (relative to the case file), `dataset` (2-D `[ny, nx]` bed elevation,
    /// negative below sea level), and its bounds.
    public struct BathymetrySpec: Codable, Sendable, Hashable {
        public var profile: ShelfProfile?
        public var expression: String?
        public var file: String?
        public var dataset: String?
        public var lowerX: Double?
        public var lowerY: Double?
        public var upperX: Double?
        public var upperY: Double?
        public init(profile: ShelfProfile? = nil, file: String? = nil, dataset: String? = nil) {
            self.profile = profile; self.file = file; self.dataset = dataset
        }
    }

    public enum SourceKind: String, Codable, Sendable, Hashable {
        /// `eta0 = A exp(-|x - c|^2 / (2 w^2))`.
        case gaussian
        /// A thrust-like uplift/subsidence pair: `A [exp(-q(x - c - d)) - 0.5 exp(-q(x - c + d))]` with
        /// `d = (w, 0)`, `q(r) = (r_x^2 + (r_y / elongation)^2) / (2 w^2)`: uplift landward, half-amplitude
        /// subsidence seaward (a cheap stand-in for a fault source).
        case dipole
        /// The sea-floor uplift of a rectangular fault (``OkadaFault``) centred below `(source_x, source_y)`:
        /// `fault_depth`, `strike`, `dip`, `rake`, `slip`, `fault_length`, `fault_width`.
        case okada
    }

    public struct Gauge: Codable, Sendable, Hashable {
        public var name: String
        public var x: Double
        public var y: Double
        public init(name: String, x: Double, y: Double) { self.name = name; self.x = x; self.y = y }
    }

    public struct Scheme: Codable, Sendable, Hashable {
        /// `euler`, `ssp-rk2` (default), `ssp-rk3`.
        public var timeStepper: String?
        /// On the in-radius (default 0.25, at most 0.5).
        public var courant: Double?
        public var secondOrder: Bool?
        public var dryDepth: Double?
    }

    /// Monge-Ampere movement every `every` macro steps (0 or absent: fixed mesh).
    public struct Movement: Codable, Sendable, Hashable {
        public var every: Int
        public var indicator: SolutionMonitor.Indicator?
        public var alpha: Double?
        public var smoothingPasses: Int?
        public var tolerance: Double?
        public var maxIterations: Int?
        public var pseudoTimestep: Double?
    }

    /// `dt` is the macro step (each one sub-cycles CFL-limited solver steps to land on it exactly); the run is
    /// `end_time` (a whole number of macro steps) or `steps`.
    public struct Time: Codable, Sendable, Hashable {
        public var dt: Double
        public var endTime: Double?
        public var steps: Int?
        public init(dt: Double, endTime: Double? = nil, steps: Int? = nil) { self.dt = dt; self.endTime = endTime; self.steps = steps }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var every: ScheduleSpec
        public var includeInitial: Bool?
        /// Cell fields: depth, surface, velocity_x, velocity_y, bed (default: all).
        public var fields: [Field]?
        /// Float fields' type, f32 (default) or f64.
        public var dtype: DType?
        /// Add the UM2N fields of the latest adaptation (schemas/um2n/FIELDS.md); needs `movement`.
        public var um2n: Bool?
        public init(every: ScheduleSpec, includeInitial: Bool? = nil, fields: [Field]? = nil, dtype: DType? = nil, um2n: Bool? = nil) {
            self.every = every; self.includeInitial = includeInitial; self.fields = fields; self.dtype = dtype; self.um2n = um2n
        }
    }

    public enum Field: String, Codable, Sendable, Hashable, CaseIterable {
        case depth, surface, bed
        case velocityX = "velocity_x"
        case velocityY = "velocity_y"
    }

    public init(solver: String = "tsunami", name: String, description: String? = nil, parameters: TsunamiParameters,
                mesh: MeshSpec, bathymetry: BathymetrySpec, source: SourceKind, gauges: [Gauge], scheme: Scheme? = nil,
                movement: Movement? = nil, time: Time, output: Output) {
        self.solver = solver; self.name = name; self.description = description; self.parameters = parameters
        self.mesh = mesh; self.bathymetry = bathymetry; self.source = source; self.gauges = gauges; self.scheme = scheme
        self.movement = movement; self.time = time; self.output = output
    }
}

/// The study variables of a tsunami member: source position, amplitude and extent, and bed friction.
public struct TsunamiParameters: Codable, Sendable, Hashable {
    public var sourceX = 60_000.0
    public var sourceY = 50_000.0
    /// Peak uplift [m].
    public var amplitude = 2.0
    /// Source width `w` [m].
    public var width = 10_000.0
    /// Along-strike elongation of the dipole source (ratio of y to x extent).
    public var elongation = 2.0
    /// Manning coefficient [s m^-1/3]; 0 for none.
    public var manning = 0.0
    /// f-plane Coriolis parameter [1/s] (about 1e-4 at mid-latitudes); 0 for none.
    public var coriolis = 0.0
    /// Okada source: centroid depth [m], strike, dip, rake [degrees], slip [m], length and width [m]. The default
    /// is a thrust striking north (along y) and dipping east, towards the coast.
    public var faultDepth = 20_000.0
    public var strike = 0.0
    public var dip = 15.0
    public var rake = 90.0
    public var slip = 5.0
    public var faultLength = 80_000.0
    public var faultWidth = 40_000.0

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys, _ fallback: Double) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? fallback }
        sourceX = try value(.sourceX, sourceX)
        sourceY = try value(.sourceY, sourceY)
        amplitude = try value(.amplitude, amplitude)
        width = try value(.width, width)
        elongation = try value(.elongation, elongation)
        manning = try value(.manning, manning)
        coriolis = try value(.coriolis, coriolis)
        faultDepth = try value(.faultDepth, faultDepth)
        strike = try value(.strike, strike)
        dip = try value(.dip, dip)
        rake = try value(.rake, rake)
        slip = try value(.slip, slip)
        faultLength = try value(.faultLength, faultLength)
        faultWidth = try value(.faultWidth, faultWidth)
    }

    public var headerParameters: [Parameter] {
        [Parameter("source_x", sourceX), Parameter("source_y", sourceY), Parameter("amplitude", amplitude),
         Parameter("width", width), Parameter("elongation", elongation), Parameter("manning", manning),
         Parameter("coriolis", coriolis), Parameter("fault_depth", faultDepth), Parameter("strike", strike),
         Parameter("dip", dip), Parameter("rake", rake), Parameter("slip", slip), Parameter("fault_length", faultLength),
         Parameter("fault_width", faultWidth)]
    }

    public var fault: OkadaFault {
        OkadaFault(centre: SIMD2(sourceX, sourceY), depth: faultDepth, strike: strike, dip: dip, rake: rake, slip: slip,
                   length: faultLength, width: faultWidth)
    }

    /// Initial free-surface displacement at `p` for `kind`.
    public func displacement(at p: SIMD2<Double>, kind: TsunamiCase.SourceKind) -> Double {
        let d = p - SIMD2(sourceX, sourceY)
        switch kind {
        case .gaussian:
            return amplitude * expm((d * d).sum() / (2 * width * width))
        case .dipole:
            func q(_ r: SIMD2<Double>) -> Double { (r.x * r.x + (r.y / elongation) * (r.y / elongation)) / (2 * width * width) }
            let s = SIMD2(width, 0)
            return amplitude * (expm(q(d - s)) - 0.5 * expm(q(d + s)))
        case .okada:
            return fault.uplift(at: p)
        }
    }

    private func expm(_ x: Double) -> Double { exp(-x) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
