import Foundation

/// What a job is for; a batch scheduler picks its job template by it (ops/slurm/).
public enum JobRole: String, Sendable {
    case server, member, consumer
}

/// One process the launcher runs: a solver member, the server, a consumer.
public struct JobSpec: Sendable {
    public var role: JobRole
    public var name: String
    public var executable: String
    public var arguments: [String]
    /// Standard output and error go here.
    public var logPath: String

    public init(role: JobRole, name: String, executable: String, arguments: [String], logPath: String) {
        self.role = role
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.logPath = logPath
    }
}

/// A started job: a process id (local) or a scheduler job id (Slurm).
public struct JobHandle: Hashable, Sendable, CustomStringConvertible {
    public var id: String
    public var pid: Int32?
    public var description: String { pid.map { "pid \($0)" } ?? "job \(id)" }

    public init(id: String, pid: Int32?) {
        self.id = id
        self.pid = pid
    }
}

public enum JobState: Equatable, Sendable {
    case queued
    case running
    case exited(Int32)
    /// The scheduler no longer knows the job and no exit status is available.
    case lost
}

/// Where members run: local processes, or Slurm jobs.
public protocol JobScheduler: AnyObject {
    var name: String { get }
    func start(_ job: JobSpec) throws -> JobHandle
    func state(of job: JobHandle) -> JobState
    /// Ends a job at once (SIGKILL locally, scancel on Slurm).
    func kill(_ job: JobHandle)
    /// Asks a job to stop (SIGINT locally, scancel --signal=INT on Slurm).
    func interrupt(_ job: JobHandle)
    /// A job a previous launcher started (from its journal: a job id, a pid), if it is still queued or running.
    func adopt(id: String, pid: Int32?) -> JobHandle?
    /// Why a job that ended ended, in a few words, when the scheduler knows more than its exit status
    /// (Slurm: "TIMEOUT", "NODE_FAIL").
    func endReason(of job: JobHandle) -> String?
}

extension JobScheduler {
    public func endReason(of job: JobHandle) -> String? { nil }

    /// Waits for a job to end (up to `seconds`); true if it did.
    public func waitForEnd(_ job: JobHandle, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            switch state(of: job) {
            case .queued, .running: Thread.sleep(forTimeInterval: 0.05)
            case .exited, .lost: return true
            }
        }
        return false
    }
}

/// A scheduler that starts many similar jobs as one array (Slurm job arrays), at most `limit` of them running at
/// once (nil: no limit of its own).
public protocol ArrayJobScheduler: JobScheduler {
    /// Starts one array task per job, in order; the handles are in the same order.
    func startArray(_ jobs: [JobSpec], name: String, limit: Int?) throws -> [JobHandle]
}

/// Runs jobs as child processes of the launcher.
public final class LocalScheduler: JobScheduler {
    public let name = "local"
    private var processes: [String: Process] = [:]

    public init() {}

    public func start(_ job: JobSpec) throws -> JobHandle {
        FileManager.default.createFile(atPath: job.logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: job.logPath) else {
            throw LaunchError("cannot open the log \(job.logPath) for \(job.name)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: job.executable)
        p.arguments = job.arguments
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw LaunchError("cannot start \(job.name) (\(job.executable)): \(error)") }
        let handle = JobHandle(id: "\(p.processIdentifier)", pid: p.processIdentifier)
        processes[handle.id] = p
        return handle
    }

    public func state(of job: JobHandle) -> JobState {
        if let p = processes[job.id] {
            if p.isRunning { return .running }
            return .exited(p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus)
        }
        // Not our child (adopted after a launcher restart): alive or gone, no status.
        if let pid = job.pid, Foundation.kill(pid, 0) == 0 { return .running }
        return .lost
    }

    public func kill(_ job: JobHandle) {
        if let pid = job.pid { Foundation.kill(pid, SIGKILL) }
    }

    public func interrupt(_ job: JobHandle) {
        if let pid = job.pid { Foundation.kill(pid, SIGINT) }
    }

    /// A member, consumer or server left by a launcher that crashed, watched by pid (no exit status).
    public func adopt(id: String, pid: Int32?) -> JobHandle? {
        guard let pid, isSluiceProcess(pid) else { return nil }
        return JobHandle(id: "\(pid)", pid: pid)
    }

    /// Waits for a job to end (up to `seconds`); true if it did.
    public func wait(_ job: JobHandle, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if case .running = state(of: job) { Thread.sleep(forTimeInterval: 0.02) } else { return true }
        }
        return false
    }
}

/// Whether `pid` is a live `sluice` process (a member or server left behind by a launcher that crashed).
public func isSluiceProcess(_ pid: Int32) -> Bool {
    guard pid > 0, Foundation.kill(pid, 0) == 0,
          let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
    let args = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    return args.first.map { $0.hasSuffix("sluice") } ?? false
}
