import ArgumentParser
import Foundation
import SolverKit
import Surrogates

/// `sluice bench train`: training throughput of the built-in surrogate (samples/s of forward, backward and Adam
/// on in-memory batches) beside the same MLP in PyTorch on CPU, in one run, with one thread and with the default
/// thread count on both sides. Before timing, the first step's loss and gradient are recomputed by PyTorch from
/// the same weights and batch, so both sides train the same network.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "MLP surrogate training samples/s (OpenBLAS, float32) against the same MLP in PyTorch (CPU)."
    )

    @Option(help: "Layer widths, comma-separated (default: the advection surrogate, 6 inputs, 32x32 outputs).")
    var widths = "6,256,256,1024"

    @Option(help: "Activation: relu or tanh.")
    var activation = "relu"

    @Option(help: "Batch sizes, comma-separated (one row each).")
    var batchSizes = "32,256"

    @Option(help: "Timed steps per measurement.")
    var steps = 300

    @Option(help: "Rounds (Swift, then PyTorch, repeated); each time is the fastest round's.")
    var rounds = 3

    @Option(help: "The baseline script (default: Benchmarks/python/mlp_baseline.py under the repository).")
    var baselineScript: String?

    @Option(help: "Python interpreter for the baseline.")
    var python = "python3"

    @Flag(help: "Skip the PyTorch baseline.")
    var noBaselines = false

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    func run() throws {
        let w = widths.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard w.count >= 2, w.allSatisfy({ $0 >= 1 }), let act = Activation(rawValue: activation) else {
            throw ValidationError("--widths '\(widths)' needs at least two positive widths; --activation relu or tanh")
        }
        let batches = batchSizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !batches.isEmpty, batches.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--batch-sizes '\(batchSizes)'") }
        let architecture = MLPArchitecture(inputs: w[0], hidden: Array(w.dropFirst().dropLast()), outputs: w[w.count - 1], activation: act)
        let script = noBaselines ? nil : try BenchSupport.script(baselineScript, default: "Benchmarks/python/mlp_baseline.py")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-train-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let defaultThreads = BLAS.threadCount
        if !json {
            print("MLP \(architecture), float32, MSE + Adam; samples/s of whole training steps on in-memory batches (fastest of \(rounds) rounds)")
        }
        var rows: [[String: Any]] = []
        for batch in batches {
            var row: [String: Any] = ["widths": w, "activation": activation, "batch_size": batch, "steps": steps,
                                      "blas_threads": defaultThreads]
            for _ in 0..<max(1, rounds) {
                BLAS.setThreadCount(1)
                let one = Self.measure(architecture, batch: batch, steps: steps)
                BLAS.setThreadCount(defaultThreads)
                let all = Self.measure(architecture, batch: batch, steps: steps)
                Self.keepFastest(&row, "swift_1thread", one)
                Self.keepFastest(&row, "swift", all)
                if let script {
                    let check = try Self.writeCheck(architecture, batch: batch, directory: directory)
                    let report = Self.runBaseline(python: python, script: script,
                                                  arguments: ["--widths", w.map(String.init).joined(separator: ","), "--activation", activation,
                                                              "--batch-size", "\(batch)", "--steps", "\(steps)", "--threads", "\(defaultThreads)",
                                                              "--check-dir", directory.path])
                    if let error = report["error"] as? String { row["torch_error"] = error; continue }
                    for name in ["torch_1thread", "torch"] {
                        guard let entry = report[name] as? [String: Any], let s = entry["seconds_per_step"] as? Double else {
                            row["\(name)_error"] = (report[name] as? [String: Any])?["error"] ?? "no result"
                            continue
                        }
                        Self.keepFastest(&row, name, (s, entry["median_seconds_per_step"] as? Double ?? s))
                    }
                    if let versions = report["versions"] { row["versions"] = versions }
                    if let c = report["check"] as? [String: Any], let loss = c["loss"] as? Double {
                        let theirs = try Self.readFloats(directory.appendingPathComponent("torch_gradient.f32"))
                        row["check_loss_relative_difference"] = abs(loss - check.loss) / max(1e-30, abs(loss))
                        if theirs.count == check.gradient.count {
                            var d = 0.0, n = 0.0
                            for (a, b) in zip(check.gradient, theirs) { d += Double(a - b) * Double(a - b); n += Double(b) * Double(b) }
                            row["check_gradient_relative_difference"] = (d / max(1e-300, n)).squareRoot()
                        }
                    }
                }
            }
            for name in ["swift", "swift_1thread", "torch", "torch_1thread"] {
                if let s = row["\(name)_seconds_per_step"] as? Double { row["\(name)_samples_per_second"] = Double(batch) / s }
            }
            if let s = row["swift_seconds_per_step"] as? Double, let t = row["torch_seconds_per_step"] as? Double { row["speedup_vs_torch"] = t / s }
            if let s = row["swift_1thread_seconds_per_step"] as? Double, let t = row["torch_1thread_seconds_per_step"] as? Double {
                row["speedup_1thread_vs_torch_1thread"] = t / s
            }
            rows.append(row)
            if !json { print(Self.describe(row)) }
        }
        if json { print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self)) }
    }

    /// Seconds per step (fastest block, median block) of forward + backward + Adam on a fixed random batch.
    static func measure(_ architecture: MLPArchitecture, batch: Int, steps: Int) -> (Double, Double) {
        var model = MLP<Float>(architecture, seed: 1)
        var adam = Adam<Float>(parameterCount: architecture.parameterCount)
        let workspace = MLPWorkspace<Float>(architecture, batch: batch)
        var rng = BenchNormals(seed: 2)
        let x = (0..<(batch * architecture.inputs)).map { _ in rng.normal() }
        let t = (0..<(batch * architecture.outputs)).map { _ in rng.normal() }
        var gradient = [Float](repeating: 0, count: architecture.parameterCount)
        func step() {
            x.withUnsafeBufferPointer { xb in
                t.withUnsafeBufferPointer { tb in
                    gradient.withUnsafeMutableBufferPointer { g in
                        _ = workspace.lossAndGradient(model, inputs: xb, targets: tb, batch: batch, gradient: g)
                    }
                }
            }
            gradient.withUnsafeBufferPointer { adam.update(&model.parameters, gradient: $0) }
        }
        for _ in 0..<max(3, steps / 20) { step() }
        return BenchSupport.timeInBlocks(steps: steps) { step() }
    }

    /// Writes the first step's weights and batch for PyTorch and returns Swift's loss and gradient on them.
    static func writeCheck(_ architecture: MLPArchitecture, batch: Int, directory: URL) throws -> (loss: Double, gradient: [Float]) {
        let model = MLP<Float>(architecture, seed: 3)
        var rng = BenchNormals(seed: 4)
        let x = (0..<(batch * architecture.inputs)).map { _ in rng.normal() }
        let t = (0..<(batch * architecture.outputs)).map { _ in rng.normal() }
        var gradient = [Float](repeating: 0, count: architecture.parameterCount)
        let loss = model.lossAndGradient(inputs: x, targets: t, batch: batch, gradient: &gradient)
        for (name, values) in [("params", model.parameters), ("inputs", x), ("targets", t)] {
            try values.withUnsafeBytes { Data($0) }.write(to: directory.appendingPathComponent("\(name).f32"))
        }
        return (loss, gradient)
    }

    static func readFloats(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }

    static func keepFastest(_ row: inout [String: Any], _ name: String, _ time: (Double, Double)) {
        let key = "\(name)_seconds_per_step"
        if let old = row[key] as? Double, old <= time.0 { return }
        row[key] = time.0
        row["\(name)_median_seconds_per_step"] = time.1
    }

    static func runBaseline(python: String, script: String, arguments: [String]) -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { return ["error": "cannot run \(python) \(script): \(error)"] }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let report = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] else {
            return ["error": "\(script) failed: \(String(decoding: stderr, as: UTF8.self).suffix(500))"]
        }
        return report
    }

    static func describe(_ row: [String: Any]) -> String {
        func rate(_ name: String) -> String {
            (row["\(name)_samples_per_second"] as? Double).map { String(format: "%.0f samples/s", $0) } ?? "-"
        }
        var parts = ["batch \(row["batch_size"] ?? "?"):",
                     "1 thread: swift \(rate("swift_1thread")), torch \(rate("torch_1thread"))"]
        if let s = row["speedup_1thread_vs_torch_1thread"] as? Double { parts.append(String(format: "(swift %.2fx)", s)) }
        parts.append("| \(row["blas_threads"] ?? "?") threads: swift \(rate("swift")), torch \(rate("torch"))")
        if let s = row["speedup_vs_torch"] as? Double { parts.append(String(format: "(swift %.2fx)", s)) }
        if let g = row["check_gradient_relative_difference"] as? Double, let l = row["check_loss_relative_difference"] as? Double {
            parts.append(String(format: "| same network: loss rel diff %.1e, gradient rel diff %.1e", l, g))
        }
        for key in ["torch_error", "torch_1thread_error"] { if let e = row[key] { parts.append("\(key): \(e)") } }
        return parts.joined(separator: " ")
    }
}

/// Seeded normal draws for benchmark data (Box-Muller on SplitMix64).
struct BenchNormals {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func uniform() -> Double {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (Double((z ^ (z >> 31)) >> 11) + 0.5) * 0x1p-53
    }
    mutating func normal() -> Float {
        Float((-2 * Foundation.log(uniform())).squareRoot() * Foundation.cos(2 * Double.pi * uniform()))
    }
}
