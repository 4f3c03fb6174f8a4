import ArgumentParser
import Foundation
import NavierStokes2D
import SolverKit

/// `sluice bench ns2d`: the FNO Navier-Stokes step at several grid sizes (float64), beside NumPy and PyTorch (CPU)
/// implementations of the same recipe run in the same invocation from the same initial field, with the share of
/// the step spent in FFTW and the largest difference between the answers after the timed steps.
///
/// Every time is the fastest of about five blocks of steps (the median is in `--json`): on a shared machine the
/// minimum is the estimate least disturbed by other processes. PyTorch runs with one intra-op thread (the Swift
/// solver's budget) and with its default thread count.
struct BenchNS2DCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ns2d",
        abstract: "NS2D step time (FNO recipe, float64) against NumPy and PyTorch baselines of the same recipe."
    )

    @Option(help: "Grid sizes, comma-separated.")
    var sizes = "64,256,1024"

    @Option(help: "Steps per size (default: 2000 at 64, 500 at 256, 100 at 512, 30 at 1024).")
    var steps: Int?

    @Option(help: "Rounds per size (Swift, then the baselines, repeated); each time is the fastest round's.")
    var rounds = 3

    @Option(help: "The baseline script (default: Benchmarks/python/ns2d_baselines.py under the repository).")
    var baselineScript: String?

    @Option(help: "Python interpreter for the baselines.")
    var python = "python3"

    @Flag(help: "Skip the Python baselines.")
    var noBaselines = false

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    func run() throws {
        let grid = try sizes.split(separator: ",").map { text -> Int in
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 8, n % 2 == 0 else {
                throw ValidationError("--sizes '\(sizes)': each size must be an even integer >= 8")
            }
            return n
        }
        let script = noBaselines ? nil : try BenchSupport.script(baselineScript, default: "Benchmarks/python/ns2d_baselines.py")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-ns2d-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows: [[String: Any]] = []
        if !json { print("NS2D step, FNO recipe (cn-euler, dt 1e-4, nu 1e-3, GRF initial vorticity), float64, one Swift thread") }
        for n in grid {
            let count = steps ?? Self.defaultSteps(n)
            var measured: [[String: Any]] = []
            for _ in 0..<max(1, rounds) {
                var row = try measureSwift(n: n, steps: count, directory: directory)
                if let script {
                    row.merge(try BenchSupport.runBaselines(python: python, script: script,
                                                            arguments: ["--input", directory.appendingPathComponent("omega0.f64").path,
                                                                        "--size", "\(n)", "--steps", "\(count)",
                                                                        "--output-dir", directory.path],
                                                            swiftResult: directory.appendingPathComponent("swift.f64").path,
                                                            directory: directory)) { $1 }
                }
                measured.append(row)
            }
            let row = BenchSupport.merge(measured)
            rows.append(row)
            if !json { print(BenchSupport.describe(row, unit: "ms/step", scale: 1e3, name: "\(n)x\(n)")) }
        }
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
        }
    }

    /// About 0.5 s of Swift stepping per round: 2000 steps at 64^2, 500 at 256^2, 30 at 1024^2.
    static func defaultSteps(_ n: Int) -> Int {
        switch n {
        case ...64: 2000
        case ...256: 500
        case ...512: 100
        default: 30
        }
    }

    /// Steps a fresh FNO member `steps` times and returns its timing; writes omega0 and the final field.
    func measureSwift(n: Int, steps: Int, directory: URL) throws -> [String: Any] {
        var parameters = NS2DParameters()
        parameters.viscosity = 1e-3
        parameters.forcingAmplitude = 0.1
        let spec = NS2DCase(name: "bench", parameters: parameters, grid: .init(points: n, length: 1),
                            time: .init(scheme: "cn-euler", dt: 1e-4, steps: steps), forcing: .fno,
                            initialCondition: .init(kind: .grf),
                            output: .init(every: ScheduleSpec(steps: steps), fields: [.vorticity], dtype: .float64))
        // Warm up (plans measured, caches and pages touched) on a throwaway member; FFTW's wisdom makes the second
        // member's .measure planning instant.
        let warm = try VorticitySimulation(case: spec, rigor: .measure)
        for _ in 0..<3 { try warm.advance() }
        let simulation = try VorticitySimulation(case: spec, rigor: .measure)
        let initial = simulation.vorticityField()
        try BenchSupport.write(initial, to: directory.appendingPathComponent("omega0.f64"))
        simulation.equation.measureTransforms = true
        let start = DispatchTime.now().uptimeNanoseconds
        let timing = try BenchSupport.timeInBlocks(steps: steps) { try simulation.advance() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        try BenchSupport.write(simulation.vorticityField(), to: directory.appendingPathComponent("swift.f64"))
        return ["solver": "ns2d", "size": n, "steps": steps, "swift_seconds_per_step": timing.fastest,
                "swift_median_seconds_per_step": timing.median,
                "fft_share": simulation.equation.transformSeconds / seconds]
    }
}
