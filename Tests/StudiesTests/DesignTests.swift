import Foundation
import Testing
@testable import Studies

@Test("a Latin hypercube puts exactly one point in each of the n strata of every dimension", arguments: [1, 7, 50, 333])
func latinHypercubeStratified(n: Int) {
    for seed in [UInt64(0), 1, 99] {
        let points = ExperimentDesign.latinHypercube.points(count: n, dimensions: 4, seed: seed)
        #expect(points.count == n)
        for d in 0..<4 {
            let strata = points.map { Int(($0[d] * Double(n)).rounded(.down)) }
            #expect(strata.sorted() == Array(0..<n), "dimension \(d), seed \(seed)")
            #expect(points.allSatisfy { $0[d] >= 0 && $0[d] < 1 })
        }
    }
}

@Test("the Halton sequence matches its known first values in bases 2 and 3")
func haltonKnownValues() {
    let points = ExperimentDesign.halton.points(count: 8, dimensions: 2, seed: 0)
    // Radical inverses of 1...8: base 2 gives 1/2, 1/4, 3/4, 1/8, 5/8, 3/8, 7/8, 1/16; base 3 gives
    // 1/3, 2/3, 1/9, 4/9, 7/9, 2/9, 5/9, 8/9.
    let base2: [Double] = [0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875, 0.0625]
    let ninths: [Double] = [3, 6, 1, 4, 7, 2, 5, 8]
    let base3: [Double] = ninths.map { $0 / 9 }
    for i in 0..<8 {
        let e0: Double = abs(points[i][0] - base2[i])
        let e1: Double = abs(points[i][1] - base3[i])
        #expect(e0 < 1e-15)
        #expect(e1 < 1e-15)
    }
}

/// The L2-star discrepancy (Warnock's formula) of points in [0,1)^d.
func starDiscrepancy(_ points: [[Double]]) -> Double {
    let n = Double(points.count)
    let d = points.first?.count ?? 0
    var a = 0.0
    for p in points { a += p.reduce(1.0) { $0 * (1 - $1 * $1) } }
    var b = 0.0
    for p in points {
        for q in points { b += zip(p, q).reduce(1.0) { $0 * (1 - max($1.0, $1.1)) } }
    }
    return (pow(3.0, -Double(d)) - pow(2.0, 1 - Double(d)) / n * a + b / (n * n)).squareRoot()
}

@Test("Halton points have a lower discrepancy than random points (L2-star, Warnock)")
func haltonLowDiscrepancy() {
    let n = 256
    let halton = starDiscrepancy(ExperimentDesign.halton.points(count: n, dimensions: 2, seed: 0))
    let randoms = (1...5).map { starDiscrepancy(ExperimentDesign.random.points(count: n, dimensions: 2, seed: UInt64($0))) }
    // Random points: expected L2-star discrepancy ~ sqrt((2^-d - 3^-d)/n) = 0.0245 here; Halton is several times lower.
    #expect(halton < 0.01)
    #expect(randoms.allSatisfy { $0 > 2 * halton })
}

@Test("designs replay from their seed and differ between seeds", arguments: ExperimentDesign.allCases)
func designsReproducible(design: ExperimentDesign) {
    let a = design.points(count: 20, dimensions: 3, seed: 5)
    #expect(a == design.points(count: 20, dimensions: 3, seed: 5))
    // Halton's points differ between seeds through its random shift.
    #expect(a != design.points(count: 20, dimensions: 3, seed: 6))
}

@Test("distributions map the unit interval onto their ranges")
func distributions() throws {
    let uniform = ParameterDistribution(.uniform, low: 2, high: 4)
    #expect(uniform.value(at: 0) == 2 && uniform.value(at: 0.5) == 3)
    let log = ParameterDistribution(.logUniform, low: 1e-5, high: 1e-3)
    #expect(abs(log.value(at: 0.5) - 1e-4) < 1e-18)
    let integer = ParameterDistribution(.integer, low: 0, high: 9)
    var seen = Set<Double>()
    for i in 0..<1000 { seen.insert(integer.value(at: Double(i) / 1000)) }
    let expected: Set<Double> = Set((0...9).map { Double($0) })
    #expect(seen == expected)
    let choice = ParameterDistribution(.choice, values: [1e-3, 1e-4, 1e-5])
    #expect(choice.value(at: 0.99) == 1e-5)
    #expect { try ParameterDistribution(.logUniform, low: 0, high: 1).validate(name: "nu") } throws: { "\($0)".contains("'nu'") && "\($0)".contains("low > 0") }
    #expect(throws: ParameterSpaceError.self) { try ParameterDistribution(.uniform, low: 3, high: 1).validate(name: "x") }
    #expect(throws: ParameterSpaceError.self) { try ParameterDistribution(.choice, values: []).validate(name: "x") }
}
