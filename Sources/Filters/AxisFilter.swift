/// How one spatial axis is coarse-grained. Written in export specs as `{kind: spectral, points: 32}`.
///
/// Periodic axes (uniform nodes `lower + i L/N`):
/// - `box`: the discrete top-hat of width `factor` fine spacings, centred on every `factor`-th node, then
///   decimation (`N / factor` coarse points). Even factors use trapezoidal end weights, so every fine value enters
///   the coarse field with total weight `1/factor` and the mean is preserved exactly.
/// - `gaussian`: the Gaussian filter `G(x) = sqrt(6/(pi D^2)) exp(-6 x^2 / D^2)` of width `D` (`width`), applied as
///   its Fourier multiplier `exp(-k^2 D^2 / 24)`, truncated below the coarse grid's Nyquist wavenumber (so the
///   decimation does not alias) and evaluated at the coarse points.
/// - `spectral`: the sharp spectral cut-off: modes with `|k| <= cutoff` kept unchanged, all others removed, and the
///   truncated Fourier series evaluated at the coarse points.
///
/// The coarse points of `gaussian` and `spectral` are `points` uniform nodes `lower + j L/points`, or with
/// `endpoint: true` `points` nodes from `lower` to `upper` inclusive (numpy's `linspace`, the IFactFormer-m grids).
///
/// Wall-bounded axes (any node coordinates, e.g. a channel's wall-normal direction):
/// - `wall`: coarse points from `coordinates`, or `points` nodes spread `uniform`ly or by `cosine` (Chebyshev-Gauss-
///   Lobatto, clustered at both walls) between the first and last fine node. `method: average` (the default)
///   averages the piecewise-linear interpolant of the fine values over each coarse point's dual cell (between the
///   midpoints to its neighbours, one-sided at the walls), which conserves the trapezoidal integral over the
///   channel exactly; `method: linear` interpolates.
public struct AxisFilter: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case keep, box, gaussian, spectral, wall
    }

    public enum Distribution: String, Codable, Sendable, Hashable {
        case uniform, cosine
    }

    public enum Method: String, Codable, Sendable, Hashable {
        case average, linear
    }

    public var kind: Kind
    /// `box`: fine points per coarse point.
    public var factor: Int?
    /// `gaussian`: the filter width D, in the axis' length units.
    public var width: Double?
    /// `gaussian`, `spectral`, `wall`: the number of coarse points (default for `gaussian`: the fine count).
    public var points: Int?
    /// `gaussian`, `spectral`: the coarse points include both ends of the axis.
    public var endpoint: Bool?
    /// `gaussian`, `spectral`: the largest kept wavenumber index |k| (default: the largest the coarse points resolve).
    public var cutoff: Int?
    /// `wall`: how `points` coarse points are spread.
    public var distribution: Distribution?
    /// `wall`: explicit coarse coordinates (increasing, inside the fine nodes' range).
    public var coordinates: [Double]?
    /// `wall`: cell average (default) or linear interpolation.
    public var method: Method?

    public init(kind: Kind, factor: Int? = nil, width: Double? = nil, points: Int? = nil, endpoint: Bool? = nil,
                cutoff: Int? = nil, distribution: Distribution? = nil, coordinates: [Double]? = nil,
                method: Method? = nil) {
        self.kind = kind
        self.factor = factor
        self.width = width
        self.points = points
        self.endpoint = endpoint
        self.cutoff = cutoff
        self.distribution = distribution
        self.coordinates = coordinates
        self.method = method
    }

    /// The axis unchanged.
    public static let keep = AxisFilter(kind: .keep)

    // The constructors below leave defaults unset (nil), as a decoded spec usually does; equality compares the
    // filters with defaults filled in, so a spec that spells a default out equals one that leaves it unset.

    /// Top-hat of `factor` fine spacings and decimation by `factor` (periodic axes).
    public static func box(factor: Int) -> AxisFilter { AxisFilter(kind: .box, factor: factor) }

    /// Gaussian of width `width`, sampled at `points` coarse points (periodic axes).
    public static func gaussian(width: Double, points: Int? = nil, endpoint: Bool = false) -> AxisFilter {
        AxisFilter(kind: .gaussian, width: width, points: points, endpoint: endpoint ? true : nil)
    }

    /// Sharp spectral cut-off onto `points` coarse points (periodic axes).
    public static func spectral(points: Int, endpoint: Bool = false, cutoff: Int? = nil) -> AxisFilter {
        AxisFilter(kind: .spectral, points: points, endpoint: endpoint ? true : nil, cutoff: cutoff)
    }

    /// Wall-bounded axis onto `points` coarse points spread by `distribution`.
    public static func wall(points: Int, distribution: Distribution = .cosine, method: Method = .average) -> AxisFilter {
        AxisFilter(kind: .wall, points: points, distribution: distribution == .cosine ? nil : distribution,
                   method: method == .average ? nil : method)
    }

    /// Wall-bounded axis onto explicit coarse coordinates.
    public static func wall(coordinates: [Double], method: Method = .average) -> AxisFilter {
        AxisFilter(kind: .wall, coordinates: coordinates, method: method == .average ? nil : method)
    }

    /// The filter with every unset option that has a default made explicit.
    var normalized: AxisFilter {
        var copy = self
        copy.endpoint = endpoint ?? false
        if kind == .wall {
            copy.distribution = coordinates == nil ? distribution ?? .cosine : nil
            copy.method = method ?? .average
        }
        return copy
    }

    public static func == (a: AxisFilter, b: AxisFilter) -> Bool {
        let (x, y) = (a.normalized, b.normalized)
        return x.kind == y.kind && x.factor == y.factor && x.width == y.width && x.points == y.points
            && x.endpoint == y.endpoint && x.cutoff == y.cutoff && x.distribution == y.distribution
            && x.coordinates == y.coordinates && x.method == y.method
    }

    public func hash(into hasher: inout Hasher) {
        let x = normalized
        hasher.combine(x.kind)
        hasher.combine(x.factor)
        hasher.combine(x.width)
        hasher.combine(x.points)
        hasher.combine(x.endpoint)
        hasher.combine(x.cutoff)
        hasher.combine(x.distribution)
        hasher.combine(x.coordinates)
        hasher.combine(x.method)
    }

    public var description: String {
        switch kind {
        case .keep: return "keep"
        case .box: return "box(factor: \(factor ?? 0))"
        case .gaussian:
            return "gaussian(width: \(width ?? 0)\(points.map { ", points: \($0)" } ?? "")\(endpoint == true ? ", endpoint" : ""))"
        case .spectral:
            return "spectral(points: \(points ?? 0)\(endpoint == true ? ", endpoint" : "")\(cutoff.map { ", cutoff: \($0)" } ?? ""))"
        case .wall:
            let target = coordinates.map { "\($0.count) given points" }
                ?? "\(points ?? 0) \((distribution ?? .cosine).rawValue) points"
            return "wall(\(target), \((method ?? .average).rawValue))"
        }
    }
}

/// A filter for every spatial axis of a grid, in axis order: the `filter:` of an export spec.
///
/// ```yaml
/// filter:            # IFactFormer-m's channel grid, 32 x 33 x 16 on 4 pi x 2 x 4 pi/3
///   axes:
///     - {kind: spectral, points: 32, endpoint: true}
///     - {kind: wall, points: 33, distribution: cosine}
///     - {kind: spectral, points: 16, endpoint: true}
/// ```
public struct FilterSpec: Codable, Sendable, Hashable, CustomStringConvertible {
    public var axes: [AxisFilter]

    public init(axes: [AxisFilter]) {
        self.axes = axes
    }

    /// Whether every axis is kept as it is.
    public var isIdentity: Bool { axes.allSatisfy { $0.kind == .keep } }

    public var description: String { "[" + axes.map(\.description).joined(separator: ", ") + "]" }
}
