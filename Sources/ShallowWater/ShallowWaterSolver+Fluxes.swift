import Meshes

/// Per-cell primitive values and limited gradients of `h`, `h + z`, `u`, `v`.
struct Reconstruction {
    var eta: [Double], u: [Double], v: [Double]
    /// Gradients, four per cell: h, eta, u, v.
    var gradient: [SIMD2<Double>]
    var firstOrder: [Bool]
    init(cells n: Int) {
        eta = .init(repeating: 0, count: n); u = eta; v = eta
        gradient = .init(repeating: .zero, count: 4 * n)
        firstOrder = .init(repeating: true, count: n)
    }
}

/// A state at an edge: depth, surface, velocity.
struct EdgeState {
    var h: Double, z: Double, u: Double, v: Double
}

extension ShallowWaterSolver {
    /// `rh, rhu, rhv` = the semi-discrete right-hand side at the current state.
    func computeTendency() {
        let n = h.count, topo = geometry.topology, g = options.gravity, dry = options.dryDepth
        for k in 0..<n {
            rh[k] = 0; rhu[k] = 0; rhv[k] = 0
            reconstruction.eta[k] = h[k] + bed[k]
            let vel = velocity(k)
            reconstruction.u[k] = vel.x
            reconstruction.v[k] = vel.y
        }
        if options.secondOrder { computeLimitedGradients() }

        for e in topo.edges.indices {
            let i = Int(topo.left[e]), j = Int(topo.right[e])
            let nrm = geometry.edgeNormal[e], len = geometry.edgeLength[e], mid = geometry.edgeMidpoint[e]
            let left = edgeState(i, at: mid)
            var right: EdgeState
            let tag = topo.tag[e]
            if j >= 0 {
                right = edgeState(j, at: mid)
            } else if tag == .open {
                right = left
            } else {
                let un = left.u * nrm.x + left.v * nrm.y
                right = EdgeState(h: left.h, z: left.z, u: left.u - 2 * un * nrm.x, v: left.v - 2 * un * nrm.y)
            }
            // Hydrostatic reconstruction.
            let zStar = max(left.z, right.z)
            let hsL = max(0, left.h + left.z - zStar), hsR = max(0, right.h + right.z - zStar)
            var flux = hll(hL: hsL, uL: left.u, vL: left.v, hR: hsR, uR: right.u, vR: right.v, n: nrm, g: g, dry: dry)
            if j < 0, tag != .open { flux.x = 0 }
            let aL = len / geometry.area[i]
            let corrL = g / 2 * (left.h * left.h - hsL * hsL)
            rh[i] -= aL * flux.x
            rhu[i] -= aL * (flux.y + corrL * nrm.x)
            rhv[i] -= aL * (flux.z + corrL * nrm.y)
            if options.secondOrder, !reconstruction.firstOrder[i] {
                let s = g / 2 * (left.h + h[i]) * (bed[i] - left.z) * len / geometry.area[i]
                rhu[i] += s * nrm.x
                rhv[i] += s * nrm.y
            }
            if j >= 0 {
                let aR = len / geometry.area[j]
                let corrR = g / 2 * (right.h * right.h - hsR * hsR)
                rh[j] += aR * flux.x
                rhu[j] += aR * (flux.y + corrR * nrm.x)
                rhv[j] += aR * (flux.z + corrR * nrm.y)
                if options.secondOrder, !reconstruction.firstOrder[j] {
                    let s = g / 2 * (right.h + h[j]) * (bed[j] - right.z) * len / geometry.area[j]
                    rhu[j] -= s * nrm.x
                    rhv[j] -= s * nrm.y
                }
            }
        }
    }

    /// The reconstructed state of cell `k` at point `p`.
    @inline(__always)
    func edgeState(_ k: Int, at p: SIMD2<Double>) -> EdgeState {
        if !options.secondOrder || reconstruction.firstOrder[k] {
            return EdgeState(h: h[k], z: bed[k], u: reconstruction.u[k], v: reconstruction.v[k])
        }
        let d = p - geometry.centroid[k], g = reconstruction.gradient
        let hk = h[k] + (g[4 * k] * d).sum()
        let eta = reconstruction.eta[k] + (g[4 * k + 1] * d).sum()
        return EdgeState(h: hk, z: eta - hk, u: reconstruction.u[k] + (g[4 * k + 2] * d).sum(),
                         v: reconstruction.v[k] + (g[4 * k + 3] * d).sum())
    }

    /// Green-Gauss gradients of h, eta, u, v limited by Barth-Jespersen; zero in cells that are dry or touch a dry
    /// cell.
    func computeLimitedGradients() {
        let n = h.count, topo = geometry.topology, dry = options.dryDepth
        for k in 0..<n {
            reconstruction.firstOrder[k] = h[k] <= dry
            for c in 0..<4 { reconstruction.gradient[4 * k + c] = .zero }
        }
        for e in topo.edges.indices {
            let i = Int(topo.left[e]), j = Int(topo.right[e])
            if j >= 0, h[i] <= dry || h[j] <= dry {
                reconstruction.firstOrder[i] = true
                reconstruction.firstOrder[j] = true
            }
        }
        // Green-Gauss: grad q ~ (1/A) sum_e q_face n L, q_face the mean of the two cells (the cell's own value on the
        // boundary).
        for e in topo.edges.indices {
            let i = Int(topo.left[e]), j = Int(topo.right[e])
            let ln = geometry.edgeNormal[e] * geometry.edgeLength[e]
            let qi = values(i), qj = j >= 0 ? values(j) : qi
            for c in 0..<4 {
                let f = (qi[c] + qj[c]) / 2
                reconstruction.gradient[4 * i + c] += f * ln
                if j >= 0 { reconstruction.gradient[4 * j + c] -= f * ln }
            }
        }
        for k in 0..<n {
            if reconstruction.firstOrder[k] {
                for c in 0..<4 { reconstruction.gradient[4 * k + c] = .zero }
                continue
            }
            let inv = 1 / geometry.area[k]
            let q = values(k)
            var lo = q, hi = q
            let te = topo.triangleEdges[k]
            for s in 0..<3 {
                let e = Int(te[s])
                let other = Int(topo.left[e]) == k ? Int(topo.right[e]) : Int(topo.left[e])
                guard other >= 0 else { continue }
                let qo = values(other)
                lo = pointwiseMin(lo, qo)
                hi = pointwiseMax(hi, qo)
            }
            for c in 0..<4 {
                let grad = reconstruction.gradient[4 * k + c] * inv
                var phi = 1.0
                for s in 0..<3 {
                    let d = (grad * (geometry.edgeMidpoint[Int(te[s])] - geometry.centroid[k])).sum()
                    if d > 0 { phi = min(phi, (hi[c] - q[c]) / d) } else if d < 0 { phi = min(phi, (lo[c] - q[c]) / d) }
                }
                reconstruction.gradient[4 * k + c] = grad * max(0, phi)
            }
        }
    }

    @inline(__always)
    func values(_ k: Int) -> SIMD4<Double> {
        SIMD4(h[k], reconstruction.eta[k], reconstruction.u[k], reconstruction.v[k])
    }

    /// HLL flux `(mass, x-momentum, y-momentum)` across a face with unit normal `n`.
    @inline(__always)
    func hll(hL: Double, uL: Double, vL: Double, hR: Double, uR: Double, vR: Double, n: SIMD2<Double>, g: Double,
             dry: Double) -> SIMD3<Double> {
        let wetL = hL > 0, wetR = hR > 0
        if !wetL, !wetR { return .zero }
        let unL = uL * n.x + vL * n.y, utL = -uL * n.y + vL * n.x
        let unR = uR * n.x + vR * n.y, utR = -uR * n.y + vR * n.x
        let cL = (g * hL).squareRoot(), cR = (g * hR).squareRoot()
        let sL: Double, sR: Double
        if !wetL {
            sL = unR - 2 * cR; sR = unR + cR
        } else if !wetR {
            sL = unL - cL; sR = unL + 2 * cL
        } else {
            sL = min(unL - cL, unR - cR); sR = max(unL + cL, unR + cR)
        }
        let fL = SIMD3(hL * unL, hL * unL * unL + g / 2 * hL * hL, hL * unL * utL)
        let fR = SIMD3(hR * unR, hR * unR * unR + g / 2 * hR * hR, hR * unR * utR)
        let f: SIMD3<Double>
        if sL >= 0 {
            f = fL
        } else if sR <= 0 {
            f = fR
        } else {
            let uLv = SIMD3(hL, hL * unL, hL * utL), uRv = SIMD3(hR, hR * unR, hR * utR)
            f = (sR * fL - sL * fR + sL * sR * (uRv - uLv)) / (sR - sL)
        }
        return SIMD3(f.x, f.y * n.x - f.z * n.y, f.y * n.y + f.z * n.x)
    }
}
