/// A system `dy/dt = F(t, y)` advanced by an explicit Runge-Kutta scheme.
public protocol ExplicitSystem: AnyObject {
    associatedtype State: StateVector
    /// Writes `F(time, state)` into `tendency` (overwriting it). Must not modify `state`.
    func tendency(of state: State, time: Double, into tendency: State)
}

/// Advances an ``ExplicitSystem`` with any ``ButcherTableau``. Stage storage (one state per stage plus one
/// stage value) is allocated once, at creation; a step allocates nothing.
public final class ExplicitRungeKutta<System: ExplicitSystem> {
    public let tableau: ButcherTableau
    public let system: System
    private let stages: [System.State]
    private let stageValue: System.State

    /// - Parameter prototype: any state of the shape to be stepped (only its shape is used).
    public init(_ tableau: ButcherTableau, system: System, prototype: System.State) {
        self.tableau = tableau
        self.system = system
        stages = (0..<tableau.stages).map { _ in prototype.makeZero() }
        stageValue = prototype.makeZero()
    }

    /// Advances `state` from `time` to `time + dt` in place.
    public func step(_ state: System.State, time: Double, dt: Double) {
        for i in 0..<tableau.stages {
            let input: System.State
            if i == 0 {
                input = state
            } else {
                stageValue.assign(state)
                for (j, a) in tableau.a[i].enumerated() where a != 0 {
                    stageValue.add(stages[j], scaledBy: dt * a)
                }
                input = stageValue
            }
            system.tendency(of: input, time: time + tableau.c[i] * dt, into: stages[i])
        }
        for (i, b) in tableau.b.enumerated() where b != 0 {
            state.add(stages[i], scaledBy: dt * b)
        }
    }
}
