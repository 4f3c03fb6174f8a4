import Dispatch
import SolverKit

extension ChannelFlow {
    /// Advances one full step of ``LowStorageRK3`` (three stages), then adapts `dt` to the target Courant number.
    public func advance() {
        rebuildImplicitDataIfNeeded()
        let dt = timeStep
        var courantMax = 0.0
        for s in 0..<scheme.stages {
            phase(0) { formProducts() }
            phase(1) { combineProducts() }
            courantMax = max(courantMax, courantRate)
            phase(2) {
                advanceWavenumbers(stage: s, dt: dt)
                advanceMean(stage: s, dt: dt)
            }
        }
        courantRate = courantMax
        step += 1
        time += dt
        adaptTimeStep()
    }

    /// Runs `body`, adding its wall time to ``phaseSeconds``[`index`] when ``measureTransforms`` is set.
    @inline(__always)
    private func phase(_ index: Int, _ body: () -> Void) {
        guard measureTransforms else { body(); return }
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        phaseSeconds[index] += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// Courant number of the last step (`dt * courantRate`).
    public var courantNumber: Double { courantRate * timeStep }

    func adaptTimeStep() {
        guard let target = configuration.courant, courantRate > 0 else { return }
        let current = courantRate * timeStep
        if current > target || (current < 0.7 * target && timeStep < configuration.timeStep) {
            timeStep = min(configuration.timeStep, 0.85 * target / courantRate)
        }
    }

    /// Homogeneous solutions of the `phi`/`v` problems and the mean-flow unit-forcing response for every stage.
    func rebuildImplicitDataIfNeeded() {
        guard builtFor != timeStep else { return }
        let dt = timeStep, nu = configuration.viscosity
        let columns = pairs
        sigmaImplicit = []; homogeneousPhi = []; homogeneousV = []
        influenceTop = []; influenceBottom = []; unitForcingMean = []
        var sigmaK2 = [Double](repeating: 0, count: columns)
        for p in 0..<pairs { sigmaK2[p] = k2[p] }
        for s in 0..<scheme.stages {
            let c = 1 / (scheme.beta[s] * dt * nu)
            var sigmaReal = [Double](repeating: 0, count: 2 * pairs)
            var sigmaPair = [Double](repeating: 0, count: columns)
            for p in 0..<pairs {
                sigmaReal[2 * p] = k2[p] + c
                sigmaReal[2 * p + 1] = k2[p] + c
                sigmaPair[p] = k2[p] + c
            }
            sigmaImplicit.append(sigmaReal)
            // phi1: (D2 - sigma) phi1 = 0, phi1(+1) = 1, phi1(-1) = 0; v1: (D2 - k^2) v1 = phi1, v1(+-1) = 0.
            let phi1 = AlignedBuffer<Double>(count: (n + 1) * columns)
            for p in 0..<columns { phi1[p] = 1 }
            phi1.withUnsafeMutableBufferPointer { b in
                sigmaPair.withUnsafeBufferPointer { helmholtz.solve(b.baseAddress!, columns: columns, sigma: $0.baseAddress!) }
            }
            let v1 = phi1.copy()
            for p in 0..<columns { v1[p] = 0; v1[n * columns + p] = 0 }
            var top = [Double](repeating: 0, count: columns), bottom = top
            v1.withUnsafeMutableBufferPointer { b in
                sigmaK2.withUnsafeBufferPointer { helmholtz.solve(b.baseAddress!, columns: columns, sigma: $0.baseAddress!) }
                helmholtz.derivativeRow(0, of: UnsafePointer(b.baseAddress!), columns: columns, into: &top)
                helmholtz.derivativeRow(n, of: UnsafePointer(b.baseAddress!), columns: columns, into: &bottom)
            }
            homogeneousPhi.append(phi1)
            homogeneousV.append(v1)
            influenceTop.append(top)
            influenceBottom.append(bottom)
            // Mean flow: (1 - beta dt nu D2) U_f = (alpha + beta) dt (unit forcing), U_f(+-1) = 0.
            var unit = [Double](repeating: -(scheme.alpha[s] + scheme.beta[s]) * dt * c, count: n + 1)
            unit[0] = 0; unit[n] = 0
            var sigmaMean = [c]
            unit.withUnsafeMutableBufferPointer { b in
                sigmaMean.withUnsafeMutableBufferPointer { helmholtz.solve(b.baseAddress!, columns: 1, sigma: $0.baseAddress!) }
            }
            unitForcingMean.append(unit)
        }
        builtFor = timeStep
    }

    /// Stage `s` for every wavenumber pair `k != 0`: `omega`, then `phi` and `v` with the influence matrix.
    func advanceWavenumbers(stage s: Int, dt: Double) {
        let nu = configuration.viscosity
        let a = scheme.alpha[s], b = scheme.beta[s], g = scheme.gamma[s], z = scheme.zeta[s]
        let c = 1 / (b * dt * nu)
        let inverseBetaDt = 1 / (b * dt)
        let columns = 2 * pairs
        // omega: R = omega + dt (a L omega + g hg + z hg_prev); solve (D2 - sigma) omega = -c R.
        implicitSolve(state: omega, lstate: lomega, explicit: hg, previous: hgPrevious,
                      a: a, g: g, z: z, dt: dt, c: c, inverseBetaDt: inverseBetaDt, stage: s) { _ in }
        // phi: particular solution with phi(+-1) = 0, then v_p from (D2 - k^2) v_p = phi_p.
        implicitSolve(state: phi, lstate: lphi, explicit: hv, previous: hvPrevious,
                      a: a, g: g, z: z, dt: dt, c: c, inverseBetaDt: inverseBetaDt, stage: s) { [self] phiP in
            // v_p into `v`.
            v.withUnsafeMutableBufferPointer { vb in
                vb.withMemoryRebound(to: Double.self) { vr in
                    phiP.withUnsafeBufferPointer { pb in
                        pb.withMemoryRebound(to: Double.self) { pr in
                            vr.baseAddress!.update(from: pr.baseAddress!, count: (n + 1) * columns)
                        }
                    }
                    for col in 0..<columns { vr[col] = 0; vr[n * columns + col] = 0 }
                    sigmaPoisson.withUnsafeBufferPointer {
                        helmholtz.solve(vr.baseAddress!, columns: columns, sigma: $0.baseAddress!)
                    }
                    helmholtz.derivativeRow(0, of: UnsafePointer(vr.baseAddress!), columns: columns, into: &dvTop)
                    helmholtz.derivativeRow(n, of: UnsafePointer(vr.baseAddress!), columns: columns, into: &dvBottom)
                }
            }
            // Influence matrix: v = v_p + a1 v1 + a2 v2 with v2(y) = v1(-y), so that v'(+-1) = 0.
            let phi1 = homogeneousPhi[s], v1 = homogeneousV[s]
            let top = influenceTop[s], bottom = influenceBottom[s]
            for p in 0..<pairs where active[p] {
                let t = top[p], bt = bottom[p]
                let det = bt * bt - t * t
                let r0 = Complex(-dvTop[2 * p], -dvTop[2 * p + 1]), r1 = Complex(-dvBottom[2 * p], -dvBottom[2 * p + 1])
                // [[t, -bt], [bt, -t]] (a1, a2) = (r0, r1)
                let a1 = (-t * r0 + bt * r1) * (1 / det)
                let a2 = (t * r1 - bt * r0) * (1 / det)
                for j in 0...n {
                    let i = j * pairs + p
                    let h1 = phi1[j * pairs + p], h2 = phi1[(n - j) * pairs + p]
                    let w1 = v1[j * pairs + p], w2 = v1[(n - j) * pairs + p]
                    v[i] += w1 * a1 + w2 * a2
                    phiP[i] += h1 * a1 + h2 * a2
                }
            }
        }
    }

    /// One implicit stage for a field with Dirichlet zero walls (`omega`, or `phi`'s particular part).
    /// `correct` receives the updated state before `L state` is formed from it (the `phi` influence correction).
    private func implicitSolve(
        state: AlignedBuffer<Complex<Double>>, lstate: AlignedBuffer<Complex<Double>>,
        explicit h: AlignedBuffer<Complex<Double>>, previous: AlignedBuffer<Complex<Double>>,
        a: Double, g: Double, z: Double, dt: Double, c: Double, inverseBetaDt: Double, stage s: Int,
        correct: (AlignedBuffer<Complex<Double>>) -> Void
    ) {
        for p in 0..<pairs { rhs[p] = .zero; rhs[n * pairs + p] = .zero; state[p] = .zero; state[n * pairs + p] = .zero }
        let x = base(state), l = base(lstate), e = base(h), old = base(previous), r = base(rhs)
        for i in pairs..<(n * pairs) {
            let explicitPart: Complex<Double> = a * l[i] + g * e[i]
            let older: Complex<Double> = z * old[i]
            let value: Complex<Double> = x[i] + dt * (explicitPart + older)
            r[i] = value
            x[i] = -c * value
        }
        state.withUnsafeMutableBufferPointer { sb in
            sb.withMemoryRebound(to: Double.self) { sr in
                sigmaImplicit[s].withUnsafeBufferPointer {
                    helmholtz.solve(sr.baseAddress!, columns: 2 * pairs, sigma: $0.baseAddress!)
                }
            }
        }
        for j in 0...n {
            for p in 0..<pairs where !active[p] { state[j * pairs + p] = .zero }
        }
        correct(state)
        for j in 1..<n {
            let row = j * pairs
            for p in 0..<pairs {
                let i = row + p
                l[i] = active[p] ? (x[i] - r[i]) * inverseBetaDt : .zero
            }
        }
        old.update(from: e, count: h.count)
    }

    /// Stage `s` for the mean flow `U(y)`, `W(y)` (the `k = 0` mode), with the driving force.
    func advanceMean(stage s: Int, dt: Double) {
        let nu = configuration.viscosity
        let a = scheme.alpha[s], b = scheme.beta[s], g = scheme.gamma[s], z = scheme.zeta[s]
        let c = 1 / (b * dt * nu)
        // Mean nonlinear terms: -d<uv>/dy, -d<vw>/dy from the (0,0) products.
        var uv = [Double](repeating: 0, count: n + 1), vw = uv
        for j in 0...n { uv[j] = meanProductsUV[j]; vw[j] = meanProductsVW[j] }
        let nuTerm = firstDerivative(uv).map { -$0 }, nwTerm = firstDerivative(vw).map { -$0 }
        switch configuration.driving {
        case .pressureGradient(let gradient):
            pressureGradient = gradient
            let r = rhsMean(meanU, lmeanU, nuTerm, nuPrevious, a: a, b: b, g: g, z: z, dt: dt, forcing: gradient)
            meanU = solveMean(r, c: c)
            lmeanU = implicitL(meanU, r, b: b, dt: dt)
        case .flowRate(let bulk):
            let r = rhsMean(meanU, lmeanU, nuTerm, nuPrevious, a: a, b: b, g: g, z: z, dt: dt, forcing: 0)
            var u0 = solveMean(r, c: c)
            let unit = unitForcingMean[s]
            let bulkOf = { (f: [Double]) in 0.5 * zip(self.quadrature, f).reduce(0) { $0 + $1.0 * $1.1 } }
            let f = (bulk - bulkOf(u0)) / bulkOf(unit)
            for j in 0...n { u0[j] += f * unit[j] }
            pressureGradient = f
            var rTotal = r
            for j in 1..<n { rTotal[j] += (a + b) * dt * f }
            meanU = u0
            lmeanU = implicitL(meanU, rTotal, b: b, dt: dt)
        }
        nuPrevious = nuTerm
        let rw = rhsMean(meanW, lmeanW, nwTerm, nwPrevious, a: a, b: b, g: g, z: z, dt: dt, forcing: 0)
        meanW = solveMean(rw, c: c)
        lmeanW = implicitL(meanW, rw, b: b, dt: dt)
        nwPrevious = nwTerm
    }

    private func rhsMean(_ state: [Double], _ lstate: [Double], _ term: [Double], _ previous: [Double],
                         a: Double, b: Double, g: Double, z: Double, dt: Double, forcing: Double) -> [Double] {
        var r = [Double](repeating: 0, count: n + 1)
        for j in 1..<n { r[j] = state[j] + dt * (a * lstate[j] + g * term[j] + z * previous[j] + (a + b) * forcing) }
        return r
    }

    private func solveMean(_ r: [Double], c: Double) -> [Double] {
        var x = r.map { -c * $0 }
        x[0] = 0; x[n] = 0
        var sigma = [c]
        x.withUnsafeMutableBufferPointer { xb in
            sigma.withUnsafeMutableBufferPointer { helmholtz.solve(xb.baseAddress!, columns: 1, sigma: $0.baseAddress!) }
        }
        return x
    }

    private func implicitL(_ state: [Double], _ r: [Double], b: Double, dt: Double) -> [Double] {
        var l = [Double](repeating: 0, count: n + 1)
        for j in 1..<n { l[j] = (state[j] - r[j]) / (b * dt) }
        return l
    }
}
