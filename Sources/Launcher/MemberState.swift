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

/// Replays journal entries into member states (and the pids of attempts and consumers that were running when the
/// journal stopped, for cleaning up after a launcher crash).
public struct StudyState: Sendable {
    public var members: [Int: MemberState] = [:]
    /// Attempts running when the journal stopped: member -> (pid, attempt).
    public var runningAttempts: [Int: (pid: Int32, attempt: Int)] = [:]
    /// Consumers running when the journal stopped: name -> pid.
    public var runningConsumers: [String: Int32] = [:]
    public var serverPid: Int32?
    public var ended = false

    public init(entries: [Journal.Entry]) {
        var running: [Int: (pid: Int32, attempt: Int)] = [:]
        var consumers: [String: Int32] = [:]
        for e in entries {
            switch e.event {
            case .studyStart, .studyEnd:
                ended = e.event == .studyEnd
            case .serverStart:
                serverPid = e.pid
            case .consumerStart:
                if let n = e.name, let pid = e.pid { consumers[n] = pid }
            case .memberStart:
                guard let m = e.member else { continue }
                var s = members[m] ?? MemberState(member: m)
                s.phase = .running
                s.attempts = max(s.attempts, (e.attempt ?? 0) + 1)
                if let p = e.parameters { s.parameters = p }
                members[m] = s
                if let pid = e.pid { running[m] = (pid, e.attempt ?? 0) }
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
