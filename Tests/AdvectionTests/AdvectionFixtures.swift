import Advection
import SolverKit

/// A test case: `points`^2 on the unit square, the given flow, shape and scheme, run to `endTime`.
func advectionCase(points: Int, flow: AdvectionCase.Flow, shape: AdvectionCase.InitialShape,
                   method: AdvectionCase.Scheme.Method = .finiteVolume, limiter: SlopeLimiter = .monotonizedCentral,
                   stepper: String? = nil, courant: Double? = nil, endTime: Double,
                   configure: (inout AdvectionParameters) -> Void = { _ in }) -> AdvectionCase {
    var p = AdvectionParameters()
    configure(&p)
    return AdvectionCase(name: "test", parameters: p, grid: .init(points: points), flow: flow, initialCondition: shape,
                         scheme: .init(method: method, limiter: limiter, timeStepper: stepper, courant: courant),
                         time: .init(endTime: endTime), output: .init(every: ScheduleSpec(steps: 1), dtype: .float64))
}

/// `sum |a - b| h^2` on the unit square.
func l1Distance(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "arrays differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(a.count)
}

/// Runs to the end and returns (initial, final) tracer values.
func runToEnd(_ simulation: AdvectionSimulation, each: (AdvectionSimulation) -> Void = { _ in }) throws -> ([Double], [Double]) {
    let initial = simulation.tracer()
    while simulation.step < simulation.plannedSteps {
        try simulation.advance()
        each(simulation)
    }
    return (initial, simulation.tracer())
}
