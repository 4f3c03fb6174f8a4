import SolverKit

extension ChannelFlow {
    /// The kinetic-energy budget per unit volume of the current state: total energy
    /// `E = <|u|^2> / 2`, dissipation `epsilon = nu <du_i/dx_j du_i/dx_j>` and the power of the driving
    /// `P = (-dP/dx) U_b`, with `<.>` the average over the box (`(1/2) int dy` in y, Clenshaw-Curtis).
    ///
    /// For the continuous equations with no-slip walls `dE/dt = P - epsilon` exactly (the advective term only moves
    /// energy); the discrete solver conserves it up to the `y` aliasing of the products (not dealiased in `y`) and
    /// the time error, which the tests bound.
    public func energyBudget() -> (energy: Double, dissipation: Double, power: Double) {
        computeVelocitySpectra()
        // uHat and wHat hold the current u, w; their y derivatives go through `work` and `rhs` (free here).
        differentiate(uHat, into: work)
        differentiate(wHat, into: rhs)
        var energy = 0.0, gradients = 0.0
        for j in 0...n {
            var e = 0.0, g = 0.0
            for p in 0..<pairs where active[p] || p == 0 {
                let weight = p % nkx == 0 ? 1.0 : 2.0
                let i = j * pairs + p
                let speed = uHat[i].lengthSquared + v[i].lengthSquared + wHat[i].lengthSquared
                e += weight * speed
                g += weight * (k2[p] * speed + work[i].lengthSquared + dv[i].lengthSquared + rhs[i].lengthSquared)
            }
            energy += quadrature[j] * e
            gradients += quadrature[j] * g
        }
        return (0.25 * energy, 0.5 * configuration.viscosity * gradients, pressureGradient * bulkVelocity)
    }
}
