import Foundation
import Testing
import TestSupport

/// A study of synthetic members in a scratch directory, run by a real `sluice launch` process.
struct StudyRun {
    let directory: TemporaryDirectory
    let workDir: String
    let studyPath: String
    let reportPath: String

    init(members: Int, steps: Int, computeMs: Int, concurrency: Int, extraParameters: String = "", silence: Double = 10,
         checkpointInterval: Double = 1, maxAttempts: Int = 6, marker: Bool = false, curve: Bool = false) throws {
        directory = try TemporaryDirectory(prefix: "sluice-launch")
        workDir = directory.path("work")
        studyPath = directory.path("study.yaml")
        reportPath = directory.path("checker.json")
        let caseText = """
            solver: synthetic
            name: synthetic
            parameters: {amplitude: 1.0, steps: \(steps), compute_ms: \(computeMs), fail_at_step: -1, hang_at_step: -1\(extraParameters)}
            shape: [16, 16]
            \(marker ? "marker: \(directory.path("marker-{member}"))" : "")
            """
        try caseText.write(toFile: directory.path("synthetic.yaml"), atomically: true, encoding: .utf8)
        let studyText = """
            name: fault-test
            case: synthetic.yaml
            members: \(members)
            seed: 3
            design: halton
            parameters: {amplitude: {distribution: uniform, low: 1, high: 2}}
            concurrency: \(concurrency)
            curve: \(curve)
            server: {policy: fifo, capacity_bytes: 8388608, checkpoint_interval_s: \(checkpointInterval)}
            timeouts: {silence_seconds: \(silence)}
            retries: {max_attempts: \(maxAttempts), on_exhaustion: fail}
            consumers:
              - name: checker
                command: [consume, --group, checker, --batch-size, "8", --verify, --idle-timeout, "120", --report, "\(reportPath)"]
            """
        try studyText.write(toFile: studyPath, atomically: true, encoding: .utf8)
    }

    func launch(_ extra: [String] = [], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(sluiceBinary(), ["launch", studyPath, "--work-dir", workDir, "--plain"] + extra, name: "launch",
                         environment: environment, directory: directory)
    }

    /// Pids of this study's running `sluice solve` members.
    func memberPids() -> [Int32] { pids(matching: directory.path("synthetic.yaml")) }

    func serverPid() -> Int32? { pids(matching: "\(workDir)/server.json").first }

    func pids(matching text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
    }

    func accounting() throws -> [String: Any] {
        guard let doc = try readJSON("\(workDir)/accounting.json") as? [String: Any] else {
            throw FrameFile.FormatError(description: "no accounting in \(workDir)")
        }
        return doc
    }

    func journal() -> [[String: Any]] {
        let text = (try? String(contentsOfFile: "\(workDir)/journal.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Every member done, each with exactly the planned steps 0...steps accepted, and the checker received every
    /// (member, step) exactly once, intact.
    func expectComplete(members: Int, steps: Int, output: String, exactlyOnceDelivery: Bool = true) throws {
        let doc = try accounting()
        let rows = (doc["members"] as? [[String: Any]]) ?? []
        #expect(rows.count == members, "\(output)")
        for row in rows {
            let m = row["member"] as? Int ?? -1
            #expect(row["outcome"] as? String == "done", "member \(m): \(row)\n\(output)")
            #expect(row["accepted"] as? Int == steps + 1 && row["planned"] as? Int == steps + 1, "member \(m): \(row)")
            #expect((row["accepted_steps"] as? [[Int]]) == [[0, steps]], "member \(m): \(row)")
        }
        #expect(doc["samples_in"] as? Int == members * (steps + 1), "accepted once each: \(doc["samples_in"] ?? "?")")
        guard let report = try readJSON(reportPath, waitSeconds: 30) as? [String: Any],
              let received = report["received"] as? [[Int]] else {
            Issue.record("no checker report")
            return
        }
        #expect((report["failures"] as? [String])?.isEmpty == true)
        let pairs = received.map { [$0[0], $0[1]] }
        if exactlyOnceDelivery { #expect(pairs.count == Set(pairs).count, "the checker received a sample twice") }
        #expect(Set(pairs) == Set((0..<members).flatMap { m in (0...steps).map { [m, $0] } }))
    }
}

@Suite("end to end: studies under sluice launch", .serialized)
struct LaunchTests {
    @Test("kill -9 of random members during a study: it completes and every member's steps are accepted exactly once")
    func membersKilled() throws {
        let run = try StudyRun(members: 6, steps: 25, computeMs: 40, concurrency: 3)
        defer { run.directory.remove() }
        let launcher = try run.launch()
        var killed = 0
        var rng = SystemRandomNumberGenerator()
        let deadline = Date().addingTimeInterval(60)
        while killed < 4, launcher.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.6)
            if let victim = run.memberPids().randomElement(using: &rng) {
                kill(victim, SIGKILL)
                killed += 1
            }
        }
        #expect(killed >= 3)
        #expect(launcher.wait(seconds: 180) == 0, "\(launcher.output)")
        try run.expectComplete(members: 6, steps: 25, output: launcher.output)
        let exits = run.journal().filter { $0["event"] as? String == "member-exit" && ($0["status"] as? Int ?? 0) != 0 }
        #expect(exits.count >= 3, "killed members must show as failed attempts in the journal")
    }

    @Test("kill -9 of the server: the launcher restarts it from its checkpoint and the study completes")
    func serverKilled() throws {
        let run = try StudyRun(members: 4, steps: 40, computeMs: 50, concurrency: 4, checkpointInterval: 0.5)
        defer { run.directory.remove() }
        let launcher = try run.launch()
        _ = waitUntil(seconds: 30) { run.serverPid() != nil && run.memberPids().count == 4 }
        Thread.sleep(forTimeInterval: 1.2)
        let first = try #require(run.serverPid())
        kill(first, SIGKILL)
        #expect(launcher.wait(seconds: 180) == 0, "\(launcher.output)")
        // Samples served after the last checkpoint come back with the restored reservoir: delivery to consumers is
        // at-least-once across a server crash (acceptance stays exactly-once).
        try run.expectComplete(members: 4, steps: 40, output: launcher.output, exactlyOnceDelivery: false)
        let starts = run.journal().filter { $0["event"] as? String == "server-start" }
        #expect(starts.count == 2)
        let serverLog = (try? String(contentsOfFile: "\(run.workDir)/logs/server.log", encoding: .utf8)) ?? ""
        #expect(serverLog.contains("restored checkpoint"), "\(serverLog)")
    }

    @Test("a member that hangs is detected by its silence, killed and relaunched")
    func hungMember() throws {
        let run = try StudyRun(members: 2, steps: 15, computeMs: 20, concurrency: 2,
                               extraParameters: "", silence: 2, marker: true)
        // Member runs hang once at step 5 (the marker makes the relaunch run through).
        let caseText = try String(contentsOfFile: run.directory.path("synthetic.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "hang_at_step: -1", with: "hang_at_step: 5")
        try caseText.write(toFile: run.directory.path("synthetic.yaml"), atomically: true, encoding: .utf8)
        defer { run.directory.remove() }
        let launcher = try run.launch()
        #expect(launcher.wait(seconds: 120) == 0, "\(launcher.output)")
        try run.expectComplete(members: 2, steps: 15, output: launcher.output)
        // Each member hung once and was killed for it (silent; or disconnected, if it hung before its session
        // was up on a slow machine).
        let killed = run.journal().filter {
            $0["event"] as? String == "member-exit" && ["silent", "disconnected"].contains($0["reason"] as? String ?? "")
        }
        #expect(Set(killed.compactMap { $0["member"] as? Int }) == [0, 1], "\(run.journal())")
    }

    @Test("a study with curve: true runs every connection through CURVE with keys the launcher makes")
    func curveStudy() throws {
        let run = try StudyRun(members: 3, steps: 10, computeMs: 10, concurrency: 3, curve: true)
        defer { run.directory.remove() }
        let launcher = try run.launch()
        #expect(launcher.wait(seconds: 120) == 0, "\(launcher.output)")
        try run.expectComplete(members: 3, steps: 10, output: launcher.output)
        let serverLog = (try? String(contentsOfFile: "\(run.workDir)/logs/server.log", encoding: .utf8)) ?? ""
        #expect(serverLog.contains("CURVE authentication and encryption on every endpoint"), "\(serverLog)")
        var info = stat()
        #expect(stat("\(run.workDir)/keys/members.key", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("sluice launch run again after its own crash resumes the study where it stopped")
    func launcherResumes() throws {
        let run = try StudyRun(members: 6, steps: 20, computeMs: 40, concurrency: 2)
        defer { run.directory.remove() }
        let first = try run.launch()
        // Let some members finish, then kill the launcher (its members and server are left behind).
        _ = waitUntil(seconds: 60) { run.journal().filter { $0["event"] as? String == "member-done" }.count >= 2 }
        first.signal(SIGKILL)
        first.wait(seconds: 10)
        let doneBefore = Set(run.journal().filter { $0["event"] as? String == "member-done" }.compactMap { $0["member"] as? Int })
        #expect(doneBefore.count >= 2)
        let second = try run.launch()
        #expect(second.wait(seconds: 180) == 0, "\(second.output)")
        #expect(second.stdout.contains("resuming study"))
        try run.expectComplete(members: 6, steps: 20, output: second.output)
        // Members done before the crash were not run again.
        let starts = run.journal().filter { $0["event"] as? String == "member-start" }
        for m in doneBefore {
            #expect(starts.filter { $0["member"] as? Int == m }.count == 1, "member \(m) ran again")
        }
        // A third run finds the study complete and starts nothing (no server, no consumer rewriting outputs).
        let linesBefore = run.journal().count
        let third = try run.launch()
        #expect(third.wait(seconds: 60) == 0, "\(third.output)")
        #expect(third.output.contains("already complete"), "\(third.output)")
        #expect(run.journal().count == linesBefore)
    }
}
