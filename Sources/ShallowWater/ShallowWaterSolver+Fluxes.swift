import Meshes

/// A state at an edge: depth, surface, velocity.
struct EdgeState {
    var h: Double, z: Double, u: Double, v: Double
}

extension ShallowWaterSolver {
    /// `rh, rhu, rhv` = the semi-discrete right-hand side at the current state.
    func computeTendency() {
        var kernel = TendencyKernel(h: h, hu: hu, hv: hv, bed: bed, geometry: geometry, options: options)
        if options.secondOrder { kernel.computeLimitedGradients() }
        kernel.accumulate(into: &rh, &rhu, &rhv)
        if options.coriolis != 0 { Self.addCoriolis(options.coriolis, hu: hu, hv: hv, &rhu, &rhv) }
    }

    /// `(hu)_t += f hv`, `(hv)_t -= f hu` (northern-hemisphere sign for f > 0).
    static func addCoriolis(_ f: Double, hu: [Double], hv: [Double], _ rhu: inout [Double], _ rhv: inout [Double]) {
        for k in hu.indices {
            rhu[k] += f * hv[k]
            rhv[k] -= f * hu[k]
        }
    }
}

/// The flux and source evaluation over plain local arrays (a struct of `let` arrays, so the hot loops carry no
/// class-property exclusivity checks).
struct TendencyKernel {
    let h: [Double], bed: [Double]
    let area: [Double], centroid: [SIMD2<Double>]
    let edges: [SIMD2<Int32>], left: [Int32], right: [Int32], tag: [BoundaryTag?], triangleEdges: [SIMD3<Int32>]
    let edgeNormal: [SIMD2<Double>], edgeLength: [Double], edgeMidpoint: [SIMD2<Double>]
    let g: Double, dry: Double, secondOrder: Bool, seaLevel: Double
    var eta: [Double], u: [Double], v: [Double]
    /// Gradients, four per cell: h, eta, u, v.
    var gradient: [SIMD2<Double>]
    var firstOrder: [Bool]

    init(h: [Double], hu: [Double], hv: [Double], bed: [Double], geometry: MeshGeometry, options: ShallowWaterSolver.Options) {
        self.h = h
        self.bed = bed
        area = geometry.area; centroid = geometry.centroid
        let topo = geometry.topology
        edges = topo.edges; left = topo.left; right = topo.right; tag = topo.tag; triangleEdges = topo.triangleEdges
        edgeNormal = geometry.edgeNormal; edgeLength = geometry.edgeLength; edgeMidpoint = geometry.edgeMidpoint
        g = options.gravity; dry = options.dryDepth; secondOrder = options.secondOrder; seaLevel = options.seaLevel
        let n = h.count
        eta = .init(repeating: 0, count: n); u = eta; v = eta
        gradient = .init(repeating: .zero, count: secondOrder ? 4 * n : 0)
        firstOrder = .init(repeating: true, count: n)
        for k in 0..<n {
            eta[k] = h[k] + bed[k]
            if h[k] > dry {
                u[k] = hu[k] / h[k]
                v[k] = hv[k] / h[k]
            }
        }
    }

    func accumulate(into rh: inout [Double], _ rhu: inout [Double], _ rhv: inout [Double]) {
        for k in rh.indices { rh[k] = 0; rhu[k] = 0; rhv[k] = 0 }
        for e in edges.indices {
            let i = Int(left[e]), j = Int(right[e])
            let nrm = edgeNormal[e], len = edgeLength[e], mid = edgeMidpoint[e]
            let l = state(i, at: mid)
            var r: EdgeState
            let t = tag[e]
            if j >= 0 {
                r = state(j, at: mid)
            } else if t == .open {
                r = radiating(l, normal: nrm)
            } else {
                let un = l.u * nrm.x + l.v * nrm.y
                r = EdgeState(h: l.h, z: l.z, u: l.u - 2 * un * nrm.x, v: l.v - 2 * un * nrm.y)
            }
            // Hydrostatic reconstruction.
            let zStar = max(l.z, r.z)
            let hsL = max(0, l.h + l.z - zStar), hsR = max(0, r.h + r.z - zStar)
            var flux = hll(hL: hsL, uL: l.u, vL: l.v, hR: hsR, uR: r.u, vR: r.v, n: nrm)
            if j < 0, t != .open { flux.x = 0 }
            let aL = len / area[i]
            let corrL = g / 2 * (l.h * l.h - hsL * hsL)
            rh[i] -= aL * flux.x
            rhu[i] -= aL * (flux.y + corrL * nrm.x)
            rhv[i] -= aL * (flux.z + corrL * nrm.y)
            if secondOrder, !firstOrder[i] {
                let s = g / 2 * (l.h + h[i]) * (bed[i] - l.z) * aL
                rhu[i] += s * nrm.x
                rhv[i] += s * nrm.y
            }
            if j >= 0 {
                let aR = len / area[j]
                let corrR = g / 2 * (r.h * r.h - hsR * hsR)
                rh[j] += aR * flux.x
                rhu[j] += aR * (flux.y + corrR * nrm.x)
                rhv[j] += aR * (flux.z + corrR * nrm.y)
                if secondOrder, !firstOrder[j] {
                    let s = g / 2 * (r.h + h[j]) * (bed[j] - r.z) * aR
                    rhu[j] -= s * nrm.x
                    rhv[j] -= s * nrm.y
                }
            }
        }
    }

    /// The ghost state of an open boundary: outgoing invariant from inside, incoming from still water outside.
    @inline(__always)
    func radiating(_ l: EdgeState, normal n: SIMD2<Double>) -> EdgeState {
        let h0 = seaLevel - l.z
        let un = l.u * n.x + l.v * n.y, ut = -l.u * n.y + l.v * n.x
        let c = (g * max(l.h, 0)).squareRoot()
        guard l.h > dry, h0 > dry, un < c else { return l }
        let outgoing = un + 2 * c, incoming = -2 * (g * h0).squareRoot()
        let cb = max(0, (outgoing - incoming) / 4), unb = (outgoing + incoming) / 2
        return EdgeState(h: cb * cb / g, z: l.z, u: unb * n.x - ut * n.y, v: unb * n.y + ut * n.x)
    }

    /// The reconstructed state of cell `k` at point `p`.
    @inline(__always)
    func state(_ k: Int, at p: SIMD2<Double>) -> EdgeState {
        if !secondOrder || firstOrder[k] {
            return EdgeState(h: h[k], z: bed[k], u: u[k], v: v[k])
        }
        let d = p - centroid[k]
        let hk = h[k] + (gradient[4 * k] * d).sum()
        let e = eta[k] + (gradient[4 * k + 1] * d).sum()
        return EdgeState(h: hk, z: e - hk, u: u[k] + (gradient[4 * k + 2] * d).sum(), v: v[k] + (gradient[4 * k + 3] * d).sum())
    }

    @inline(__always)
    func values(_ k: Int) -> SIMD4<Double> { SIMD4(h[k], eta[k], u[k], v[k]) }

    /// Green-Gauss gradients of h, eta, u, v limited by Barth-Jespersen; zero in cells that are dry or touch a dry
    /// cell.
    mutating func computeLimitedGradients() {
        let n = h.count
        for k in 0..<n { firstOrder[k] = h[k] <= dry }
        for e in edges.indices {
            let i = Int(left[e]), j = Int(right[e])
            if j >= 0, h[i] <= dry || h[j] <= dry {
                firstOrder[i] = true
                firstOrder[j] = true
            }
        }
        // Green-Gauss: grad q ~ (1/A) sum_e q_face n L, q_face the mean of the two cells (the cell's own value on the
        // boundary).
        for e in edges.indices {
            let i = Int(left[e]), j = Int(right[e])
            let ln = edgeNormal[e] * edgeLength[e]
            let qi = values(i), qj = j >= 0 ? values(j) : qi
            let f = (qi + qj) / 2
            for c in 0..<4 {
                gradient[4 * i + c] += f[c] * ln
                if j >= 0 { gradient[4 * j + c] -= f[c] * ln }
            }
        }
        for k in 0..<n {
            if firstOrder[k] {
                for c in 0..<4 { gradient[4 * k + c] = .zero }
                continue
            }
            let inv = 1 / area[k]
            let q = values(k)
            var lo = q, hi = q
            let te = triangleEdges[k]
            for s in 0..<3 {
                let e = Int(te[s])
                let other = Int(left[e]) == k ? Int(right[e]) : Int(left[e])
                guard other >= 0 else { continue }
                let qo = values(other)
                lo = pointwiseMin(lo, qo)
                hi = pointwiseMax(hi, qo)
            }
            for c in 0..<4 {
                let grad = gradient[4 * k + c] * inv
                var phi = 1.0
                for s in 0..<3 {
                    let d = (grad * (edgeMidpoint[Int(te[s])] - centroid[k])).sum()
                    if d > 0 { phi = min(phi, (hi[c] - q[c]) / d) } else if d < 0 { phi = min(phi, (lo[c] - q[c]) / d) }
                }
                gradient[4 * k + c] = grad * max(0, phi)
            }
        }
    }

    /// HLL flux `(mass, x-momentum, y-momentum)` across a face with unit normal `n`.
    @inline(__always)
    func hll(hL: Double, uL: Double, vL: Double, hR: Double, uR: Double, vR: Double, n: SIMD2<Double>) -> SIMD3<Double> {
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
