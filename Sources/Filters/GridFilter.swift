/// A separable filter over every spatial axis of a grid: one `AxisOperator` per axis, applied in turn.
///
/// Arrays are row-major with the spatial axes first and any component axes last (`[nx, ny, components]`, The
/// Well's order); components are filtered independently. Applying the axes one after the other is exact for
/// separable filters: the result is the tensor product of the 1-D operators.
public struct GridFilter: Sendable, Hashable {
    public let spec: FilterSpec
    public let operators: [AxisOperator]

    /// Builds the operators of `spec` for a grid with `axes`, checking that the spec has one filter per axis and
    /// that each filter suits its axis (periodic filters need periodic axes).
    public init(spec: FilterSpec, axes: [FineAxis]) throws {
        guard spec.axes.count == axes.count else {
            throw FilterError("the filter has \(spec.axes.count) axes but the grid has \(axes.count) (\(axes.map { String($0.count) }.joined(separator: "x")))")
        }
        self.spec = spec
        operators = try zip(spec.axes, axes).enumerated().map { index, pair in
            try AxisOperator(pair.0, on: pair.1, index: index)
        }
    }

    public var fineShape: [Int] { operators.map(\.fineCount) }
    public var coarseShape: [Int] { operators.map(\.coarseCount) }
    /// The coarse points' coordinates per axis.
    public var coarseCoordinates: [[Double]] { operators.map(\.coordinates) }

    /// Filters `input` (shape `fineShape + [components]`, row-major) into a new array of shape
    /// `coarseShape + [components]`.
    public func apply(_ input: UnsafeBufferPointer<Double>, components: Int = 1) -> [Double] {
        precondition(input.count == fineShape.reduce(1, *) * components,
                     "\(input.count) values do not fill the fine shape \(fineShape) x \(components)")
        var shape = fineShape + [components]
        var current = Array(input)
        for (axis, op) in operators.enumerated() {
            if op.isIdentity { continue }
            current = op.apply(current, along: axis, of: shape)
            shape[axis] = op.coarseCount
        }
        return current
    }

    /// Filters an array of `Double`s; see `apply(_:components:)`.
    public func apply(_ input: [Double], components: Int = 1) -> [Double] {
        input.withUnsafeBufferPointer { apply($0, components: components) }
    }
}

extension AxisOperator {
    /// Whether the operator is the identity (each coarse point is the fine point of the same index).
    var isIdentity: Bool {
        coarseCount == fineCount && columns == Array(0..<fineCount) && weights.allSatisfy { $0 == 1 }
    }

    /// Applies the operator along `axis` of a row-major array of `shape`.
    func apply(_ input: [Double], along axis: Int, of shape: [Int]) -> [Double] {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let n = shape[axis], m = coarseCount
        var output = [Double](repeating: 0, count: outer * m * inner)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for o in 0..<outer {
                    let sourceBase = o * n * inner
                    let targetBase = o * m * inner
                    for j in 0..<m {
                        let row = targetBase + j * inner
                        for k in rowStart[j]..<rowStart[j + 1] {
                            let w = weights[k]
                            let column = sourceBase + columns[k] * inner
                            for i in 0..<inner { target[row + i] += w * source[column + i] }
                        }
                    }
                }
            }
        }
        return output
    }
}
