import Foundation
import NavierStokes2D
import SluiceConfig
import SolverKit

extension SolverEntry {
    /// `solver: ns2d`: 2-D incompressible Navier-Stokes, vorticity form, pseudo-spectral (solvers/ns2d/).
    ///
    /// Member K's draw: the case's parameters with `--set` overrides; the GRF seed is `seed + K` unless `--set seed=`
    /// is given, in which case it is used as is (the launcher passes each member's own draw that way).
    public static let navierStokes2D = SolverEntry(
        name: "ns2d", summary: "2-D incompressible Navier-Stokes, vorticity form, pseudo-spectral (FNO, Kolmogorov)"
    ) { path, request in
        var spec = try ConfigFile.load(NS2DCase.self, from: path)
        let base = spec.parameters.seed
        spec.parameters = try request.overrides.apply(to: spec.parameters)
        spec.parameters.seed = try request.memberSeed(base: base, overridden: spec.parameters.seed)
        var fileValues: [Double]?
        if spec.initialCondition.kind == .file {
            guard let file = spec.initialCondition.path else {
                throw SolverRuntimeError.caseFile("case file \(path): initial_condition kind 'file' needs a path")
            }
            fileValues = try HDF5Snapshot.read(path: file, relativeTo: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                               dataset: spec.initialCondition.dataset ?? "vorticity",
                                               index: spec.initialCondition.index,
                                               expectedShape: [spec.grid.points, spec.grid.points])
        }
        let simulation = try VorticitySimulation(case: spec, initialVorticity: fileValues, rigor: request.rigor)
        let schedule = try spec.output.every.makeSchedule()
        let p = spec.parameters
        var details: [(String, String)] = [
            ("grid", "\(simulation.grid.description), \(spec.output.points ?? spec.grid.points)^2 published (\(spec.output.resample ?? .subsample))"),
            ("equations", "vorticity form, nu = \(p.viscosity), drag = \(p.drag), forcing \(spec.forcing.rawValue)\(spec.forcing == .none ? "" : " (amplitude \(p.forcingAmplitude))")"),
            ("time stepping", "\(simulation.scheme), dt = \(simulation.timeStep)\(spec.time.cfl.map { " (CFL \($0.courant), max velocity \($0.maxVelocity))" } ?? "")"),
            ("initial condition", spec.initialCondition.kind.rawValue + (spec.initialCondition.kind == .grf ? " (seed \(p.seed), alpha \(p.grfAlpha), tau \(p.grfTau))" : "")),
        ]
        details.append(("initial max speed", String(format: "%.4g", simulation.maximumSpeed())))
        return MemberSetup(solver: "ns2d", caseName: spec.name, simulation: simulation, schedules: [schedule],
                           includeInitial: spec.output.includeInitial ?? true, plannedSteps: simulation.plannedSteps,
                           details: details)
    }
}
