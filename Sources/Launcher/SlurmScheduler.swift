import Foundation

/// Runs a study's jobs on Slurm: the server and each consumer as their own jobs, members as job arrays (one task
/// script per member attempt), all made from the templates in ops/slurm/. It watches them with one `squeue` per
/// refresh interval (every job of this user, filtered to the launcher's jobs), and reads the exit status of a job
/// that left the queue from `sacct` when the cluster keeps accounting, else from `scontrol show job` (which knows
/// finished jobs for MinJobAge, 300 s by default).
///
/// Not thread-safe: the launcher's loop is its only user.
public final class SlurmScheduler: ArrayJobScheduler {
    public struct Settings: Sendable {
        /// Templates (ops/slurm/).
        public var templates: SlurmTemplates
        /// The study's work directory (jobs run there); rendered scripts go to its `slurm/` folder, logs to `logs/`.
        public var workDirectory: String
        /// Job names start with this (the study's name).
        public var jobPrefix: String
        /// The host the server binds, and the one it advertises ("" lets the server job use its node's name).
        public var bindHost = "0.0.0.0"
        public var advertiseHost = ""
        /// Seconds between `squeue` calls.
        public var refreshSeconds = 1.0
        /// A Slurm command that takes longer than this is killed and counts as failed.
        public var commandTimeout = 60.0

        public init(templates: SlurmTemplates, workDirectory: String, jobPrefix: String) {
            self.templates = templates
            self.workDirectory = workDirectory
            self.jobPrefix = jobPrefix
        }
    }

    public let name = "slurm"
    let settings: Settings
    private let user: String
    /// Active jobs (queued or running) as of the last squeue, by id ("1234", "1234_5").
    private var queue: [String: SlurmJobRecord] = [:]
    /// When the last good squeue was started; jobs submitted after it are not in `queue` yet.
    private var queueTaken = Date.distantPast
    private var lastRefresh = Date.distantPast
    private var queueKnown = false
    private var submittedAt: [String: Date] = [:]
    /// Jobs that ended, as Slurm reported them (final).
    private var ended: [String: SlurmJobRecord] = [:]
    /// Whether `sacct` answers on this cluster (nil: not tried yet).
    private var accountingWorks: Bool?
    private var sequence = 0

    /// Checks that Slurm answers (`squeue`), and prepares the script folder.
    public init(settings: Settings) throws {
        self.settings = settings
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else {
            throw LaunchError("cannot find the name of user \(getuid()) for squeue")
        }
        user = String(cString: name)
        try FileManager.default.createDirectory(atPath: "\(settings.workDirectory)/slurm", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(settings.workDirectory)/logs", withIntermediateDirectories: true)
        let probe = ExternalCommand.run("squeue", ["--noheader", "--user", user, "--format", "%i"], timeout: settings.commandTimeout)
        guard probe.succeeded else {
            throw LaunchError("Slurm does not answer: \(probe.failure) (is SLURM_CONF set? for a local cluster: ops/local-cluster.sh start)")
        }
    }

    // MARK: Submitting

    public func start(_ job: JobSpec) throws -> JobHandle {
        if job.role == .member, let handle = try startArray([job], name: job.name, limit: nil).first { return handle }
        let file = job.role == .server ? SlurmTemplates.serverFile : SlurmTemplates.trainerFile
        var values = common(jobName: "\(settings.jobPrefix)-\(job.name)", log: job.logPath)
        values["command"] = SlurmTemplates.commandLine(job)
        values["advertise_host"] = settings.advertiseHost
        values["bind_host"] = settings.bindHost
        let script = try settings.templates.render(file, values)
        let id = try submit(script, as: "\(job.name)-\(nextSequence()).sbatch")
        return JobHandle(id: id, pid: nil)
    }

    /// One array job: task i runs `jobs[i]` through its task script; handles are "ARRAYID_i".
    public func startArray(_ jobs: [JobSpec], name: String, limit: Int?) throws -> [JobHandle] {
        guard !jobs.isEmpty else { return [] }
        let wave = "\(name)-\(nextSequence())"
        let taskDirectory = "\(settings.workDirectory)/slurm/\(wave)"
        try FileManager.default.createDirectory(atPath: taskDirectory, withIntermediateDirectories: true)
        for (i, job) in jobs.enumerated() {
            let text = """
                #!/bin/sh
                # \(job.name) (array task \(i)), written by sluice launch
                exec \(SlurmTemplates.commandLine(job)) >>\(SlurmTemplates.shellQuoted(job.logPath)) 2>&1

                """
            try text.write(toFile: "\(taskDirectory)/task-\(i).sh", atomically: true, encoding: .utf8)
        }
        var values = common(jobName: "\(settings.jobPrefix)-members", log: "\(settings.workDirectory)/logs/slurm-members-%A_%a.log")
        values["array"] = SlurmOutput.arraySpecification(Array(jobs.indices), limit: limit.map { max(1, $0) })
        values["task_dir"] = taskDirectory
        let script = try settings.templates.render(SlurmTemplates.memberArrayFile, values)
        let id = try submit(script, as: "\(wave).sbatch")
        return jobs.indices.map { JobHandle(id: "\(id)_\($0)", pid: nil) }
    }

    private func common(jobName: String, log: String) -> [String: String] {
        ["job_name": jobName, "work_dir": settings.workDirectory, "log": log]
    }

    private func nextSequence() -> String {
        sequence += 1
        return "\(Int(Date().timeIntervalSince1970))-\(sequence)"
    }

    /// Writes the rendered script to WORK_DIR/slurm/ and runs `sbatch --parsable` on it.
    private func submit(_ script: String, as file: String) throws -> String {
        let path = "\(settings.workDirectory)/slurm/\(file)"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        let before = Date()
        let result = ExternalCommand.run("sbatch", ["--parsable", path], timeout: settings.commandTimeout)
        guard result.succeeded, let id = SlurmOutput.parseSubmission(result.stdout) else {
            throw LaunchError("cannot submit \(path): \(result.succeeded ? "sbatch printed no job id: \(result.stdout)" : result.failure)")
        }
        submittedAt[id] = before
        return id
    }

    // MARK: Watching

    public func state(of job: JobHandle) -> JobState {
        if let record = ended[job.id] { return record.jobState }
        refreshIfStale()
        if let record = queue[job.id] { return record.jobState }
        // Submitted after the last squeue (or Slurm did not answer): it has not had the chance to show up.
        if !queueKnown || (submittedAt[baseID(job.id)] ?? .distantPast) >= queueTaken { return .queued }
        guard let record = finalRecord(job.id) else { return .lost }
        if record.isActive { return record.jobState }
        ended[job.id] = record
        return record.jobState
    }

    public func endReason(of job: JobHandle) -> String? {
        guard let record = ended[job.id], record.state != "COMPLETED" else { return nil }
        return "slurm \(record.state)" + (record.reason.map { " \($0)" } ?? "")
    }

    public func adopt(id: String, pid: Int32?) -> JobHandle? {
        let handle = JobHandle(id: id, pid: nil)
        switch state(of: handle) {
        case .queued, .running: return handle
        case .exited, .lost: return nil
        }
    }

    /// "1234_5" -> "1234" (the id sbatch printed).
    private func baseID(_ id: String) -> String { id.split(separator: "_").first.map(String.init) ?? id }

    private func refreshIfStale() {
        guard Date().timeIntervalSince(lastRefresh) >= settings.refreshSeconds else { return }
        let taken = Date()
        lastRefresh = taken
        let result = ExternalCommand.run("squeue", ["--noheader", "--array", "--user", user, "--format", SlurmOutput.squeueFormat],
                                         timeout: settings.commandTimeout)
        // Slurm not answering is not the jobs ending: keep the last view (and count nothing as ended) until it does.
        guard result.succeeded else {
            queueKnown = false
            return
        }
        queue = Dictionary(SlurmOutput.parseSqueue(result.stdout).filter(\.isActive).map { ($0.id, $0) }) { first, _ in first }
        queueTaken = taken
        queueKnown = true
    }

    /// How a job that left the queue ended: sacct where accounting is kept, else scontrol.
    private func finalRecord(_ id: String) -> SlurmJobRecord? {
        if accountingWorks != false {
            let result = ExternalCommand.run("sacct", ["--noheader", "--parsable2", "--format=JobID,State,ExitCode", "--jobs", id],
                                             timeout: settings.commandTimeout)
            if result.succeeded {
                accountingWorks = true
                if let record = SlurmOutput.parseSacct(result.stdout).first(where: { $0.id == id }) { return record }
            } else if !result.timedOut {
                // "Slurm accounting storage is disabled": do not ask again.
                accountingWorks = false
            }
        }
        let result = ExternalCommand.run("scontrol", ["--oneliner", "show", "job", id], timeout: settings.commandTimeout)
        guard result.succeeded else { return nil }
        return SlurmOutput.parseScontrol(result.stdout).first { $0.id == id }
    }

    // MARK: Stopping

    public func kill(_ job: JobHandle) {
        _ = ExternalCommand.run("scancel", [job.id], timeout: settings.commandTimeout)
        lastRefresh = .distantPast
    }

    /// SIGINT to the job's processes (the batch script `exec`s sluice); a job still queued is simply cancelled.
    public func interrupt(_ job: JobHandle) {
        if case .queued = state(of: job) {
            kill(job)
            return
        }
        _ = ExternalCommand.run("scancel", ["--full", "--signal=INT", job.id], timeout: settings.commandTimeout)
        lastRefresh = .distantPast
    }
}
