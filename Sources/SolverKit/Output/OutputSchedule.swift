/// When a run loop writes a snapshot, in the style of Oceananigans' `IterationInterval`, `TimeInterval` and
/// `WallTimeInterval`. Output is separate from stepping: the loop steps, then asks each schedule ``isDue(step:time:timeStep:wallClock:)``.
///
/// - ``Kind/iterations(_:)``: every `n` steps (steps `n, 2n, ...` after the start).
/// - ``Kind/simulationTime(_:)``: at the first step at or past each multiple of the interval, within half a step:
///   a snapshot is due when `floor((t + dt/2) / interval)` has grown since the last one. With a fixed step that
///   divides the interval (FNO: `dt = 1e-4`, interval 1) it fires exactly on the multiples.
/// - ``Kind/wallTime(_:)``: when at least this many wall-clock seconds have passed since the last one.
///
/// The initial state is not a schedule's business: the run loop decides whether to write it, then calls
/// ``start(step:time:wallClock:)`` so that the schedule counts from there.
public struct OutputSchedule: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case iterations(Int)
        case simulationTime(Double)
        case wallTime(Double)
    }

    public let kind: Kind
    private var lastIndex: Double = 0
    private var lastWallClock: Double = 0

    /// - Throws: ``ScheduleError`` for a step count below 1 or an interval that is not finite and positive.
    public init(_ kind: Kind) throws(ScheduleError) {
        switch kind {
        case .iterations(let n) where n < 1: throw .invalid("an iteration interval must be at least 1 step, got \(n)")
        case .simulationTime(let t) where !(t.isFinite && t > 0):
            throw .invalid("a simulated-time interval must be finite and positive, got \(t)")
        case .wallTime(let s) where !(s.isFinite && s > 0):
            throw .invalid("a wall-clock interval must be finite and positive, got \(s) s")
        default: break
        }
        self.kind = kind
    }

    /// Counts from this state: the next snapshot is one interval after it.
    public mutating func start(step: UInt64, time: Double, wallClock: Double) {
        switch kind {
        case .iterations(let n): lastIndex = (Double(step) / Double(n)).rounded(.down)
        case .simulationTime(let interval): lastIndex = (time / interval + 1e-9).rounded(.down)
        case .wallTime: lastWallClock = wallClock
        }
    }

    /// Whether a snapshot is due after the step that reached (`step`, `time`) with step size `timeStep`; if so,
    /// the schedule moves on to the next interval.
    public mutating func isDue(step: UInt64, time: Double, timeStep: Double, wallClock: Double) -> Bool {
        switch kind {
        case .iterations(let n):
            let index = (Double(step) / Double(n)).rounded(.down)
            guard index > lastIndex else { return false }
            lastIndex = index
            return true
        case .simulationTime(let interval):
            let index = ((time + 0.5 * timeStep) / interval).rounded(.down)
            guard index > lastIndex else { return false }
            lastIndex = index
            return true
        case .wallTime(let seconds):
            guard wallClock - lastWallClock >= seconds else { return false }
            lastWallClock = wallClock
            return true
        }
    }

    /// How many snapshots the schedule fires over `steps` fixed steps of `dt` from `time` (for dry-run plans);
    /// nil for wall-clock schedules, which depend on the machine.
    public func expectedCount(steps: Int, from time: Double = 0, dt: Double) -> Int? {
        switch kind {
        case .iterations(let n): return steps / n
        case .simulationTime(let interval):
            let end = time + Double(steps) * dt
            let first = (time / interval + 1e-9).rounded(.down)
            return max(0, Int(((end + 0.5 * dt) / interval).rounded(.down) - first))
        case .wallTime: return nil
        }
    }

    public var description: String {
        switch kind {
        case .iterations(let n): "every \(n) step\(n == 1 ? "" : "s")"
        case .simulationTime(let t): "every \(t) simulated time units"
        case .wallTime(let s): "every \(s) s of wall-clock time"
        }
    }
}

/// An output schedule that cannot be built.
public struct ScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case invalid }
    private let code: Code
    public let description: String
    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func invalid(_ text: String) -> ScheduleError { ScheduleError(.invalid, text) }
}
