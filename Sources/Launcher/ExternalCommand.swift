import Foundation

/// A command-line tool run to completion (sbatch, squeue, scontrol, sacct, scancel), with its output.
struct ExternalCommand {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    /// `tool` and its arguments as the launcher ran them, for messages.
    var summary: String

    var succeeded: Bool { status == 0 && !timedOut }

    /// Runs `tool` (found on PATH) with `arguments`; it is killed after `timeout` seconds (a Slurm controller that
    /// does not answer must not freeze the launcher). Output goes through files, so a chatty tool never blocks on
    /// a full pipe.
    static func run(_ tool: String, _ arguments: [String], timeout: Double = 60) -> ExternalCommand {
        let summary = ([tool] + arguments).joined(separator: " ")
        let base = NSTemporaryDirectory() + "sluice-\(tool)-\(getpid())-\(UUID().uuidString.prefix(8))"
        let outPath = base + ".out", errPath = base + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        guard FileManager.default.createFile(atPath: outPath, contents: nil),
              FileManager.default.createFile(atPath: errPath, contents: nil),
              let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            return ExternalCommand(status: 127, stdout: "", stderr: "cannot create temporary files for \(tool)", timedOut: false,
                                   summary: summary)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + arguments
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            return ExternalCommand(status: 127, stdout: "", stderr: "cannot run \(tool): \(error)", timedOut: false, summary: summary)
        }
        let deadline = Date().addingTimeInterval(timeout)
        var pause = 0.001
        while p.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, 0.02)
        }
        let timedOut = p.isRunning
        if timedOut { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        // env exits 127 when the tool is not on PATH.
        return ExternalCommand(status: p.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut, summary: summary)
    }

    /// "squeue -h ... failed (status 1): slurm_load_jobs error: ..." for messages.
    var failure: String {
        let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if timedOut { return "\(summary) did not answer in time" }
        if status == 127 && detail.contains("No such file") { return "\(summary): command not found (is Slurm installed and on PATH?)" }
        return "\(summary) failed (status \(status))" + (detail.isEmpty ? "" : ": \(detail)")
    }
}
