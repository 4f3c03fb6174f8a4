import Foundation
import SluiceModel

/// The dry-run plan of a member: what would run, how much it would publish, and what it would cost.
public struct RunPlan {
    public let setup: MemberSetup
    public let options: RunOptions

    public init(setup: MemberSetup, options: RunOptions) {
        self.setup = setup
        self.options = options
    }

    /// Steps the run would take.
    public var steps: UInt64 { options.stepLimit.map { min($0, setup.plannedSteps) } ?? setup.plannedSteps }

    /// Snapshots the run would write, found by replaying the schedules over the planned steps exactly as the run
    /// loop asks them (nil when a wall-clock schedule makes the count machine-dependent).
    public var snapshots: Int? {
        let simulation = setup.simulation
        var schedules = setup.schedules
        if schedules.contains(where: { if case .wallTime = $0.kind { return true } else { return false } }) { return nil }
        let first = simulation.step, last = max(steps, first), dt = simulation.timeStep, t0 = simulation.time
        for i in schedules.indices { schedules[i].start(step: first, time: t0, wallClock: 0) }
        var count = setup.includeInitial || first == last ? 1 : 0
        var step = first
        while step < last {
            step += 1
            let time = t0 + Double(step - first) * dt
            var due = false
            for i in schedules.indices where schedules[i].isDue(step: step, time: time, timeStep: dt, wallClock: 0) { due = true }
            if due || step == last { count += 1 }
        }
        return count
    }

    /// The plan as aligned text.
    public var text: String {
        let simulation = setup.simulation
        let layout = simulation.snapshotLayout
        let cost = simulation.cost
        var lines = ["plan: case '\(setup.caseName)' (solver \(setup.solver)), member \(options.member), attempt \(options.attempt)"]
        func row(_ key: String, _ value: String) {
            lines.append("  " + key.padding(toLength: 19, withPad: " ", startingAt: 0) + value)
        }
        row("parameters", simulation.parameters.map { "\($0.name)=\(String(format: "%.6g", $0.value))" }.joined(separator: " "))
        for (key, value) in setup.details { row(key, value) }
        let end = simulation.time + Double(steps) * simulation.timeStep
        row("steps", "\(steps) (t = \(String(format: "%.6g", simulation.time)) to \(String(format: "%.6g", end)))")
        let schedules = setup.schedules.map(\.description).joined(separator: ", ")
        let fields = layout.fields.map(\.description).joined(separator: ", ")
        let count = snapshots
        row("snapshots", "\(count.map(String.init) ?? "machine-dependent") (\(schedules)\(setup.includeInitial ? ", initial state included" : ""), last step always)")
        row("snapshot fields", "\(fields): \(bytes(layout.payloadBytes)) each\(count.map { ", \(bytes($0 * layout.payloadBytes)) in all" } ?? "")")
        let perStep = cost.secondsPerStep
        row("cost per step", "\(String(format: "%.3g", cost.flopsPerStep / 1e6)) MFLOP (\(cost.summary)); ~\(String(format: "%.3g", perStep * 1e3)) ms at \(String(format: "%.3g", cost.expectedFlopsPerSecond / 1e9)) GFLOP/s")
        row("estimated time", "\(RunProgress.duration(perStep * Double(steps))) on one core")
        row("memory", "~\(bytes(cost.stateBytes)) of solver state")
        return lines.joined(separator: "\n")
    }

    private func bytes(_ n: Int) -> String {
        let b = Double(n)
        if b >= Double(1 << 30) { return String(format: "%.2f GiB", b / Double(1 << 30)) }
        if b >= Double(1 << 20) { return String(format: "%.1f MiB", b / Double(1 << 20)) }
        if b >= Double(1 << 10) { return String(format: "%.1f KiB", b / Double(1 << 10)) }
        return "\(n) B"
    }
}
