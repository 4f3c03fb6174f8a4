import Clients
import Foundation
import Server
import SluiceConfig
import SolverRuntime
import Studies

/// Options of one `sluice launch`.
public struct LaunchOptions: Sendable {
    /// The `sluice` binary that runs the server, the members and the consumers.
    public var sluice: String
    /// Where the journal, logs, checkpoint and accounting live.
    public var workDirectory: String
    /// Start over, ignoring an existing journal.
    public var fresh = false
    /// Print one status line per second instead of a live line.
    public var plainProgress = false
    /// Quiet: no progress at all.
    public var quiet = false
    /// Seconds between status polls.
    public var pollSeconds = 0.5
    /// The host the server binds (tcp://HOST:*): 127.0.0.1 on one machine, 0.0.0.0 on a cluster.
    public var bindHost = "127.0.0.1"
    /// The host the server writes into its endpoint file for members and consumers to connect to (nil: the bind
    /// host, unless that is a wildcard; then the server's node name, which a batch scheduler's job finds itself).
    public var advertiseHost: String?

    public init(sluice: String, workDirectory: String) {
        self.sluice = sluice
        self.workDirectory = workDirectory
    }
}

/// What a study came to.
public struct StudyOutcome: Sendable {
    public var done: [Int]
    public var failed: [Int]
    public var replaced: [Int: Int]
    public var attempts: [Int: Int]
    public var accountingPath: String
}

/// Runs a study: the server (started, restarted with its checkpoint if it dies, or attached to), members up to
/// the concurrency limit, relaunched when they fail, hang or go silent, consumers for the whole study, a journal
/// of every state change, and an accounting of every member's accepted steps at the end.
public final class StudyLauncher {
    let study: Study
    let studyPath: String
    let casePath: String
    let options: LaunchOptions
    let scheduler: JobScheduler
    var journal: Journal
    let journalPath: String
    /// The journal as found at start (empty for a new study).
    let previous: [Journal.Entry]
    var state: StudyState
    var server: ServerControl
    var running: [Int: (handle: JobHandle, attempt: Int, started: Date, lastProgress: Date, lastAccepted: Int)] = [:]
    var consumers: [String: JobHandle] = [:]
    var planned: [Int: Int] = [:]
    var draws: [[(String, Double)]] = []
    var lastStatus: ServerStatus?
    var startedAt = Date()
    var relaunches = 0
    /// Members whose job waits in a batch queue (as of the last reap).
    var queued = 0
    let progress: LaunchProgress

    public init(studyPath: String, options: LaunchOptions, scheduler: JobScheduler = LocalScheduler()) throws {
        self.studyPath = studyPath
        self.options = options
        self.scheduler = scheduler
        study = try ConfigFile.load(Study.self, from: studyPath)
        try study.validate()
        let base = URL(fileURLWithPath: studyPath).deletingLastPathComponent()
        casePath = study.case.hasPrefix("/") ? study.case : base.appendingPathComponent(study.case).path
        guard FileManager.default.isReadableFile(atPath: casePath) else {
            throw LaunchError("study \(studyPath): case file \(casePath) does not exist")
        }
        try FileManager.default.createDirectory(atPath: options.workDirectory + "/logs", withIntermediateDirectories: true)
        journalPath = options.workDirectory + "/journal.jsonl"
        if options.fresh { try? FileManager.default.removeItem(atPath: journalPath) }
        previous = try Journal.read(journalPath)
        journal = try Journal(path: journalPath)
        state = StudyState(entries: previous)
        server = ServerControl(study: study, workDirectory: options.workDirectory, sluice: options.sluice, scheduler: scheduler,
                               bindHost: options.bindHost, advertiseHost: options.advertiseHost)
        progress = LaunchProgress(plain: options.plainProgress, quiet: options.quiet)
        draws = try (0..<study.members).map { try study.draw(member: $0) }
        if previous.isEmpty {
            try journal.append(.init(.studyStart, name: study.name))
        } else {
            progress.note("resuming study '\(study.name)' from \(journalPath): \(state.members.values.filter { $0.phase == .done }.count) members done")
        }
        for m in 0..<study.members where state.members[m] == nil { state.members[m] = MemberState(member: m) }
    }

    /// Members and consumers that a launcher that died left running are adopted (watched by pid, or by job id on
    /// a batch scheduler) rather than restarted, so no work is lost; attempts whose process or job is gone start
    /// again.
    func adoptLeftovers() {
        for (member, run) in state.runningAttempts {
            if let id = run.job.id, let handle = scheduler.adopt(id: id, pid: run.job.pid) {
                running[member] = (handle, run.attempt, Date(), Date(), 0)
                state.members[member]?.phase = .running
            } else if state.members[member]?.phase == .running {
                state.members[member]?.phase = .pending
            }
        }
        for (name, job) in state.runningConsumers {
            if let id = job.id, let handle = scheduler.adopt(id: id, pid: job.pid) { consumers[name] = handle }
        }
    }

    /// Runs the study to its end and returns the outcome.
    public func run() throws -> StudyOutcome {
        // A study that already ran to its end is not started again: its consumers would write their outputs
        // (a model, a dataset) anew from whatever the checkpointed reservoir still holds.
        if !previous.isEmpty, unfinished.isEmpty, state.runningAttempts.isEmpty {
            progress.note("study '\(study.name)' is already complete (\(journalPath)); nothing to do (--fresh, or deleting \(options.workDirectory), runs it again).")
            let members = state.members.values
            return StudyOutcome(done: members.filter { $0.phase == .done }.map(\.member).sorted(),
                                failed: members.filter { $0.phase == .failed }.map(\.member).sorted(),
                                replaced: Dictionary(uniqueKeysWithValues: members.compactMap { m in m.replacement.map { (m.member, $0) } }),
                                attempts: Dictionary(uniqueKeysWithValues: members.map { ($0.member, $0.attempts) }),
                                accountingPath: "\(options.workDirectory)/accounting.json")
        }
        try server.prepareKeys()
        try server.ensureRunning(adopt: state.server, journal: journal)
        adoptLeftovers()
        try startConsumers()
        var lastPoll = Date.distantPast
        while true {
            if server.owned, try server.restartIfDead(journal: journal) {
                progress.note("the server died; restarted it from its checkpoint")
            }
            if Date().timeIntervalSince(lastPoll) >= options.pollSeconds {
                lastStatus = try? server.status()
                lastPoll = Date()
            }
            try reapMembers()
            try launchMembers()
            progress.update(self)
            if unfinished.isEmpty && running.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try finish()
    }

    /// Members neither done, failed nor replaced.
    var unfinished: [Int] {
        state.members.values.filter { $0.phase == .pending || $0.phase == .running }.map(\.member).sorted()
    }

    func parameters(of member: Int) throws -> [String: Double] {
        if let p = state.members[member]?.parameters, !p.isEmpty { return p }
        let draw = member < study.members ? draws[member] : try study.draw(member: member)
        return Dictionary(uniqueKeysWithValues: draw)
    }

    /// Snapshots a member must deliver, from the solver's own plan (nil if its schedule is wall-clock based).
    func plannedSnapshots(_ member: Int) throws -> Int? {
        if let n = planned[member] { return n }
        let request = MemberRequest(member: UInt64(member), overrides: try ParameterOverrides(Self.assignments(try parameters(of: member))),
                                    rigor: .estimate)
        let setup = try SolverRegistry.standard.makeMember(casePath: casePath, request: request)
        let n = RunPlan(setup: setup, options: RunOptions(member: UInt64(member))).snapshots
        if let n { planned[member] = n }
        return n
    }

    static func assignments(_ parameters: [String: Double]) -> [String] {
        parameters.sorted { $0.key < $1.key }.map { name, value in
            value.rounded() == value && abs(value) < 1e15 ? "\(name)=\(Int64(value))" : "\(name)=\(value)"
        }
    }

    /// Starts pending members up to the concurrency limit. On a scheduler with job arrays, a study's first wave
    /// (nothing in flight) is one array of every pending member throttled to the limit, and later waves (relaunched
    /// attempts, replacements) are arrays of the members that fit at that moment; queued array tasks count against
    /// the limit, so the study never has more than `concurrency` members running.
    func launchMembers() throws {
        guard let endpoints = server.endpoints else { return }
        let pending = state.members.values.filter { $0.phase == .pending && running[$0.member] == nil }.map(\.member).sorted()
        let free = max(0, study.concurrency - running.count)
        guard free > 0, !pending.isEmpty else { return }
        var jobs: [(member: Int, attempt: Int, parameters: [String: Double], spec: JobSpec)] = []
        let wave = scheduler is ArrayJobScheduler && running.isEmpty ? pending : Array(pending.prefix(free))
        for member in wave {
            let attempt = state.members[member]?.attempts ?? 0
            let params = try parameters(of: member)
            let args = ["solve", casePath, "--member", "\(member)", "--attempt", "\(attempt)", "--server", endpoints.solver,
                        "--study", study.name, "--quiet"] + Self.assignments(params).flatMap { ["--set", $0] }
                + server.keyArguments(role: "solver")
            jobs.append((member, attempt, params,
                         JobSpec(role: .member, name: "member-\(member)", executable: options.sluice, arguments: args,
                                 logPath: "\(options.workDirectory)/logs/member-\(member)-attempt-\(attempt).log")))
        }
        let handles: [JobHandle]
        if let arrays = scheduler as? ArrayJobScheduler {
            handles = try arrays.startArray(jobs.map(\.spec), name: "\(study.name)-members",
                                            limit: jobs.count > free ? study.concurrency : nil)
        } else {
            handles = try jobs.map { try scheduler.start($0.spec) }
        }
        for (job, handle) in zip(jobs, handles) {
            let member = job.member
            running[member] = (handle, job.attempt, Date(), Date(), lastStatus?.members.first { $0.member == UInt64(member) }?.accepted ?? 0)
            state.members[member]?.phase = .running
            state.members[member]?.attempts = job.attempt + 1
            state.members[member]?.parameters = job.parameters
            if job.attempt > 0 { relaunches += 1 }
            try journal.append(.init(.memberStart, member: member, attempt: job.attempt, pid: handle.pid, job: handle.id,
                                     parameters: job.parameters))
        }
    }

    /// Handles members that exited, timed out or went silent.
    func reapMembers() throws {
        let now = Date()
        queued = 0
        for (member, run) in running {
            let remote = lastStatus?.members.first { $0.member == UInt64(member) }
            if let accepted = remote?.accepted, accepted > run.lastAccepted {
                running[member]?.lastAccepted = accepted
                running[member]?.lastProgress = now
            }
            switch scheduler.state(of: run.handle) {
            case .queued:
                queued += 1
                // Time in a batch queue counts neither as silence nor against the attempt's wall time.
                running[member]?.lastProgress = now
                running[member]?.started = now
            case .running:
                let silentFor = now.timeIntervalSince(running[member]?.lastProgress ?? now)
                let backPressured = remote?.connected == true && remote?.credit == 0
                if study.timeouts.memberSeconds > 0, now.timeIntervalSince(run.started) > study.timeouts.memberSeconds {
                    try endAttempt(member, run, status: nil, reason: "timeout")
                } else if silentFor > study.timeouts.silenceSeconds && !backPressured {
                    try endAttempt(member, run, status: nil, reason: remote?.connected == true ? "silent" : "disconnected")
                } else if backPressured {
                    running[member]?.lastProgress = now
                }
            case .exited(let status):
                running[member] = nil
                if status == 0 {
                    try completeOrRetry(member, attempt: run.attempt)
                } else {
                    let why = scheduler.endReason(of: run.handle)
                    try journal.append(.init(.memberExit, member: member, attempt: run.attempt, status: status, reason: why ?? "exit"))
                    try failed(member, reason: "exit status \(status)" + (why.map { " (\($0))" } ?? ""))
                }
            case .lost:
                // An adopted process (no exit status) or a job the scheduler forgot: the server tells whether it
                // delivered everything.
                running[member] = nil
                try completeOrRetry(member, attempt: run.attempt)
            }
        }
    }

    func endAttempt(_ member: Int, _ run: (handle: JobHandle, attempt: Int, started: Date, lastProgress: Date, lastAccepted: Int),
                    status: Int32?, reason: String) throws {
        scheduler.kill(run.handle)
        running[member] = nil
        try journal.append(.init(.memberExit, member: member, attempt: run.attempt, status: status ?? -9, reason: reason))
        progress.note("member \(member) attempt \(run.attempt): \(reason); killed")
        try failed(member, reason: reason)
    }

    /// A member exited cleanly: done if the server holds all its planned snapshots, else it runs again to send the
    /// missing ones (it skips the steps the server holds; a server restart can lose the last checkpoint interval).
    func completeOrRetry(_ member: Int, attempt: Int) throws {
        let status = try? server.status()
        if let status { lastStatus = status }
        let remote = status?.members.first { $0.member == UInt64(member) }
        let accepted = remote?.accepted ?? 0
        if let want = try plannedSnapshots(member), accepted < want {
            try journal.append(.init(.memberExit, member: member, attempt: attempt, status: 0, reason: "incomplete", accepted: accepted))
            progress.note("member \(member): the server holds \(accepted) of \(want) snapshots; running it again for the rest")
            state.members[member]?.phase = .pending
            return
        }
        try journal.append(.init(.memberExit, member: member, attempt: attempt, status: 0, reason: "exit"))
        try journal.append(.init(.memberDone, member: member, accepted: accepted))
        state.members[member]?.phase = .done
        state.members[member]?.accepted = accepted
    }

    func failed(_ member: Int, reason: String) throws {
        state.members[member]?.failures += 1
        guard let s = state.members[member] else { return }
        if s.attempts < study.retries.maxAttempts {
            state.members[member]?.phase = .pending
            return
        }
        let replacements = state.members.values.filter { $0.member >= study.members }.count
        if study.retries.onExhaustion == .redraw, replacements < study.retries.maxRedraws {
            let replacement = (state.members.keys.max() ?? study.members - 1) + 1
            let params = Dictionary(uniqueKeysWithValues: try study.draw(member: replacement))
            var r = MemberState(member: replacement)
            r.parameters = params
            state.members[replacement] = r
            state.members[member]?.phase = .replaced
            state.members[member]?.replacement = replacement
            try journal.append(.init(.memberReplaced, member: member, reason: reason, replacement: replacement, parameters: params))
            progress.note("member \(member) failed \(s.attempts) times (\(reason)); replaced by member \(replacement) with a new draw")
        } else {
            state.members[member]?.phase = .failed
            try journal.append(.init(.memberFailed, member: member, reason: reason))
            progress.note("member \(member) failed \(s.attempts) times (\(reason)); giving it up")
        }
    }

    func startConsumers() throws {
        guard let endpoints = server.endpoints, let consumerEndpoint = endpoints.consumer else { return }
        let keys = server.keyArguments(role: "trainer")
        // `{study}` and `{work}` in a consumer's arguments stand for the study file and the study's work directory.
        let studyFile = URL(fileURLWithPath: studyPath).standardizedFileURL.path
        let work = URL(fileURLWithPath: options.workDirectory).standardizedFileURL.path
        func expand(_ argument: String) -> String {
            argument.replacingOccurrences(of: "{study}", with: studyFile).replacingOccurrences(of: "{work}", with: work)
        }
        var jobs = study.consumers.map { ($0.name, $0.command.map(expand) + ["--server", consumerEndpoint] + keys) }
        if let archive = study.archive {
            let base = URL(fileURLWithPath: studyPath).deletingLastPathComponent()
            let out = archive.out.hasPrefix("/") ? archive.out : base.appendingPathComponent(archive.out).path
            let spec = archive.spec.map { $0.hasPrefix("/") ? $0 : base.appendingPathComponent($0).path }
            jobs.append(("archive", ["export", "--server", consumerEndpoint, "--out", out] + (spec.map { ["--spec", $0] } ?? [])
                                    + ["--case-file", casePath] + (archive.arguments ?? []) + keys))
        }
        for (name, args) in jobs where consumers[name] == nil {
            let handle = try scheduler.start(JobSpec(role: .consumer, name: name, executable: options.sluice, arguments: args,
                                                     logPath: "\(options.workDirectory)/logs/consumer-\(name).log"))
            consumers[name] = handle
            try journal.append(.init(.consumerStart, pid: handle.pid, job: handle.id, name: name))
        }
    }

    func finish() throws -> StudyOutcome {
        progress.finish(self)
        for (m, s) in state.members where s.phase == .done || s.phase == .failed { _ = try? plannedSnapshots(m) }
        let final = try? server.status(acceptedSteps: true)
        // Consumers get the end of the stream (partial batches), then are asked to stop.
        Thread.sleep(forTimeInterval: consumers.isEmpty ? 0 : 2)
        for (_, handle) in consumers { scheduler.interrupt(handle) }
        for (_, handle) in consumers where !scheduler.waitForEnd(handle, seconds: 15) { scheduler.kill(handle) }
        let accounting = try Accounting.write(study: study, state: state, status: final, planned: planned,
                                              to: "\(options.workDirectory)/accounting.json")
        try server.stop()
        try journal.append(.init(.studyEnd, name: study.name))
        let members = state.members.values
        return StudyOutcome(done: members.filter { $0.phase == .done }.map(\.member).sorted(),
                            failed: members.filter { $0.phase == .failed }.map(\.member).sorted(),
                            replaced: Dictionary(uniqueKeysWithValues: members.compactMap { m in m.replacement.map { (m.member, $0) } }),
                            attempts: Dictionary(uniqueKeysWithValues: members.map { ($0.member, $0.attempts) }),
                            accountingPath: accounting)
    }
}
