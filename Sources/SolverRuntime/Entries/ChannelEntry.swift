import Channel
import Foundation
import SluiceConfig
import SolverKit

extension SolverEntry {
    /// `solver: channel`: turbulent plane channel flow, Kim-Moin-Moser Fourier-Chebyshev DNS (solvers/channel/).
    ///
    /// Member K's perturbation seed is `seed + K` unless `--set seed=` is given. When the case has
    /// `statistics.path`, the statistics are written there (HDF5) every `statistics.write_every` steps and at the end.
    public static let channel = SolverEntry(
        name: "channel", summary: "turbulent channel flow DNS, Kim-Moin-Moser Fourier-Chebyshev (MKM Re_tau 180/395/590)"
    ) { path, request in
        var spec = try ConfigFile.load(ChannelCase.self, from: path)
        let base = spec.parameters.seed
        spec.parameters = try request.overrides.apply(to: spec.parameters)
        spec.parameters.seed = try request.memberSeed(base: base, overridden: spec.parameters.seed)
        var restart: ChannelCheckpoint?
        if spec.initialCondition.kind == .restart {
            guard let file = spec.initialCondition.path else {
                throw SolverRuntimeError.caseFile("case file \(path): initial_condition kind 'restart' needs a path")
            }
            let resolved = file.hasPrefix("/") ? file : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(file).path
            restart = try ChannelCheckpointFile.read(resolved)
        }
        // The implicit solves are OpenBLAS gemms: with more than one worker thread they may use as many.
        if request.threads > 1 { BLAS.setThreadCount(request.threads) }
        let simulation = try ChannelSimulation(case: spec, restart: restart, rigor: request.rigor, threads: request.threads)
        if let checkpoint = spec.checkpoint {
            simulation.checkpointObserver = { point in
                do {
                    try ChannelCheckpointFile.write(point, to: checkpoint.path)
                } catch {
                    FileHandle.standardError.write(Data("channel: cannot write the checkpoint \(checkpoint.path): \(error)\n".utf8))
                }
            }
        }
        if let statsPath = spec.statistics?.path {
            let name = spec.name
            simulation.statisticsObserver = { statistics, current in
                do {
                    try ChannelStatisticsFile.write(statistics, caseName: name, current: current, to: statsPath)
                } catch {
                    FileHandle.standardError.write(Data("channel: cannot write statistics to \(statsPath): \(error)\n".utf8))
                }
            }
        }
        let schedule = try spec.output.every.makeSchedule()
        let c = spec.configuration()
        let o = spec.output.grid.map { "\($0.nx)x\($0.ny)x\($0.nz)" } ?? "DNS grid"
        let details: [(String, String)] = [
            ("grid", "\(c.nx)x\(c.ny)x\(c.nz) on \(String(format: "%.4g", c.lx)) x 2 x \(String(format: "%.4g", c.lz)) (padded \(simulation.flow.paddedX)x\(simulation.flow.paddedZ) in x, z), output \(o)"),
            ("equations", "KMM v-omega_y, nu = 1/\(spec.parameters.reTau), driving \((spec.driving ?? .pressureGradient).rawValue)"),
            ("time stepping", "SMR91 low-storage RK3 + CN, dt = \(c.timeStep)\(c.courant.map { ", CFL \($0)" } ?? "")"),
            ("initial condition", spec.initialCondition.kind.rawValue + " (perturbation \(spec.parameters.perturbation), seed \(spec.parameters.seed))"),
            ("statistics", spec.statistics.map { "every \($0.every) steps from t = \($0.startTime ?? 0)\($0.path.map { " -> \($0)" } ?? "")" } ?? "none"),
        ]
        return MemberSetup(solver: "channel", caseName: spec.name, simulation: simulation, schedules: [schedule],
                           includeInitial: spec.output.includeInitial ?? false, plannedSteps: simulation.plannedSteps,
                           details: details)
    }
}
