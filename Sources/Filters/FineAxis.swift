/// The nodes of one axis of a fine (solver) grid.
public struct FineAxis: Sendable, Hashable {
    /// Node coordinates, increasing.
    public var coordinates: [Double]
    /// For a periodic axis, the period's start and length (nodes at `lower + i * length / count`); nil for a
    /// bounded axis given by its coordinates.
    public var period: (lower: Double, length: Double)? {
        get { periodLength.map { (periodLower, $0) } }
        set {
            periodLower = newValue?.lower ?? 0
            periodLength = newValue?.length
        }
    }
    private var periodLower: Double = 0
    private var periodLength: Double?

    /// A uniform periodic axis of `points` nodes over `[lower, upper)`.
    public static func periodic(points: Int, lower: Double, upper: Double) -> FineAxis {
        let h = (upper - lower) / Double(max(points, 1))
        var axis = FineAxis(coordinates: (0..<points).map { lower + Double($0) * h })
        axis.period = (lower, upper - lower)
        return axis
    }

    /// A bounded axis through the given nodes (walls at the first and last).
    public init(coordinates: [Double]) {
        self.coordinates = coordinates
    }

    public var count: Int { coordinates.count }
    public var isPeriodic: Bool { periodLength != nil }
}
