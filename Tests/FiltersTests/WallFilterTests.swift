import Foundation
import Testing
@testable import Filters

@Suite("Wall-bounded filters")
struct WallFilterTests {
    /// A tanh-stretched channel grid on [-1, 1], clustered at both walls (as channel DNS grids are).
    static func stretched(_ n: Int, beta: Double = 2) -> FineAxis {
        FineAxis(coordinates: (0..<n).map { j in
            j == n - 1 ? 1 : tanh(beta * (2 * Double(j) / Double(n - 1) - 1)) / tanh(beta)
        })
    }

    func trapezoid(_ f: [Double], _ y: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<(f.count - 1) {
            let mean: Double = (f[i] + f[i + 1]) / 2
            sum += mean * (y[i + 1] - y[i])
        }
        return sum
    }

    @Test("cell averages conserve the trapezoidal integral across the channel and keep constants")
    func averageConservesIntegral() throws {
        let axis = Self.stretched(97)
        let f = axis.coordinates.map { y in (1 - y * y) * (1 + 0.3 * sin(5 * y)) + 0.2 * y }
        for filter in [AxisFilter.wall(points: 33), .wall(points: 17, distribution: .uniform),
                       .wall(coordinates: [-1, -0.9, -0.5, 0, 0.2, 0.95, 1])] {
            let op = try AxisOperator(filter, on: axis)
            let coarse = op.apply(f)
            let x = op.coordinates
            // Dual-cell widths: between the midpoints to the neighbours, one-sided at the walls.
            let widths = x.indices.map { j in
                (j == x.count - 1 ? x[j] : (x[j] + x[j + 1]) / 2) - (j == 0 ? x[j] : (x[j - 1] + x[j]) / 2)
            }
            let integral = zip(widths, coarse).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(integral - trapezoid(f, axis.coordinates)) < 1e-13, "\(filter)")
            #expect(op.apply([Double](repeating: 2.5, count: 97)).allSatisfy { abs($0 - 2.5) < 1e-14 })
        }
    }

    @Test("linear interpolation reproduces linear fields and hits the walls")
    func linearReproducesLinearFields() throws {
        let axis = Self.stretched(65)
        let op = try AxisOperator(.wall(points: 33, method: .linear), on: axis)
        let coarse = op.apply(axis.coordinates.map { 3 * $0 - 1 })
        for (y, value) in zip(op.coordinates, coarse) { #expect(abs(value - (3 * y - 1)) < 1e-13) }
        #expect(op.coordinates.first == -1 && op.coordinates.last == 1)
    }

    @Test("cell averages of a smooth profile converge as the fine grid is refined")
    func averageConverges() throws {
        // Against the exact dual-cell average of f(y) = cos(2y): the interpolation error is O(h^2).
        var errors: [Double] = []
        for n in [33, 65, 129, 257] {
            let axis = FineAxis(coordinates: (0..<n).map { -1 + 2 * Double($0) / Double(n - 1) })
            let op = try AxisOperator(.wall(points: 9, distribution: .uniform), on: axis)
            let coarse = op.apply(axis.coordinates.map { cos(2 * $0) })
            let x = op.coordinates
            let exact = x.indices.map { j -> Double in
                let a = j == 0 ? x[j] : (x[j - 1] + x[j]) / 2, b = j == x.count - 1 ? x[j] : (x[j] + x[j + 1]) / 2
                return (sin(2 * b) - sin(2 * a)) / 2 / (b - a)
            }
            errors.append(zip(coarse, exact).map { abs($0 - $1) }.max() ?? 0)
        }
        let orders = zip(errors, errors.dropFirst()).map { log2($0 / $1) }
        for order in orders { #expect(abs(order - 2) < 0.15, "orders \(orders)") }
    }

    @Test("IFactFormer-m's channel grid: 32 x 33 x 16 on 4 pi x 2 x 4 pi/3, ends included")
    func channelGrid() throws {
        let lx = 4 * Double.pi, lz = 4 * Double.pi / 3
        let axes = [FineAxis.periodic(points: 64, lower: 0, upper: lx), Self.stretched(49),
                    FineAxis.periodic(points: 32, lower: 0, upper: lz)]
        let spec = FilterSpec(axes: [.spectral(points: 32, endpoint: true), .wall(points: 33),
                                     .spectral(points: 16, endpoint: true)])
        let grid = try GridFilter(spec: spec, axes: axes)
        #expect(grid.coarseShape == [32, 33, 16])
        let c = grid.coarseCoordinates
        #expect(c[0].first == 0 && abs((c[0].last ?? 0) - lx) < 1e-12)
        #expect(c[1].first == -1 && c[1].last == 1)
        #expect(c[2].first == 0 && abs((c[2].last ?? 0) - lz) < 1e-12)
        // u = (1 + cos(x)) (1 - y^2) sin(2 pi z / lz * 2), band-limited in x and z: the spectral axes reproduce it
        // exactly, the wall axis averages (1 - y^2) over each dual cell.
        var fine: [Double] = []
        for x in axes[0].coordinates {
            for y in axes[1].coordinates {
                for z in axes[2].coordinates {
                    let value: Double = (1 + cos(x)) * (1 - y * y) * sin(4 * Double.pi * z / lz)
                    fine.append(value)
                }
            }
        }
        let coarse = grid.apply(fine)
        let wall = try AxisOperator(spec.axes[1], on: axes[1]).apply(axes[1].coordinates.map { 1 - $0 * $0 })
        for (i, x) in c[0].enumerated() {
            for (j, _) in c[1].enumerated() {
                for (k, z) in c[2].enumerated() {
                    let expected: Double = (1 + cos(x)) * wall[j] * sin(4 * Double.pi * z / lz)
                    #expect(abs(coarse[(i * 33 + j) * 16 + k] - expected) < 1e-12)
                }
            }
        }
        // Components ride along: two components filter like two separate fields.
        let two = grid.apply(fine.flatMap { [$0, -2 * $0] }, components: 2)
        #expect(two.count == 32 * 33 * 16 * 2)
        var worst = 0.0
        for (index, value) in coarse.enumerated() {
            worst = max(worst, abs(two[2 * index] - value), abs(two[2 * index + 1] + 2 * value))
        }
        #expect(worst < 1e-12)
    }

    @Test("specs decode from JSON and mistakes name the axis")
    func specsDecodeAndValidate() throws {
        let json = #"{"axes": [{"kind": "spectral", "points": 32, "endpoint": true}, {"kind": "wall", "points": 33}, {"kind": "box", "factor": 4}]}"#
        let spec = try JSONDecoder().decode(FilterSpec.self, from: Data(json.utf8))
        #expect(spec.axes[0] == .spectral(points: 32, endpoint: true))
        #expect(spec.axes[2] == .box(factor: 4))
        let periodic = FineAxis.periodic(points: 30, lower: 0, upper: 1)
        #expect(throws: FilterError.self) { try AxisOperator(.box(factor: 4), on: periodic) }
        #expect(throws: FilterError.self) { try AxisOperator(.box(factor: 2), on: Self.stretched(9)) }
        #expect(throws: FilterError.self) { try AxisOperator(.wall(coordinates: [-2, 0, 1]), on: Self.stretched(9)) }
        #expect(throws: FilterError.self) { try GridFilter(spec: spec, axes: [periodic]) }
    }
}
