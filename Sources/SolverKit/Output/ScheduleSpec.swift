/// An output schedule as case files write it: exactly one of `steps`, `simulation_time` or `wall_seconds`, e.g.
/// `every: {simulation_time: 1.0}`.
public struct ScheduleSpec: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Every this many steps.
    public var steps: Int?
    /// Every this much simulated time.
    public var simulationTime: Double?
    /// Every this many wall-clock seconds.
    public var wallSeconds: Double?

    public init(steps: Int? = nil, simulationTime: Double? = nil, wallSeconds: Double? = nil) {
        self.steps = steps
        self.simulationTime = simulationTime
        self.wallSeconds = wallSeconds
    }

    /// The schedule this spec describes.
    ///
    /// - Throws: ``ScheduleError`` when not exactly one key is set or the value is out of range.
    public func makeSchedule() throws(ScheduleError) -> OutputSchedule {
        switch (steps, simulationTime, wallSeconds) {
        case (let n?, nil, nil): return try OutputSchedule(.iterations(n))
        case (nil, let t?, nil): return try OutputSchedule(.simulationTime(t))
        case (nil, nil, let s?): return try OutputSchedule(.wallTime(s))
        default: throw .invalid("an output schedule needs exactly one of steps, simulation_time, wall_seconds; got \(self)")
        }
    }

    public var description: String {
        var parts: [String] = []
        if let steps { parts.append("steps: \(steps)") }
        if let simulationTime { parts.append("simulation_time: \(simulationTime)") }
        if let wallSeconds { parts.append("wall_seconds: \(wallSeconds)") }
        return "{\(parts.joined(separator: ", "))}"
    }
}
