/// A system `du/dt = F(t, u) + L u` split for an ``IMEXScheme``: `F` explicit, the linear `L` implicit.
public protocol SemiImplicitSystem: AnyObject {
    associatedtype State: StateVector
    /// Writes `F(time, state)` into `tendency` (overwriting it). Must not modify `state`.
    func explicitTendency(of state: State, time: Double, into tendency: State)
    /// The implicit sub-step `state = (I - mu L)^{-1} (state + mu L state + weight * increment)`, in place.
    /// For a diagonal `L` (spectral viscosity and drag) ``DiagonalImplicitOperator`` does this in one pass.
    func implicitSubstep(_ state: State, increment: State, weight: Double, mu: Double)
}

/// Advances a ``SemiImplicitSystem`` with an ``IMEXScheme``. Allocates its storage (one or two states) once;
/// a step allocates nothing.
///
/// The Adams-Bashforth scheme keeps the previous explicit tendency, so that stepper is stateful: call
/// ``reset()`` when the state is replaced by something other than the result of the previous step.
public final class IMEXStepper<System: SemiImplicitSystem> {
    public let scheme: IMEXScheme
    public let system: System
    private let accumulated: System.State
    private let tendency: System.State
    private let previousTendency: System.State
    private var previousStep: Double?

    /// - Parameter prototype: any state of the shape to be stepped (only its shape is used).
    public init(_ scheme: IMEXScheme, system: System, prototype: System.State) {
        self.scheme = scheme
        self.system = system
        accumulated = prototype.makeZero()
        tendency = prototype.makeZero()
        previousTendency = prototype.makeZero()
    }

    /// Forgets the multistep history (the next Adams-Bashforth step is a Crank-Nicolson/Euler step).
    public func reset() { previousStep = nil }

    /// Advances `state` from `time` to `time + dt` in place.
    public func step(_ state: System.State, time: Double, dt: Double) {
        switch scheme.family {
        case .lowStorageRungeKutta(let alpha, let beta, let gamma):
            let h = accumulated
            for k in 0..<beta.count {
                if k == 0 || beta[k] == 0 {
                    system.explicitTendency(of: state, time: time + alpha[k] * dt, into: h)
                } else {
                    system.explicitTendency(of: state, time: time + alpha[k] * dt, into: tendency)
                    // h = F + beta_k h
                    h.scale(by: beta[k])
                    h.add(tendency, scaledBy: 1)
                }
                let mu = 0.5 * dt * (alpha[k + 1] - alpha[k])
                system.implicitSubstep(state, increment: h, weight: gamma[k] * dt, mu: mu)
            }
        case .adamsBashforth2:
            system.explicitTendency(of: state, time: time, into: tendency)
            accumulated.assign(tendency)
            if let previous = previousStep, previous > 0 {
                let w = dt / previous
                accumulated.add(tendency, scaledBy: 0.5 * w)
                accumulated.add(previousTendency, scaledBy: -0.5 * w)
            }
            previousTendency.assign(tendency)
            previousStep = dt
            system.implicitSubstep(state, increment: accumulated, weight: dt, mu: 0.5 * dt)
        }
    }
}
