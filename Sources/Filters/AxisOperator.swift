import Foundation

/// A linear map from the values along one fine axis to the values at the coarse points: a sparse matrix stored by
/// rows (row `j` is `coarse[j] = sum(weights[k] * fine[columns[k]])` over `k` in `rowStart[j] ..< rowStart[j + 1]`).
/// Every `AxisFilter` builds one; `GridFilter` applies them axis by axis.
public struct AxisOperator: Sendable, Hashable {
    public let fineCount: Int
    public private(set) var rowStart: [Int] = [0]
    public private(set) var columns: [Int] = []
    public private(set) var weights: [Double] = []
    /// The coarse points' coordinates.
    public let coordinates: [Double]

    public var coarseCount: Int { rowStart.count - 1 }

    init(fineCount: Int, coordinates: [Double], rows: [[(Int, Double)]]) {
        self.fineCount = fineCount
        self.coordinates = coordinates
        for row in rows {
            // Merge repeated columns (wrapped windows, segment ends) so each row touches a column once.
            var merged: [Int: Double] = [:]
            for (column, weight) in row { merged[column, default: 0] += weight }
            for column in merged.keys.sorted() {
                columns.append(column)
                weights.append(merged[column] ?? 0)
            }
            rowStart.append(columns.count)
        }
    }

    /// The operator of `filter` on `axis`, after checking that the filter suits the axis.
    public init(_ filter: AxisFilter, on axis: FineAxis, index: Int = 0) throws {
        let n = axis.count
        guard n >= 1 else { throw FilterError.axis(index, "the fine axis has no points") }
        switch filter.kind {
        case .keep:
            self.init(fineCount: n, coordinates: axis.coordinates, rows: (0..<n).map { [($0, 1.0)] })
        case .box:
            self = try Self.box(filter, on: axis, index: index)
        case .gaussian, .spectral:
            self = try Self.fourier(filter, on: axis, index: index)
        case .wall:
            self = try Self.wall(filter, on: axis, index: index)
        }
    }

    /// Applies the operator to one line of `fineCount` values.
    public func apply(_ line: [Double]) -> [Double] {
        precondition(line.count == fineCount, "a line of \(line.count) values for an operator on \(fineCount)")
        return (0..<coarseCount).map { j in
            var sum = 0.0
            for k in rowStart[j]..<rowStart[j + 1] { sum += weights[k] * line[columns[k]] }
            return sum
        }
    }
}
