import Advection
import ArgumentParser
import Foundation
import SolverKit

/// `sluice bench advection`: cells updated per second by the limited finite-volume scheme (MC limiter, SSP-RK3,
/// LeVeque's swirl) and the spectral scheme (RK4, translation), beside a NumPy baseline of the same
/// finite-volume scheme run in the same invocation from the same initial state.
struct BenchAdvectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advection",
        abstract: "Advection cells updated per second (finite volume and spectral) against a NumPy baseline."
    )

    @Option(help: "Cells (points) per axis.")
    var size = 512

    @Option(help: "Steps to time.")
    var steps = 40

    @Option(help: "Rounds (Swift, then the baselines, repeated); each time is the fastest round's.")
    var rounds = 3

    @Option(help: "The baseline script (default: Benchmarks/python/advection_baselines.py under the repository).")
    var baselineScript: String?

    @Option(help: "Python interpreter for the baselines.")
    var python = "python3"

    @Flag(help: "Skip the Python baselines.")
    var noBaselines = false

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    func validate() throws {
        guard size >= 8, steps >= 1 else { throw ValidationError("--size must be at least 8 and --steps at least 1") }
    }

    func run() throws {
        let script = noBaselines ? nil : try BenchSupport.script(baselineScript, default: "Benchmarks/python/advection_baselines.py")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-advection-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows: [[String: Any]] = []
        if !json { print("2-D advection, \(size)x\(size), \(steps) steps, float64, one Swift thread (cells updated = cells x steps)") }
        for method in [AdvectionCase.Scheme.Method.finiteVolume, .spectral] {
            var measured: [[String: Any]] = []
            for _ in 0..<max(1, rounds) {
                var row = try measure(method, directory: directory)
                if method == .finiteVolume, let script, let dt = row["dt"] as? Double {
                    row.merge(try BenchSupport.runBaselines(
                        python: python, script: script,
                        arguments: ["--input", directory.appendingPathComponent("q0.f64").path, "--size", "\(size)",
                                    "--steps", "\(steps)", "--dt", "\(dt)", "--swirl-period", "1.5", "--output-dir", directory.path],
                        swiftResult: directory.appendingPathComponent("swift.f64").path, directory: directory)) { $1 }
                }
                measured.append(row)
            }
            var row = BenchSupport.merge(measured)
            for name in ["swift"] + BenchSupport.baselineNames {
                if let s = row["\(name)_seconds_per_step"] as? Double { row["\(name)_cells_per_second"] = Double(size * size) / s }
            }
            rows.append(row)
            if !json {
                let name = method == .finiteVolume ? "finite volume (MC, SSP-RK3, swirl)" : "spectral (RK4, translation)"
                print(BenchSupport.describe(row, unit: "ms/step", scale: 1e3, name: name))
            }
        }
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
        }
    }

    func measure(_ method: AdvectionCase.Scheme.Method, directory: URL) throws -> [String: Any] {
        var p = AdvectionParameters()
        p.swirlPeriod = 1.5
        p.centreY = method == .spectral ? 0.5 : 0.75
        let spec = AdvectionCase(name: "bench", parameters: p, grid: .init(points: size),
                                 flow: method == .spectral ? .translation : .swirl,
                                 initialCondition: method == .spectral ? .gaussian : .slottedCylinder,
                                 scheme: .init(method: method, limiter: .monotonizedCentral,
                                               timeStepper: method == .spectral ? "rk4" : "ssp-rk3"),
                                 time: .init(steps: steps), output: .init(every: ScheduleSpec(steps: steps), dtype: .float64))
        let warm = try AdvectionSimulation(case: spec, rigor: .measure)
        for _ in 0..<2 { try warm.advance() }
        let simulation = try AdvectionSimulation(case: spec, rigor: .measure)
        try BenchSupport.write(simulation.tracer(), to: directory.appendingPathComponent("q0.f64"))
        let timing = try BenchSupport.timeInBlocks(steps: steps) { try simulation.advance() }
        try BenchSupport.write(simulation.tracer(), to: directory.appendingPathComponent("swift.f64"))
        let cells = Double(size * size)
        return ["solver": "advection", "method": method.rawValue, "size": size, "steps": steps, "dt": simulation.timeStep,
                "swift_seconds_per_step": timing.fastest, "swift_median_seconds_per_step": timing.median,
                "swift_cells_per_second": cells / timing.fastest, "stages_per_step": simulation.tableau.stages]
    }
}
