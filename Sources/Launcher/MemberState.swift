/// What the launcher knows of one member, rebuilt from the journal on resume.
public struct MemberState: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable {
        case pending, running, done, failed, replaced
    }

    public var member: Int
    public var phase: Phase = .pending
    /// Attempts started so far (the next attempt number).
    public var attempts = 0
    /// Attempts that ended in failure (exit status, time-out, silence).
    public var failures = 0
    public var parameters: [String: Double] = [:]
    /// The replacement member, once this one was replaced by a redraw.
    public var replacement: Int?
    /// Samples the server accepted, when last known.
    public var accepted: Int?

    public init(member: Int) { self.member = member }
}

/// A job a launcher started, as its journal recorded it: a pid (local) and/or a scheduler job id (Slurm).
public struct JobRecord: Sendable, Equatable {
    public var pid: Int32?
    public var job: String?

    /// The id a scheduler knows the job by.
    public var id: String? { job ?? pid.map { "\($0)" } }

    init?(pid: Int32?, job: String?) {
        guard pid != nil || job != nil else { return nil }
        self.pid = pid
        self.job = job
    }
}

/// Replays journal entries into member states (and the jobs of attempts and consumers that were running when the
/// journal stopped, for cleaning up after a launcher crash).
public struct StudyState: Sendable {
    public var members: [Int: MemberState] = [:]
    /// Attempts running when the journal stopped: member -> (job, attempt).
    public var runningAttempts: [Int: (job: JobRecord, attempt: Int)] = [:]
    /// Consumers running when the journal stopped: name -> job.
    public var runningConsumers: [String: JobRecord] = [:]
    public var server: JobRecord?
    public var ended = false

    public init(entries: [Journal.Entry]) {
        var running: [Int: (job: JobRecord, attempt: Int)] = [:]
        var consumers: [String: JobRecord] = [:]
        for e in entries {
            switch e.event {
            case .studyStart, .studyEnd:
                ended = e.event == .studyEnd
            case .serverStart:
                server = JobRecord(pid: e.pid, job: e.job)
            case .consumerStart:
                if let n = e.name, let job = JobRecord(pid: e.pid, job: e.job) { consumers[n] = job }
            case .memberStart:
                guard let m = e.member else { continue }
                var s = members[m] ?? MemberState(member: m)
                s.phase = .running
                s.attempts = max(s.attempts, (e.attempt ?? 0) + 1)
                if let p = e.parameters { s.parameters = p }
                members[m] = s
                if let job = JobRecord(pid: e.pid, job: e.job) { running[m] = (job, e.attempt ?? 0) }
            case .memberExit:
                guard let m = e.member else { continue }
                running[m] = nil
                if e.reason != "incomplete" && e.reason != "launcher-restart" && e.status != 0 { members[m]?.failures += 1 }
                if members[m]?.phase == .running { members[m]?.phase = .pending }
            case .memberDone:
                guard let m = e.member else { continue }
                members[m, default: MemberState(member: m)].phase = .done
                members[m]?.accepted = e.accepted
            case .memberFailed:
                guard let m = e.member else { continue }
                members[m, default: MemberState(member: m)].phase = .failed
            case .memberReplaced:
                guard let m = e.member else { continue }
                members[m, default: MemberState(member: m)].phase = .replaced
                members[m]?.replacement = e.replacement
                if let r = e.replacement {
                    var s = MemberState(member: r)
                    s.parameters = e.parameters ?? [:]
                    members[r] = members[r] ?? s
                }
            }
        }
        runningAttempts = running
        runningConsumers = consumers
    }
}
