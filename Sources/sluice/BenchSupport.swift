import ArgumentParser
import Foundation

/// Shared pieces of the solver benchmarks: finding and running a Python baseline script, comparing its answer
/// with Swift's, and printing a row.
enum BenchSupport {
    /// The script at `path`, or `relative` under the current directory or the repository the binary was built in.
    static func script(_ path: String?, default relative: String) throws -> String {
        if let path {
            guard FileManager.default.isReadableFile(atPath: path) else { throw ValidationError("baseline script \(path) not found") }
            return path
        }
        var candidates = [FileManager.default.currentDirectoryPath + "/" + relative]
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(url.appendingPathComponent(relative).path)
            url.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw ValidationError("cannot find \(relative); run from the repository root or pass --baseline-script (or --no-baselines)")
        }
        return found
    }

    /// Writes doubles as raw little-endian bytes.
    static func write(_ values: [Double], to url: URL) throws {
        try values.withUnsafeBytes { Data($0) }.write(to: url)
    }

    /// Reads raw little-endian doubles.
    static func read(_ path: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0..<(data.count / 8)).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) } }
    }

    /// Runs the baseline script and returns its timings (per step) and answer differences as row keys.
    static func runBaselines(python: String, script: String, arguments: [String], swiftResult: String,
                             directory: URL) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let report = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] else {
            return ["baseline_error": "\(script) failed: \(String(decoding: stderr, as: UTF8.self).suffix(500))"]
        }
        var row: [String: Any] = [:]
        let swift = try read(swiftResult)
        for name in baselineNames {
            guard let entry = report[name] as? [String: Any] else { continue }
            if let error = entry["error"] as? String { row["\(name)_error"] = error; continue }
            guard let seconds = entry["seconds_per_step"] as? Double else { continue }
            row["\(name)_seconds_per_step"] = seconds
            if let median = entry["median_seconds_per_step"] as? Double { row["\(name)_median_seconds_per_step"] = median }
            if let threads = entry["threads"] as? Int { row["\(name)_threads"] = threads }
            let theirs = try read(directory.appendingPathComponent("\(name).f64").path)
            if theirs.count == swift.count {
                row["max_abs_diff_\(name)"] = zip(swift, theirs).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
            }
        }
        if let versions = report["versions"] as? [String: Any] { row["versions"] = versions }
        return row
    }

    /// Merges the rows of several rounds of one measurement: every `*seconds_per_step` key takes its smallest value
    /// (on a shared machine the least disturbed round), other keys the first round's; then the speed-ups are
    /// computed from the merged times.
    static func merge(_ rounds: [[String: Any]]) -> [String: Any] {
        guard var merged = rounds.first else { return [:] }
        for row in rounds.dropFirst() {
            for (key, value) in row {
                guard key.hasSuffix("seconds_per_step"), let v = value as? Double else {
                    if merged[key] == nil { merged[key] = value }
                    continue
                }
                merged[key] = min(v, merged[key] as? Double ?? v)
            }
        }
        if let swift = merged["swift_seconds_per_step"] as? Double, swift > 0 {
            for name in baselineNames {
                if let theirs = merged["\(name)_seconds_per_step"] as? Double { merged["speedup_vs_\(name)"] = theirs / swift }
            }
        }
        merged["rounds"] = rounds.count
        return merged
    }

    /// The baselines a script may report, in print order.
    static let baselineNames = ["numpy", "torch_1thread", "torch"]

    /// Runs `body` (one step) `steps` times in about five blocks; returns the fastest and the median block's
    /// seconds per step (the minimum is the estimate least disturbed by other processes on a shared machine).
    static func timeInBlocks(steps: Int, _ body: () throws -> Void) rethrows -> (fastest: Double, median: Double) {
        let block = max(1, steps / 5)
        var times: [Double] = []
        var done = 0
        while done < steps {
            let size = min(block, steps - done)
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<size { try body() }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / Double(size))
            done += size
        }
        times.sort()
        return (times[0], times[times.count / 2])
    }

    /// One printed line of a row.
    static func describe(_ row: [String: Any], unit: String, scale: Double, name: String) -> String {
        func time(_ key: String) -> String {
            (row[key] as? Double).map { String(format: "%.3f %@", $0 * scale, unit) } ?? "-"
        }
        var parts = ["\(name):", "swift \(time("swift_seconds_per_step"))"]
        if let share = row["fft_share"] as? Double { parts.append(String(format: "(%.0f%% in FFTW)", share * 100)) }
        if let rate = row["swift_cells_per_second"] as? Double { parts.append(String(format: "(%.3g cells/s)", rate)) }
        for name in baselineNames {
            if let error = row["\(name)_error"] as? String { parts.append("\(name): \(error)"); continue }
            guard row["\(name)_seconds_per_step"] != nil else { continue }
            let label = (row["\(name)_threads"] as? Int).map { "torch (\($0) thread\($0 == 1 ? "" : "s"))" } ?? name
            var text = "\(label) \(time("\(name)_seconds_per_step"))"
            if let speedup = row["speedup_vs_\(name)"] as? Double { text += String(format: " (swift %.2fx faster", speedup) }
            if let diff = row["max_abs_diff_\(name)"] as? Double { text += String(format: ", max |diff| %.2e)", diff) } else { text += ")" }
            parts.append(text)
        }
        if let error = row["baseline_error"] as? String { parts.append("baselines failed: \(error)") }
        return parts.joined(separator: "  ")
    }
}
