import NavierStokes2D
import SolverKit

/// A small case for tests: no forcing, `points`^2 on the unit torus, the given scheme and step, `steps` steps.
func testCase(points: Int = 16, length: Double = 1, scheme: String = "cn-euler", dt: Double = 1e-4, steps: Int = 1,
              forcing: NS2DCase.Forcing = .none, initial: NS2DCase.InitialCondition.Kind = .taylorGreen,
              fields: [NS2DCase.Field] = [.vorticity], outputPoints: Int? = nil,
              resample: PeriodicResampler.Method? = nil,
              configure: (inout NS2DParameters) -> Void = { _ in }) -> NS2DCase {
    var parameters = NS2DParameters()
    parameters.viscosity = 1e-3
    configure(&parameters)
    return NS2DCase(
        name: "test", parameters: parameters, grid: .init(points: points, length: length),
        time: .init(scheme: scheme, dt: dt, steps: steps), forcing: forcing,
        initialCondition: .init(kind: initial),
        output: .init(every: ScheduleSpec(steps: 1), points: outputPoints, resample: resample, fields: fields, dtype: .float64))
}

/// The largest `|a - b|`.
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "compared arrays differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// The largest `|a|`.
func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
