import Archive
import ArgumentParser
import Foundation
import HDF5
import SluiceModel

/// `sluice bench export`: write throughput of the archive writer (`WellFileWriter`: chunk per snapshot, statistics,
/// direct chunk writes, chunks compressed on several threads) beside h5py writing the same arrays with the same
/// chunking and filters, measured in the same invocation.
struct BenchExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Archive write throughput (uncompressed and deflate) against h5py writing the same arrays."
    )

    @Option(help: "Points per axis of the 2-D float32 snapshots.")
    var size = 256

    @Option(help: "Snapshots written per round.")
    var snapshots = 256

    @Option(help: "Deflate level for the compressed measurement.")
    var level = 1

    @Option(help: "Worker threads preparing chunks besides the writer's (default: the number of cores; 0: the writer's thread alone).")
    var threads: Int?

    @Option(help: "Rounds, alternating Swift and h5py; each time is the fastest round's.")
    var rounds = 3

    @Option(help: "Directory for the files written (default: the system's temporary directory).")
    var directory: String?

    @Option(help: "The baseline script (default: Benchmarks/python/export_h5py_baseline.py under the repository).")
    var baselineScript: String?

    @Option(help: "Python interpreter for the baseline.")
    var python = "python3"

    @Flag(help: "Skip the h5py baseline.")
    var noBaselines = false

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    func validate() throws {
        guard size >= 4, snapshots >= 1, rounds >= 1, (0...9).contains(level), (threads ?? 0) >= 0 else {
            throw ValidationError("--size >= 4, --snapshots >= 1, --rounds >= 1 and --level in 0...9, please")
        }
    }

    func run() throws {
        let script = noBaselines ? nil : try BenchSupport.script(baselineScript, default: "Benchmarks/python/export_h5py_baseline.py")
        let base = URL(fileURLWithPath: directory ?? FileManager.default.temporaryDirectory.path)
            .appendingPathComponent("sluice-bench-export-\(getpid())")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let snapshotsData = Self.fields(size: size, count: snapshots)
        let input = base.appendingPathComponent("snapshots.f32")
        try Data(snapshotsData.joined()).write(to: input)
        let megabytes = Double(size * size * 4 * snapshots) / 1e6
        if !json {
            print("archive write, \(snapshots) snapshots of \(size)x\(size) float32 (\(String(format: "%.1f", megabytes)) MB), "
                  + "chunk = one snapshot, \(threadCount) worker thread(s) preparing chunks, \(rounds) rounds (fastest shown)")
        }
        var rows: [[String: Any]] = []
        for compression in [Compression.none, .deflate(level: level)] {
            let path = base.appendingPathComponent("swift.hdf5").path
            var swiftSeconds: [Double] = []
            var baselines: [[String: Any]] = []
            var stored = 0
            // Rounds alternate Swift and h5py, so that both see the same share of a shared machine's load.
            for _ in 0..<rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                let writer = try WellFileWriter(path: path, layout: layout(compression: compression, threads: threadCount))
                for (t, bytes) in snapshotsData.enumerated() { try writer.append(time: Double(t), rawFields: [bytes]) }
                try writer.finish()
                swiftSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                stored = writer.storedBytes
                if let script {
                    baselines.append(try baseline(script: script, input: input.path, compression: compression,
                                                  output: base.appendingPathComponent("h5py.hdf5").path, check: path))
                }
            }
            var row: [String: Any] = [
                "benchmark": "export", "compression": compression.description, "size": size, "snapshots": snapshots,
                "megabytes": megabytes, "threads": threadCount, "swift_seconds": swiftSeconds.min() ?? 0,
                "swift_mb_per_s": megabytes / (swiftSeconds.min() ?? 1), "swift_stored_bytes": stored,
                "load_average": Self.loadAverage(),
            ]
            if let fastest = baselines.filter({ $0["h5py_seconds"] != nil }).min(by: {
                ($0["h5py_seconds"] as? Double ?? .infinity) < ($1["h5py_seconds"] as? Double ?? .infinity)
            }) {
                row.merge(fastest) { $1 }
                row["sluice_file_matches"] = baselines.allSatisfy { $0["sluice_file_matches"] as? Bool ?? false }
                if let theirs = row["h5py_seconds"] as? Double, let ours = row["swift_seconds"] as? Double, ours > 0 {
                    row["speedup_vs_h5py"] = theirs / ours
                }
            } else if let failed = baselines.first {
                row.merge(failed) { $1 }
            }
            rows.append(row)
            if !json { print(Self.describe(row)) }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    func layout(compression: Compression, threads: Int) -> WellFileLayout {
        let axis = (0..<size).map { Double($0) / Double(size) }
        return WellFileLayout(datasetName: "bench", axes: [WellAxis(name: "x", coordinates: axis, boundary: .periodic),
                                                           WellAxis(name: "y", coordinates: axis, boundary: .periodic)],
                              fields: [WellField(name: "u")], compression: compression, compressionThreads: threads)
    }

    /// Smooth fields with a little noise (float fields compress only 1.1-1.3x with deflate, as solver output does).
    static func fields(size n: Int, count: Int) -> [[UInt8]] {
        var generator = Xoshiro256StarStar(seed: 42)
        return (0..<count).map { t in
            let values: [Float] = (0..<(n * n)).map { index in
                let x = Double(index / n) / Double(n), y = Double(index % n) / Double(n)
                let smooth = sin(2 * .pi * (x + 0.01 * Double(t))) * cos(4 * .pi * y) + 0.3 * sin(6 * .pi * (x + y))
                return Float(smooth + 1e-3 * (Double(generator.next() >> 11) / Double(1 << 53) - 0.5))
            }
            return values.withUnsafeBytes { Array($0) }
        }
    }

    func baseline(script: String, input: String, compression: Compression, output: String, check: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--input", input, "--size", "\(size)", "--snapshots", "\(snapshots)",
                             "--level", "\(compression.deflateLevel ?? -1)", "--rounds", "1", "--output", output,
                             "--check", check]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let report = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any],
              let seconds = report["seconds"] as? [Double], let best = seconds.min() else {
            return ["baseline_error": String(String(decoding: stderr, as: UTF8.self).suffix(400))]
        }
        let megabytes = Double(size * size * 4 * snapshots) / 1e6
        var row: [String: Any] = ["h5py_seconds": best, "h5py_mb_per_s": megabytes / best]
        row["h5py_stored_bytes"] = report["bytes"]
        row["sluice_file_matches"] = report["sluice_file_matches"]
        row["versions"] = report["versions"]
        return row
    }

    /// The 1-minute load average (a shared machine's other work), or -1 when unknown.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
              let first = text.split(separator: " ").first, let value = Double(first) else { return -1 }
        return value
    }

    static func describe(_ row: [String: Any]) -> String {
        let rate = { (key: String) in (row[key] as? Double).map { String(format: "%.0f MB/s", $0) } ?? "-" }
        var text = "\(row["compression"] ?? ""): swift \(rate("swift_mb_per_s"))"
        if let stored = row["swift_stored_bytes"] as? Int, let mb = row["megabytes"] as? Double, stored > 0 {
            text += String(format: " (ratio %.2f)", mb * 1e6 / Double(stored))
        }
        if let error = row["baseline_error"] { return text + "  h5py failed: \(error)" }
        if row["h5py_mb_per_s"] != nil { text += "  h5py \(rate("h5py_mb_per_s"))" }
        if let speedup = row["speedup_vs_h5py"] as? Double { text += String(format: "  (swift %.2fx h5py)", speedup) }
        if let matches = row["sluice_file_matches"] as? Bool { text += matches ? "  [h5py reads Sluice's file back identical]" : "  [MISMATCH in Sluice's file]" }
        if let load = row["load_average"] as? Double, load >= 0 { text += String(format: "  load %.1f", load) }
        return text
    }
}
