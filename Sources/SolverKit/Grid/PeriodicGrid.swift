/// A uniform grid on a periodic box, in 1, 2 or 3 dimensions.
///
/// Axis `a` covers `[lower[a], lower[a] + lengths[a])` with `shape[a]` points `x_i = lower + i h`, `h = L / n`
/// (the point at `lower + L` is the periodic image of the first one). Arrays on the grid are row-major: axis 0
/// varies slowest, as in ``RealFFTPlan``. Finite-volume solvers read the same grid as `shape` cells whose centres
/// are `lower + (i + 1/2) h` (``cellCentres(axis:)``).
///
/// Lengths are in the solver's length unit (the FNO case uses the unit torus, `L = 1`; jax-cfd's Kolmogorov flow
/// uses `L = 2 pi`). Physical wavenumbers on axis `a` are `2 pi k / L_a` for the integer wavenumbers `k` of
/// ``RealFFTPlan/wavenumbers(axis:)``.
public struct PeriodicGrid: Sendable, Hashable, CustomStringConvertible {
    /// Points per axis, slowest axis first.
    public let shape: [Int]
    /// Domain length per axis.
    public let lengths: [Double]
    /// Lower domain bound per axis.
    public let lower: [Double]

    /// A grid of `shape` points on a box of `lengths` starting at `lower` (zeros by default).
    ///
    /// - Throws: ``GridError`` when the rank is not 1...3, an extent is below 1, or a length is not finite and
    ///   positive; the message names the offending value.
    public init(shape: [Int], lengths: [Double], lower: [Double]? = nil) throws(GridError) {
        guard (1...3).contains(shape.count) else { throw .unsupportedRank(shape) }
        guard lengths.count == shape.count else { throw .mismatchedLengths(shape: shape, lengths: lengths) }
        let lower = lower ?? Array(repeating: 0, count: shape.count)
        guard lower.count == shape.count else { throw .mismatchedLengths(shape: shape, lengths: lower) }
        for (axis, n) in shape.enumerated() where n < 1 {
            throw .invalidExtent(axis: axis, extent: n)
        }
        for (axis, length) in lengths.enumerated() where !(length.isFinite && length > 0) {
            throw .invalidLength(axis: axis, length: length)
        }
        for (axis, value) in lower.enumerated() where !value.isFinite {
            throw .invalidLowerBound(axis: axis, value: value)
        }
        self.shape = shape
        self.lengths = lengths
        self.lower = lower
    }

    /// A square (cubic) grid: `n` points per axis on `[0, length)^dimensions`.
    public init(dimensions: Int, points n: Int, length: Double = 1) throws(GridError) {
        try self.init(shape: Array(repeating: n, count: max(dimensions, 0)),
                      lengths: Array(repeating: length, count: max(dimensions, 0)))
    }

    /// Number of dimensions (1 to 3).
    public var dimensions: Int { shape.count }

    /// Total number of points.
    public var pointCount: Int { shape.reduce(1, *) }

    /// Grid spacing `L / n` on `axis`.
    public func spacing(axis: Int) -> Double { lengths[axis] / Double(shape[axis]) }

    /// The smallest spacing over all axes.
    public var minimumSpacing: Double { (0..<dimensions).map(spacing(axis:)).min() ?? 0 }

    /// Point coordinates `lower + i h`, `i = 0..<n`, on `axis`.
    public func coordinates(axis: Int) -> [Double] {
        let h = spacing(axis: axis), x0 = lower[axis]
        return (0..<shape[axis]).map { x0 + Double($0) * h }
    }

    /// Cell-centre coordinates `lower + (i + 1/2) h` on `axis`, for finite-volume use.
    public func cellCentres(axis: Int) -> [Double] {
        let h = spacing(axis: axis), x0 = lower[axis]
        return (0..<shape[axis]).map { x0 + (Double($0) + 0.5) * h }
    }

    /// `"256x256"`.
    public var shapeDescription: String { shape.map(String.init).joined(separator: "x") }

    /// `"256x256 on [0, 1) x [0, 1)"`.
    public var description: String {
        let box = (0..<dimensions).map { "[\(lower[$0]), \(lower[$0] + lengths[$0]))" }.joined(separator: " x ")
        return "\(shapeDescription) on \(box)"
    }
}

/// A grid description that cannot be built.
public struct GridError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case rank, lengths, extent, length }
    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func unsupportedRank(_ shape: [Int]) -> GridError {
        GridError(.rank, "a periodic grid has 1 to 3 dimensions; shape \(shape) has \(shape.count)")
    }

    static func mismatchedLengths(shape: [Int], lengths: [Double]) -> GridError {
        GridError(.lengths, "shape \(shape) has \(shape.count) axes but \(lengths.count) domain values \(lengths) were given")
    }

    static func invalidExtent(axis: Int, extent: Int) -> GridError {
        GridError(.extent, "axis \(axis) has \(extent) points; a grid needs at least 1")
    }

    static func invalidLowerBound(axis: Int, value: Double) -> GridError {
        GridError(.length, "axis \(axis) starts at \(value); expected a finite number")
    }

    static func invalidLength(axis: Int, length: Double) -> GridError {
        GridError(.length, "axis \(axis) has domain length \(length); expected a finite positive number")
    }
}
