import Foundation
import SolverRuntime
import Testing

@Suite("Progress line")
struct ProgressTests {
    @Test("the progress line shows step, simulated time, steps/s and the ETA at the rate so far")
    func line() {
        let p = RunProgress(member: 3, step: 1200, lastStep: 500_000, startStep: 200, time: 0.12, endTime: 50,
                         snapshots: 2, elapsed: 2)
        #expect(p.stepsPerSecond == 500)
        #expect(p.remainingSeconds == 997.6)  // (500000 - 1200) / 500
        #expect(p.line == "member 3  step 1200/500000 (0.2%)  t = 0.12/50  500 steps/s  ETA 16m 38s  2 snapshots")
        #expect(RunProgress.duration(42) == "42s")
        #expect(RunProgress.duration(7380) == "2h 03m")
    }

    @Test("a log (not a terminal) gets plain lines, throttled, plus the final summary")
    func logLines() throws {
        let path = NSTemporaryDirectory() + "progress-\(UUID().uuidString).log"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let reporter = LiveLineProgress(handle: handle, logInterval: 10)
        for step in UInt64(1)...30 {
            reporter.update(RunProgress(member: 0, step: step, lastStep: 30, startStep: 0, time: Double(step), endTime: 30,
                                     snapshots: 0, elapsed: Double(step)))
        }
        reporter.finish(RunSummary(steps: 30, time: 30, snapshotsWritten: 4, snapshotsSkipped: 1, bytesWritten: 0, wallSeconds: 30),
                        member: 0)
        try handle.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        // Steps 1, 11, 21 (every 10 s of elapsed time) and the last step 30, then the summary.
        #expect(lines.count == 5)
        #expect(lines.first?.hasPrefix("member 0  step 1/30") == true)
        #expect(lines.last == "member 0: 30 steps to t = 30 in 30s (1 steps/s), 4 snapshots written, 1 already held by the server")
    }
}
