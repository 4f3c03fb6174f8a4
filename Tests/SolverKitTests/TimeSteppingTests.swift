import Foundation
import SolverKit
import Testing

/// Test problems on one-element states: `y' = y cos t` (solution `exp(sin t)`, time-dependent: checks the stage
/// times) for the explicit part, and `y' = lambda y` for the implicit part.
final class ScalarProblem: ExplicitSystem, SemiImplicitSystem {
    typealias State = AlignedBuffer<Double>
    let lambda: Double
    let explicitOn: Bool
    init(lambda: Double, explicitOn: Bool) {
        self.lambda = lambda
        self.explicitOn = explicitOn
    }
    func tendency(of state: State, time: Double, into tendency: State) {
        tendency[0] = state[0] * cos(time) + lambda * state[0]
    }
    func explicitTendency(of state: State, time: Double, into tendency: State) {
        tendency[0] = explicitOn ? state[0] * cos(time) : 0
    }
    func implicitSubstep(_ state: State, increment: State, weight: Double, mu: Double) {
        state[0] = ((1 + mu * lambda) * state[0] + weight * increment[0]) / (1 - mu * lambda)
    }
    /// The exact solution at `t` from `y(0) = 1`.
    func exact(_ t: Double) -> Double { exp((explicitOn ? sin(t) : 0) + lambda * t) }
}

/// The observed order `log2(e(dt) / e(dt/2))`.
func observedOrder(_ error: (Int) -> Double, steps: Int) -> Double {
    log2(error(steps) / error(2 * steps))
}

@Suite("Time steppers")
struct TimeSteppingTests {
    @Test("every explicit tableau converges at its order on y' = y cos t", arguments: ButcherTableau.all)
    func explicitOrder(tableau: ButcherTableau) {
        let problem = ScalarProblem(lambda: 0, explicitOn: true)
        func error(_ steps: Int) -> Double {
            let y = AlignedBuffer<Double>([1])
            let stepper = ExplicitRungeKutta(tableau, system: problem, prototype: y)
            let dt = 2.0 / Double(steps)
            for n in 0..<steps { stepper.step(y, time: Double(n) * dt, dt: dt) }
            return abs(y[0] - problem.exact(2))
        }
        // Asymptotic regime for these step counts; the observed order is within 0.25 of the nominal one.
        let order = observedOrder(error, steps: 40)
        #expect(abs(order - Double(tableau.order)) < 0.25, "\(tableau.name): observed order \(order)")
    }

    @Test("tableaux are consistent: weights sum to 1 and stage times are row sums", arguments: ButcherTableau.all)
    func consistency(tableau: ButcherTableau) {
        #expect(abs(tableau.b.reduce(0, +) - 1) < 1e-15)
        if tableau.order >= 2 {
            #expect(abs(zip(tableau.b, tableau.c).reduce(0) { $0 + $1.0 * $1.1 } - 0.5) < 1e-15)
        }
        if tableau.order >= 3 {
            #expect(abs(zip(tableau.b, tableau.c).reduce(0) { $0 + $1.0 * $1.1 * $1.1 } - 1.0 / 3) < 1e-15)
        }
    }

    @Test("every IMEX scheme converges at its explicit order with L = 0 and at order 2 with F = 0",
          arguments: IMEXScheme.all)
    func imexOrders(scheme: IMEXScheme) {
        func run(_ problem: ScalarProblem, steps: Int) -> Double {
            let y = AlignedBuffer<Double>([1])
            let stepper = IMEXStepper(scheme, system: problem, prototype: y)
            let dt = 2.0 / Double(steps)
            for n in 0..<steps { stepper.step(y, time: Double(n) * dt, dt: dt) }
            return abs(y[0] - problem.exact(2))
        }
        let explicitOnly = ScalarProblem(lambda: 0, explicitOn: true)
        let explicit = observedOrder({ run(explicitOnly, steps: $0) }, steps: 40)
        #expect(abs(explicit - Double(scheme.explicitOrder)) < 0.3, "\(scheme.name): explicit order \(explicit)")
        let implicitOnly = ScalarProblem(lambda: -3, explicitOn: false)
        let implicit = observedOrder({ run(implicitOnly, steps: $0) }, steps: 40)
        #expect(abs(implicit - Double(scheme.implicitOrder)) < 0.3, "\(scheme.name): implicit order \(implicit)")
        // Both together: the lower of the two orders, or better.
        let both = ScalarProblem(lambda: -3, explicitOn: true)
        let combined = observedOrder({ run(both, steps: $0) }, steps: 80)
        #expect(combined > Double(min(scheme.explicitOrder, 2)) - 0.3, "\(scheme.name): combined order \(combined)")
    }

    @Test("Crank-Nicolson stays bounded for a stiff decay (|1 + mu lambda| / |1 - mu lambda| < 1)", arguments: IMEXScheme.all)
    func stiffStability(scheme: IMEXScheme) {
        let problem = ScalarProblem(lambda: -1e6, explicitOn: false)
        let y = AlignedBuffer<Double>([1])
        let stepper = IMEXStepper(scheme, system: problem, prototype: y)
        for n in 0..<100 { stepper.step(y, time: Double(n) * 0.1, dt: 0.1) }
        #expect(abs(y[0]) <= 1)
    }
}

@Suite("Output schedules")
struct OutputScheduleTests {
    @Test("a simulated-time interval of 1 fires at steps 10000, 20000, ... for dt = 1e-4, as counted in advance")
    func simulationTime() throws {
        var schedule = try OutputSchedule(.simulationTime(1))
        schedule.start(step: 0, time: 0, wallClock: 0)
        var fired: [UInt64] = []
        let dt = 1e-4
        for step in UInt64(1)...30_000 where schedule.isDue(step: step, time: Double(step) * dt, timeStep: dt, wallClock: 0) {
            fired.append(step)
        }
        #expect(fired == [10_000, 20_000, 30_000])
        #expect(schedule.expectedCount(steps: 30_000, dt: dt) == 3)
    }

    @Test("an interval smaller than the step fires once per step")
    func intervalBelowStep() throws {
        var schedule = try OutputSchedule(.simulationTime(0.3))
        schedule.start(step: 0, time: 0, wallClock: 0)
        let fired = (UInt64(1)...5).filter { schedule.isDue(step: $0, time: Double($0), timeStep: 1, wallClock: 0) }
        #expect(fired == [1, 2, 3, 4, 5])
    }

    @Test("iteration and wall-clock schedules fire on their intervals")
    func iterationsAndWallTime() throws {
        var every = try OutputSchedule(.iterations(3))
        every.start(step: 0, time: 0, wallClock: 0)
        #expect((UInt64(1)...10).filter { every.isDue(step: $0, time: 0, timeStep: 1, wallClock: 0) } == [3, 6, 9])
        #expect(every.expectedCount(steps: 10, dt: 1) == 3)
        var wall = try OutputSchedule(.wallTime(2))
        wall.start(step: 0, time: 0, wallClock: 100)
        let clock: [Double] = [100.5, 101.9, 102.0, 103.0, 104.1]
        #expect(clock.enumerated().filter { wall.isDue(step: UInt64($0.offset), time: 0, timeStep: 1, wallClock: $0.element) }.map(\.element) == [102.0, 104.1])
        #expect(wall.expectedCount(steps: 10, dt: 1) == nil)
    }

    @Test("invalid intervals are refused with the value in the message")
    func invalid() {
        #expect(throws: ScheduleError.self) { try OutputSchedule(.iterations(0)) }
        #expect(throws: ScheduleError.self) { try OutputSchedule(.simulationTime(-1)) }
        #expect(throws: ScheduleError.self) { try ScheduleSpec(steps: 2, simulationTime: 1).makeSchedule() }
        do {
            _ = try OutputSchedule(.wallTime(.nan))
        } catch {
            #expect("\(error)".contains("nan"))
        }
    }
}
