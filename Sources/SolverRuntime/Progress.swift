import Foundation

/// Where a run stands, for progress displays.
public struct RunProgress: Sendable, Hashable {
    public var member: UInt64
    public var step: UInt64
    public var lastStep: UInt64
    /// The step the run started from.
    public var startStep: UInt64
    public var time: Double
    public var endTime: Double
    public var snapshots: Int
    /// Wall-clock seconds since the run started.
    public var elapsed: Double

    public init(member: UInt64, step: UInt64, lastStep: UInt64, startStep: UInt64, time: Double, endTime: Double,
                snapshots: Int, elapsed: Double) {
        self.member = member
        self.step = step
        self.lastStep = lastStep
        self.startStep = startStep
        self.time = time
        self.endTime = endTime
        self.snapshots = snapshots
        self.elapsed = elapsed
    }

    /// Steps per wall-clock second so far.
    public var stepsPerSecond: Double { elapsed > 0 ? Double(step - startStep) / elapsed : 0 }

    /// Seconds to the last step at the rate so far.
    public var remainingSeconds: Double? {
        let rate = stepsPerSecond
        return rate > 0 ? Double(lastStep - step) / rate : nil
    }

    /// `"member 3  step 1200/500000 (0.2%)  t = 0.12/50  1234 steps/s  ETA 6m 40s  2 snapshots"`.
    public var line: String {
        let percent = lastStep > 0 ? 100 * Double(step) / Double(lastStep) : 100
        let eta = remainingSeconds.map(RunProgress.duration) ?? "-"
        return "member \(member)  step \(step)/\(lastStep) (\(String(format: "%.1f", percent))%)  "
            + "t = \(String(format: "%.4g", time))/\(String(format: "%.4g", endTime))  "
            + "\(String(format: "%.0f", stepsPerSecond)) steps/s  ETA \(eta)  \(snapshots) snapshots"
    }

    /// `"42s"`, `"6m 40s"`, `"2h 03m"`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h \(String(format: "%02d", (s % 3600) / 60))m"
    }
}

/// Receives progress from the run loop (every step; implementations throttle).
public protocol ProgressReporter: AnyObject {
    func update(_ progress: RunProgress)
    func finish(_ summary: RunSummary, member: UInt64)
}

/// Progress on one live line of a terminal (rewritten in place with `\r`, four times a second), or, when the
/// stream is not a terminal (a log file, a Slurm job), one plain line every `logInterval` seconds.
public final class LiveLineProgress: ProgressReporter {
    private let handle: FileHandle
    private let isTerminal: Bool
    private let interval: Double
    private var lastPrinted = -Double.infinity
    private var lastLength = 0

    public init(handle: FileHandle = .standardError, logInterval: Double = 10) {
        self.handle = handle
        isTerminal = isatty(handle.fileDescriptor) != 0
        interval = isTerminal ? 0.25 : logInterval
    }

    public func update(_ progress: RunProgress) {
        guard progress.elapsed - lastPrinted >= interval || progress.step == progress.lastStep else { return }
        lastPrinted = progress.elapsed
        let text = progress.line
        if isTerminal {
            let pad = String(repeating: " ", count: max(0, lastLength - text.count))
            lastLength = text.count
            handle.write(Data(("\r" + text + pad).utf8))
        } else {
            handle.write(Data((text + "\n").utf8))
        }
    }

    public func finish(_ summary: RunSummary, member: UInt64) {
        if isTerminal, lastLength > 0 { handle.write(Data("\n".utf8)) }
        let rate = summary.wallSeconds > 0 ? Double(summary.steps) / summary.wallSeconds : 0
        var text = "member \(member): \(summary.steps) steps to t = \(String(format: "%.6g", summary.time)) in "
            + "\(RunProgress.duration(summary.wallSeconds)) (\(String(format: "%.0f", rate)) steps/s), "
            + "\(summary.snapshotsWritten) snapshots written"
        if summary.snapshotsSkipped > 0 { text += ", \(summary.snapshotsSkipped) already held by the server" }
        handle.write(Data((text + "\n").utf8))
    }
}
