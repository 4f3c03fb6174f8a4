import SolverKit
import Testing

@Suite("Periodic grids")
struct PeriodicGridTests {
    @Test("coordinates, spacing and cell centres of a uniform periodic grid")
    func coordinates() throws {
        let grid = try PeriodicGrid(shape: [4, 8], lengths: [2, 1], lower: [-1, 0])
        #expect(grid.coordinates(axis: 0) == [-1, -0.5, 0, 0.5])
        #expect(grid.spacing(axis: 1) == 0.125)
        #expect(grid.cellCentres(axis: 0) == [-0.75, -0.25, 0.25, 0.75])
        #expect(grid.pointCount == 32)
        #expect(grid.minimumSpacing == 0.125)
        #expect(grid.description == "4x8 on [-1.0, 1.0) x [0.0, 1.0)")
    }

    @Test("invalid grids are refused with messages naming the value")
    func invalid() {
        for (shape, lengths, needle) in [([Int](), [Double](), "has 0"), ([1, 2, 3, 4], [1.0, 1, 1, 1], "has 4"),
                                         ([8, 0], [1.0, 1], "axis 1 has 0 points"), ([8], [-2.0], "length -2.0")] {
            do {
                _ = try PeriodicGrid(shape: shape, lengths: lengths)
                Issue.record("\(shape) \(lengths) was accepted")
            } catch {
                #expect(error.description.contains(needle), "\(error)")
            }
        }
    }
}
