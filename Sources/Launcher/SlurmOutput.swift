/// What Slurm says about one job (or one array task), from `squeue`, `scontrol show job -o` or `sacct -P`.
package struct SlurmJobRecord: Equatable, Sendable {
    /// "1234" for a job, "1234_5" for task 5 of array job 1234.
    package var id: String
    /// Slurm's state name: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, ...
    package var state: String
    /// The exit status of the job's script, and the signal that ended it (Slurm's "ExitCode=status:signal").
    package var exitStatus: Int32?
    package var signal: Int32?
    /// squeue's and scontrol's reason (why pending, why failed); nil when "None".
    package var reason: String?

    package init(id: String, state: String, exitStatus: Int32? = nil, signal: Int32? = nil, reason: String? = nil) {
        self.id = id
        self.state = state
        self.exitStatus = exitStatus
        self.signal = signal
        self.reason = reason
    }

    /// Waiting to run (or to run again): the launcher does not count this time against the job.
    package var isQueued: Bool {
        ["PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED"].contains(state)
    }

    /// Holding its resources: running, or finishing (its exit status is not final yet).
    package var isActive: Bool {
        isQueued || ["RUNNING", "COMPLETING", "STOPPED", "SIGNALING", "STAGE_OUT", "RESIZING"].contains(state)
    }

    /// The launcher's view: queued, running, or ended with a shell-style status (128 + signal when a signal ended
    /// it; 1 when Slurm ended it for a reason that has neither, such as NODE_FAIL).
    package var jobState: JobState {
        if isQueued { return .queued }
        if isActive { return .running }
        if state == "COMPLETED" { return .exited(exitStatus ?? 0) }
        if let s = exitStatus, s != 0 { return .exited(s) }
        if let g = signal, g != 0 { return .exited(128 + g) }
        return .exited(1)
    }
}

/// Parsers of the text Slurm's commands print. They take the formats the launcher asks for (named beside each),
/// skip lines they cannot read instead of failing, and never trap on odd input.
package enum SlurmOutput {
    /// The format the launcher asks squeue for: `squeue --noheader --array --format=%i|%T|%r`.
    package static let squeueFormat = "%i|%T|%r"

    /// `squeue -h -r -o '%i|%T|%r'` lines: "1234_5|RUNNING|None", "1235|PENDING|Priority". A combined pending
    /// array line ("1234_[3-5,9%2]|PENDING|JobArrayTaskLimit", as squeue prints without --array) is expanded to one
    /// record per task. A header line, if present, is skipped.
    package static func parseSqueue(_ text: String) -> [SlurmJobRecord] {
        var records: [SlurmJobRecord] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, fields[0] != "JOBID", !fields[0].isEmpty, !fields[1].isEmpty else { continue }
            let reason = fields.count > 2 && fields[2] != "None" && !fields[2].isEmpty ? fields[2] : nil
            for id in expandArrayIDs(fields[0]) {
                records.append(SlurmJobRecord(id: id, state: fields[1].uppercased(), reason: reason))
            }
        }
        return records
    }

    /// "1234_[3-5,9%2]" -> 1234_3, 1234_4, 1234_5, 1234_9; "1234_7" and "1234" are returned as they are. An
    /// unreadable bracket is returned whole rather than guessed at.
    package static func expandArrayIDs(_ id: String) -> [String] {
        guard let open = id.firstIndex(of: "["), id.last == "]", id[..<open].hasSuffix("_") else { return [id] }
        let base = id[..<open]
        var inner = id[id.index(after: open)..<id.index(before: id.endIndex)]
        if let percent = inner.firstIndex(of: "%") { inner = inner[..<percent] }
        var ids: [String] = []
        for part in inner.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            // Slurm also writes a step ("1-9:2"); honour it.
            let stepParts = bounds.count == 2 ? bounds[1].split(separator: ":") : []
            if bounds.count == 1, let i = Int(bounds[0]) {
                ids.append("\(base)\(i)")
            } else if bounds.count == 2, let lo = Int(bounds[0]), let hi = Int(stepParts.first ?? ""),
                      lo <= hi, hi - lo < 1_000_000 {
                let step = stepParts.count == 2 ? max(1, Int(stepParts[1]) ?? 1) : 1
                ids.append(contentsOf: stride(from: lo, through: hi, by: step).map { "\(base)\($0)" })
            } else {
                return [id]
            }
        }
        return ids
    }

    /// `scontrol show job -o ID` lines, one job per line as space-separated Key=Value pairs: "JobId=6
    /// ArrayJobId=1 ArrayTaskId=2 ... JobState=FAILED Reason=JobLaunchFailure ... ExitCode=0:9 ...". An array task
    /// is named "ArrayJobId_ArrayTaskId" (its own JobId is an internal number). Values with spaces (Command=,
    /// WorkDir=) only ever come after the keys read here, and a key is only read from the line's own pairs.
    package static func parseScontrol(_ text: String) -> [SlurmJobRecord] {
        var records: [SlurmJobRecord] = []
        for line in text.split(whereSeparator: \.isNewline) {
            var values: [String: String] = [:]
            for pair in line.split(separator: " ") {
                guard let eq = pair.firstIndex(of: "=") else { continue }
                let key = String(pair[..<eq])
                if values[key] == nil { values[key] = String(pair[pair.index(after: eq)...]) }
            }
            guard let jobID = values["JobId"], let state = values["JobState"] else { continue }
            var id = jobID
            if let array = values["ArrayJobId"], let task = values["ArrayTaskId"], Int(task) != nil { id = "\(array)_\(task)" }
            let (status, signal) = parseExitCode(values["ExitCode"])
            let reason = values["Reason"].flatMap { $0 == "None" ? nil : $0 }
            records.append(SlurmJobRecord(id: id, state: state, exitStatus: status, signal: signal, reason: reason))
        }
        return records
    }

    /// `sacct --noheader --parsable2 --format=JobID,State,ExitCode` lines: "1234_5|COMPLETED|0:0",
    /// "1236|CANCELLED by 0|0:15". Step lines ("1234_5.batch", "1234_5.extern", "1234.0") are skipped: the job's
    /// own line carries its outcome.
    package static func parseSacct(_ text: String) -> [SlurmJobRecord] {
        var records: [SlurmJobRecord] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, !fields[0].isEmpty, !fields[0].contains("."), fields[0] != "JobID" else { continue }
            // "CANCELLED by 1000": the state is the first word.
            guard let state = fields[1].split(separator: " ").first.map(String.init), !state.isEmpty else { continue }
            let (status, signal) = parseExitCode(fields[2])
            records.append(SlurmJobRecord(id: fields[0], state: state, exitStatus: status, signal: signal))
        }
        return records
    }

    /// "3:0" -> (3, 0); "0:9" -> (0, 9); anything else -> (nil, nil).
    package static func parseExitCode(_ text: String?) -> (Int32?, Int32?) {
        guard let parts = text?.split(separator: ":"), parts.count == 2,
              let status = Int32(parts[0]), let signal = Int32(parts[1]) else { return (nil, nil) }
        return (status, signal)
    }

    /// `sbatch --parsable` prints "1234" or "1234;cluster". Returns the job id, or nil if the text is not one.
    package static func parseSubmission(_ text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let id = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !id.isEmpty, id.allSatisfy(\.isNumber) { return id }
        }
        return nil
    }

    /// An `--array` value: indices compressed to ranges, with a throttle: [0, 1, 2, 5, 7, 8] and 3 -> "0-2,5,7-8%3".
    package static func arraySpecification(_ indices: [Int], limit: Int?) -> String {
        var parts: [String] = []
        var sorted = Array(Set(indices)).sorted()[...]
        while let first = sorted.first {
            var last = first
            sorted = sorted.dropFirst()
            while sorted.first == last + 1 { last += 1; sorted = sorted.dropFirst() }
            parts.append(first == last ? "\(first)" : "\(first)-\(last)")
        }
        return parts.joined(separator: ",") + (limit.map { "%\($0)" } ?? "")
    }
}
