import Foundation
import Testing
import TestSupport

/// A Slurm cluster for the test: the single-node cluster of ops/local-cluster.sh (in $SLUICE_SLURM_DIR, default
/// /tmp/sluice-slurm), used if it is running, else started here and stopped again by `release()`. The tests never
/// submit to whatever cluster SLURM_CONF names: their servers bind 127.0.0.1.
struct SlurmCluster {
    let conf: String
    let startedHere: Bool

    /// Whether Slurm's daemons and commands are installed.
    static var installed: Bool {
        ["sbatch", "squeue", "scancel", "scontrol", "slurmctld", "slurmd", "munged"].allSatisfy { tool in
            ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"].contains {
                FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
            }
        }
    }

    static var required: Bool { ProcessInfo.processInfo.environment["SLUICE_REQUIRE_SLURM"] == "1" }

    static let skipReason = "Slurm is not installed (ops/setup.sh --with-slurm installs it; SLUICE_REQUIRE_SLURM=1 makes this a failure)"

    static func script(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32?, String) {
        let directory = try TemporaryDirectory(prefix: "sluice-local-cluster")
        defer { directory.remove() }
        let p = try ChildProcess("/bin/bash", [repositoryRoot() + "/ops/local-cluster.sh"] + arguments, environment: environment,
                                 directory: directory)
        let code = p.wait(seconds: 90)
        return (code, p.output)
    }

    static func answers(_ conf: String) -> Bool {
        guard FileManager.default.fileExists(atPath: conf),
              let directory = try? TemporaryDirectory(prefix: "sluice-squeue") else { return false }
        defer { directory.remove() }
        guard let p = try? ChildProcess("/usr/bin/env", ["squeue", "--noheader"], environment: ["SLURM_CONF": conf],
                                        directory: directory) else { return false }
        return p.wait(seconds: 20) == 0
    }

    static func acquire() throws -> SlurmCluster {
        let directory = ProcessInfo.processInfo.environment["SLUICE_SLURM_DIR"] ?? "/tmp/sluice-slurm"
        let conf = "\(directory)/slurm.conf"
        if answers(conf) { return SlurmCluster(conf: conf, startedHere: false) }
        let (code, output) = try script(["start"], environment: ["SLUICE_SLURM_DIR": directory])
        guard code == 0, answers(conf) else {
            throw FrameFile.FormatError(description: "ops/local-cluster.sh start failed:\n\(output)")
        }
        return SlurmCluster(conf: conf, startedHere: true)
    }

    func release() {
        if startedHere {
            let directory = URL(fileURLWithPath: conf).deletingLastPathComponent().path
            _ = try? Self.script(["stop"], environment: ["SLUICE_SLURM_DIR": directory])
        }
    }

    /// Runs a Slurm command against this cluster; its standard output.
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let directory = try TemporaryDirectory(prefix: "sluice-slurm-cmd")
        defer { directory.remove() }
        let p = try ChildProcess("/usr/bin/env", [tool] + arguments, environment: ["SLURM_CONF": conf], directory: directory)
        _ = p.wait(seconds: 30)
        return p.stdout
    }

    /// Cancels every job a study's journal names (left over when a test fails half-way).
    func cancelJobs(of run: StudyRun) {
        let ids = run.journal().compactMap { $0["job"] as? String }
        if !ids.isEmpty { _ = try? self.run("scancel", ids) }
    }
}

@Suite("end to end: studies under sluice launch --scheduler slurm", .serialized,
       .enabled(if: SlurmCluster.installed || SlurmCluster.required, Comment(rawValue: SlurmCluster.skipReason)))
struct SlurmLaunchTests {
    /// The cluster, or a recorded failure when Slurm is required but missing.
    func cluster() throws -> SlurmCluster? {
        guard SlurmCluster.installed else {
            Issue.record("SLUICE_REQUIRE_SLURM=1 but \(SlurmCluster.skipReason)")
            return nil
        }
        return try SlurmCluster.acquire()
    }

    @Test("a study on Slurm: server, consumer and member array are jobs; a member killed with kill -9 and one cancelled with scancel are relaunched and every member's steps are accepted exactly once")
    func membersKilledOnSlurm() throws {
        guard let cluster = try cluster() else { return }
        defer { cluster.release() }
        let run = try StudyRun(members: 6, steps: 30, computeMs: 200, concurrency: 3)
        defer {
            cluster.cancelJobs(of: run)
            run.directory.remove()
        }
        let launcher = try run.launch(["--scheduler", "slurm", "--bind-host", "127.0.0.1"], environment: ["SLURM_CONF": cluster.conf])
        // scancel of a running member's array task (members run about 6 s)...
        var cancelled: String?
        _ = waitUntil(seconds: 90) {
            let runningTasks = (try? cluster.run("squeue", ["--noheader", "--array", "--states=RUNNING", "--name=fault-test-members",
                                                            "--format=%i"])) ?? ""
            let mine = Set(run.journal().compactMap { $0["job"] as? String })
            cancelled = runningTasks.split(whereSeparator: \.isNewline).map(String.init).first { mine.contains($0) }
            return cancelled != nil || !launcher.isRunning
        }
        let task = try #require(cancelled, "no running member task to cancel\n\(launcher.output)")
        _ = try cluster.run("scancel", [task])
        // ...and kill -9 of another member's process (its array task fails with signal 9).
        let cancelledMember = run.journal().first { $0["job"] as? String == task }?["member"] as? Int
        var victim: Int32?
        _ = waitUntil(seconds: 30) {
            victim = run.memberPids().first { pid in
                let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
                return !cmdline.contains("--member\u{0}\(cancelledMember ?? -1)\u{0}")
            }
            return victim != nil || !launcher.isRunning
        }
        kill(try #require(victim, "no member process to kill\n\(launcher.output)"), SIGKILL)

        #expect(launcher.wait(seconds: 240) == 0, "\(launcher.output)")
        try run.expectComplete(members: 6, steps: 30, output: launcher.output)

        let journal = run.journal()
        // The server and the consumer ran as Slurm jobs; the first wave of members was one array throttled to the
        // concurrency.
        #expect(journal.first { $0["event"] as? String == "server-start" }?["job"] is String, "\(journal)")
        #expect(journal.first { $0["event"] as? String == "consumer-start" }?["job"] is String, "\(journal)")
        let firstWave = journal.filter { $0["event"] as? String == "member-start" && $0["attempt"] as? Int == 0 }
            .compactMap { $0["job"] as? String }
        #expect(firstWave.count == 6)
        #expect(Set(firstWave.compactMap { $0.split(separator: "_").first }).count == 1, "first wave: \(firstWave)")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: "\(run.workDir)/slurm").filter { $0.hasSuffix(".sbatch") }
        let arrayScripts = try scripts.filter { $0.contains("members") }
            .map { try String(contentsOfFile: "\(run.workDir)/slurm/\($0)", encoding: .utf8) }
        #expect(arrayScripts.contains { $0.contains("#SBATCH --array=0-5%3") }, "\(scripts)")
        // Both killed attempts show as failed attempts and were run again.
        let failedExits = journal.filter { $0["event"] as? String == "member-exit" && ($0["status"] as? Int ?? 0) != 0 }
        #expect(failedExits.count >= 2, "\(journal)")
        let relaunched = Set(journal.filter { $0["event"] as? String == "member-start" && ($0["attempt"] as? Int ?? 0) > 0 }
            .compactMap { $0["member"] as? Int })
        #expect(relaunched.count >= 2, "\(journal)")
        #expect(failedExits.contains { ($0["reason"] as? String)?.hasPrefix("slurm ") == true }, "Slurm's own reason is journaled")
        // Nothing of the study is left in the queue.
        let left = try cluster.run("squeue", ["--noheader", "--array", "--format=%i|%j"])
        #expect(!left.contains("fault-test"), "\(left)")
    }

    @Test("a member that hangs on Slurm is found silent, cancelled with scancel and relaunched")
    func hungMemberOnSlurm() throws {
        guard let cluster = try cluster() else { return }
        defer { cluster.release() }
        let run = try StudyRun(members: 2, steps: 15, computeMs: 20, concurrency: 2, silence: 3, marker: true)
        defer {
            cluster.cancelJobs(of: run)
            run.directory.remove()
        }
        let caseText = try String(contentsOfFile: run.directory.path("synthetic.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "hang_at_step: -1", with: "hang_at_step: 5")
        try caseText.write(toFile: run.directory.path("synthetic.yaml"), atomically: true, encoding: .utf8)
        let launcher = try run.launch(["--scheduler", "slurm", "--bind-host", "127.0.0.1"], environment: ["SLURM_CONF": cluster.conf])
        #expect(launcher.wait(seconds: 180) == 0, "\(launcher.output)")
        try run.expectComplete(members: 2, steps: 15, output: launcher.output)
        let journal = run.journal()
        let killed = journal.filter {
            $0["event"] as? String == "member-exit" && ["silent", "disconnected"].contains($0["reason"] as? String ?? "")
        }
        #expect(Set(killed.compactMap { $0["member"] as? Int }) == [0, 1], "\(journal)")
        // The hung attempts' array tasks were cancelled (scancel), not left running.
        let hungTasks = journal.filter { $0["event"] as? String == "member-start" && $0["attempt"] as? Int == 0 }
            .compactMap { $0["job"] as? String }
        #expect(hungTasks.count == 2)
        for task in hungTasks {
            let record = try cluster.run("scontrol", ["--oneliner", "show", "job", task])
            #expect(record.contains("JobState=CANCELLED"), "\(task): \(record)")
        }
    }

    @Test("sluice launch --scheduler slurm run again after its own crash adopts the study's jobs by id and completes it")
    func launcherResumesOnSlurm() throws {
        guard let cluster = try cluster() else { return }
        defer { cluster.release() }
        let run = try StudyRun(members: 6, steps: 20, computeMs: 150, concurrency: 2)
        defer {
            cluster.cancelJobs(of: run)
            run.directory.remove()
        }
        let arguments = ["--scheduler", "slurm", "--bind-host", "127.0.0.1"]
        let first = try run.launch(arguments, environment: ["SLURM_CONF": cluster.conf])
        _ = waitUntil(seconds: 120) { run.journal().filter { $0["event"] as? String == "member-done" }.count >= 2 || !first.isRunning }
        first.signal(SIGKILL)
        first.wait(seconds: 10)
        let doneBefore = Set(run.journal().filter { $0["event"] as? String == "member-done" }.compactMap { $0["member"] as? Int })
        #expect(doneBefore.count >= 2, "\(first.output)")
        let second = try run.launch(arguments, environment: ["SLURM_CONF": cluster.conf])
        #expect(second.wait(seconds: 240) == 0, "\(second.output)")
        #expect(second.stdout.contains("resuming study"))
        try run.expectComplete(members: 6, steps: 20, output: second.output)
        let journal = run.journal()
        // The server job and the queued array tasks were adopted, not submitted again.
        #expect(journal.filter { $0["event"] as? String == "server-start" }.count == 1, "\(journal)")
        let starts = journal.filter { $0["event"] as? String == "member-start" }
        #expect(starts.count == 6, "every member started once: \(starts)")
    }
}

@Suite("end to end: a server advertising a host other than the one it binds")
struct AdvertiseHostTests {
    @Test("serve --advertise-host writes that host with the bound ports, and peers reach the server through it")
    func advertisedEndpoints() throws {
        let cluster = try SluiceCluster(["--advertise-host", "localhost"])
        for endpoint in [cluster.solver, cluster.consumer, cluster.control] {
            #expect(endpoint.hasPrefix("tcp://localhost:") && Int(endpoint.split(separator: ":").last ?? "") != nil, "\(endpoint)")
        }
        let synth = try cluster.synth(member: 0, samples: 5)
        #expect(synth.wait(seconds: 60) == 0, "\(synth.output)")
        let status = try cluster.status()
        #expect(status.int("totals.samples_in") == 5, "\(status)")
    }
}
