import Foundation
import Launcher
import Testing
import TestSupport

/// Text Slurm printed (Fixtures/README.md says how each file was made).
func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures"))
    return try String(contentsOf: url, encoding: .utf8)
}

@Suite("Slurm output parsers, on captured squeue, scontrol and sacct text")
struct SlurmOutputTests {
    @Test("squeue --array lists every pending array task and plain job, with states and reasons")
    func squeuePending() throws {
        let records = SlurmOutput.parseSqueue(try fixture("squeue-array-pending"))
        #expect(records.map(\.id) == ["1_0", "1_1", "1_2", "1_3", "1_4", "1_5", "2", "3"])
        #expect(records.allSatisfy { $0.state == "PENDING" && $0.jobState == .queued })
        #expect(records[0].reason == nil)
        #expect(records[6].reason == "Priority")
    }

    @Test("squeue of a throttled array: tasks held by the %N limit are queued, started ones running")
    func squeueThrottled() throws {
        let records = SlurmOutput.parseSqueue(try fixture("squeue-array-throttled"))
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        #expect(byID.count == 6)
        #expect(byID["1_3"]?.reason == "JobArrayTaskLimit" && byID["1_3"]?.jobState == .queued)
        #expect(byID["1_2"]?.jobState == .running && byID["2"]?.jobState == .running && byID["3"]?.jobState == .running)
    }

    @Test("squeue without --array: the header is skipped and a combined pending line is expanded per task")
    func squeueCombined() throws {
        let records = SlurmOutput.parseSqueue(try fixture("squeue-combined-with-header"))
        #expect(records.map(\.id) == ["1_3", "1_4", "1_5", "1_2", "2", "3"])
        #expect(records.prefix(3).allSatisfy { $0.reason == "JobArrayTaskLimit" && $0.jobState == .queued })
    }

    @Test("array ids: ranges, lists, steps and throttles expand; unreadable brackets are kept whole",
          arguments: [
              ("7_[1-3,9%2]", ["7_1", "7_2", "7_3", "7_9"]),
              ("7_[0-8:4]", ["7_0", "7_4", "7_8"]),
              ("7_[5]", ["7_5"]),
              ("7_12", ["7_12"]),
              ("42", ["42"]),
              ("7_[a-b]", ["7_[a-b]"]),
              ("7_[3-1]", ["7_[3-1]"]),
              ("[1-2]", ["[1-2]"]),
          ])
    func arrayIDs(text: String, expected: [String]) {
        #expect(SlurmOutput.expandArrayIDs(text) == expected)
    }

    struct ScontrolCase: Sendable, CustomTestStringConvertible {
        var file: String
        var id: String
        var state: String
        var jobState: JobState
        var reason: String?
        var testDescription: String { file }
    }

    static let scontrolCases: [ScontrolCase] = [
        ScontrolCase(file: "scontrol-completed", id: "1_0", state: "COMPLETED", jobState: .exited(0), reason: nil),
        ScontrolCase(file: "scontrol-failed", id: "1_1", state: "FAILED", jobState: .exited(3), reason: "NonZeroExitCode"),
        ScontrolCase(file: "scontrol-killed9", id: "1_2", state: "FAILED", jobState: .exited(128 + 9), reason: "JobLaunchFailure"),
        ScontrolCase(file: "scontrol-cancelled", id: "2", state: "CANCELLED", jobState: .exited(128 + 15), reason: nil),
        ScontrolCase(file: "scontrol-timeout", id: "3", state: "TIMEOUT", jobState: .exited(128 + 15), reason: "TimeLimit"),
        ScontrolCase(file: "scontrol-running", id: "2", state: "RUNNING", jobState: .running, reason: nil),
    ]

    @Test("scontrol --oneliner show job: outcome, exit status and signal of finished and running jobs",
          arguments: scontrolCases)
    func scontrol(c: ScontrolCase) throws {
        let records = SlurmOutput.parseScontrol(try fixture(c.file))
        #expect(records.count == 1)
        let r = try #require(records.first)
        #expect(r.id == c.id)
        #expect(r.state == c.state)
        #expect(r.jobState == c.jobState)
        #expect(r.reason == c.reason)
    }

    @Test("sacct --parsable2: step lines are skipped; 'CANCELLED by 0' is CANCELLED; a failure with 0:0 is status 1")
    func sacct() throws {
        let records = SlurmOutput.parseSacct(try fixture("sacct-parsable2"))
        #expect(records.map(\.id) == ["1234_0", "1234_1", "1234_2", "1235", "1236", "1237"])
        #expect(records.map(\.jobState) == [.exited(0), .exited(3), .exited(143), .exited(1), .exited(1), .running])
        #expect(records[2].state == "CANCELLED")
    }

    @Test("sbatch --parsable: the job id, with or without a cluster name; nothing from an error")
    func submission() {
        #expect(SlurmOutput.parseSubmission("1234\n") == "1234")
        #expect(SlurmOutput.parseSubmission("1234;cluster-a\n") == "1234")
        #expect(SlurmOutput.parseSubmission("sbatch: error: Batch job submission failed: Invalid partition name specified\n") == nil)
        #expect(SlurmOutput.parseSubmission("") == nil)
    }

    @Test("--array values: indices compressed to ranges, with the throttle")
    func arraySpecification() {
        #expect(SlurmOutput.arraySpecification([0, 1, 2, 5, 7, 8], limit: 3) == "0-2,5,7-8%3")
        #expect(SlurmOutput.arraySpecification([4], limit: nil) == "4")
        #expect(SlurmOutput.arraySpecification(Array(0..<100), limit: 8) == "0-99%8")
        #expect(SlurmOutput.arraySpecification([3, 1, 2, 2], limit: nil) == "1-3")
    }

    @Test("garbage, truncated lines and binary noise parse to nothing or to what is readable, never a crash")
    func hostileText() throws {
        var rng = SystemRandomNumberGenerator()
        let samples = [try fixture("squeue-array-throttled"), try fixture("scontrol-failed"), try fixture("sacct-parsable2")]
        for _ in 0..<2000 {
            var bytes = Array(samples.randomElement(using: &rng)?.utf8 ?? "".utf8)
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.removeSubrange(i...)
                default: bytes.insert(contentsOf: Array("|_[-%:=\n".utf8).shuffled(using: &rng), at: i)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = SlurmOutput.parseSqueue(text)
            _ = SlurmOutput.parseScontrol(text)
            _ = SlurmOutput.parseSacct(text)
            _ = SlurmOutput.parseSubmission(text)
        }
        #expect(SlurmOutput.parseScontrol("JobId=5 JobState=FAILED ExitCode=x:y").first?.jobState == .exited(1))
        #expect(SlurmOutput.parseSqueue("|||\n1|\n\n").isEmpty)
    }
}

@Suite("Slurm job templates (ops/slurm)")
struct SlurmTemplateTests {
    @Test("the shipped templates load, and render with every placeholder replaced")
    func shippedTemplates() throws {
        let templates = try SlurmTemplates(directory: repositoryRoot() + "/ops/slurm")
        let server = try templates.render(SlurmTemplates.serverFile, [
            "job_name": "s-server", "work_dir": "/w", "log": "/w/logs/server.log", "command": "/bin/sluice serve --config /w/server.json",
            "advertise_host": "", "bind_host": "0.0.0.0",
        ])
        #expect(!server.contains("{{"))
        #expect(server.contains("#SBATCH --job-name=s-server"))
        #expect(server.contains(#"exec /bin/sluice serve --config /w/server.json --advertise-host "${advertise:-$(hostname)}""#))
        let array = try templates.render(SlurmTemplates.memberArrayFile, [
            "job_name": "s-members", "work_dir": "/w", "log": "/w/logs/m-%A_%a.log", "array": "0-9%3", "task_dir": "/w/slurm/wave",
        ])
        #expect(array.contains("#SBATCH --array=0-9%3"))
        #expect(array.contains(#"task="/w/slurm/wave/task-${SLURM_ARRAY_TASK_ID}.sh""#))
        #expect(throws: LaunchError.self) {
            try templates.render(SlurmTemplates.trainerFile, ["job_name": "x", "work_dir": "/w", "log": "/l"])
        }
    }

    @Test("a template with a placeholder the launcher does not supply is refused, naming it")
    func unknownPlaceholder() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-templates")
        defer { directory.remove() }
        let shipped = repositoryRoot() + "/ops/slurm"
        for file in [SlurmTemplates.serverFile, SlurmTemplates.memberArrayFile, SlurmTemplates.trainerFile] {
            try FileManager.default.copyItem(atPath: "\(shipped)/\(file)", toPath: directory.path(file))
        }
        try "#SBATCH --partition={{partition}}\nexec {{command}}\n".write(toFile: directory.path(SlurmTemplates.trainerFile),
                                                                         atomically: true, encoding: .utf8)
        do {
            _ = try SlurmTemplates(directory: directory.url.path)
            Issue.record("an unknown placeholder was accepted")
        } catch {
            #expect("\(error)".contains("{{partition}}") && "\(error)".contains("trainer.sbatch"))
        }
    }

    @Test("shell quoting leaves plain words alone and quotes everything else so the shell reads it back",
          arguments: ["plain", "/a/b-c_d.e", "two words", "it's", "$(rm -rf /)", "", "a\"b", "tab\there", "ü"])
    func shellQuoting(word: String) throws {
        let quoted = SlurmTemplates.shellQuoted(word)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "printf %s \(quoted)"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self) == word)
    }
}

@Suite("the example cluster study (ops/slurm/example-study.yaml)")
struct ExampleStudyTests {
    @Test("it loads, validates and draws its members, as sluice launch would at start")
    func exampleStudyLoads() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-example-study")
        defer { directory.remove() }
        var options = LaunchOptions(sluice: "/bin/false", workDirectory: directory.path("work"))
        options.quiet = true
        let launcher = try StudyLauncher(studyPath: repositoryRoot() + "/ops/slurm/example-study.yaml", options: options)
        _ = launcher
        let journal = try Journal.read(directory.path("work/journal.jsonl"))
        #expect(journal.map(\.event) == [.studyStart])
        #expect(journal.first?.name == "ns2d-fno")
    }
}
