import Advection
import Foundation
import SluiceConfig
import SolverKit

extension SolverEntry {
    /// `solver: advection`: 2-D scalar advection by a prescribed flow (solvers/advection/). Member K's draw is the
    /// case's parameters with `--set` overrides (the advection cases have no random seed).
    public static let advection = SolverEntry(
        name: "advection", summary: "2-D scalar advection: translation, rotation, LeVeque's swirl; limited finite volume or spectral"
    ) { path, request in
        var spec = try ConfigFile.load(AdvectionCase.self, from: path)
        spec.parameters = try request.overrides.apply(to: spec.parameters)
        let simulation = try AdvectionSimulation(case: spec, rigor: request.rigor)
        let schedule = try spec.output.every.makeSchedule()
        let method = spec.scheme.method == .spectral ? "spectral" : "finite volume, \((spec.scheme.limiter ?? .monotonizedCentral).rawValue) limiter"
        let details: [(String, String)] = [
            ("grid", simulation.grid.description),
            ("flow", spec.flow.rawValue),
            ("initial condition", spec.initialCondition.rawValue),
            ("scheme", "\(method), \(simulation.tableau), dt = \(simulation.timeStep)"),
        ]
        return MemberSetup(solver: "advection", caseName: spec.name, simulation: simulation, schedules: [schedule],
                           includeInitial: spec.output.includeInitial ?? true, plannedSteps: simulation.plannedSteps,
                           details: details)
    }
}
