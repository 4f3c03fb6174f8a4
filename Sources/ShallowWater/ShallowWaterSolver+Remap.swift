import Meshes

extension ShallowWaterSolver {
    /// What a conservative remap did.
    public struct RemapReport: Sendable, Hashable {
        /// Sub-steps the move was split into (each sweeps at most a fifth of a cell across any edge).
        public var substeps: Int
        /// Relative change of the water volume (round-off).
        public var relativeMassChange: Double
    }

    /// Moves the vertices to `target` (same connectivity) and remaps the cell averages of `h`, `hu`, `hv` and the bed
    /// `z` conservatively (arbitrary Lagrangian-Eulerian remap by swept edge areas).
    ///
    /// Each edge sweeps a quadrilateral as its end points move; the signed area `S_e` of that quadrilateral is the
    /// region the left cell gains from (or loses to) the right one, and `sum S_e` over a cell's edges is exactly its
    /// change of area. Each quantity moves with that area, upwind (taken from the cell that loses it):
    /// `A' q' = A q + sum_e S_e q_donor`. So totals are conserved to round-off, constants are kept, and the depth
    /// stays non-negative as long as no cell loses more than its area in one sub-step. The surface is remapped too
    /// (in dry cells next to water, the neighbouring surface capped at the bed: ``effectiveSurface()``), and a cell
    /// that is wet afterwards takes the bed `remapped surface - remapped depth`, a dry one the remapped bed; so a lake
    /// at rest stays at rest to round-off even where the shoreline moves, and water volume is exactly conserved. The
    /// bed is remapped, not re-sampled from the bathymetry (that is what keeps the lake at rest): its cell averages
    /// diffuse a little with every move.
    ///
    /// - Throws: ``ShallowWaterError`` when an intermediate mesh would tangle (checked first: the state is unchanged).
    @discardableResult
    public func moveMesh(to target: [SIMD2<Double>]) throws -> RemapReport {
        guard target.count == mesh.vertexCount else {
            throw ShallowWaterError.invalid("moveMesh needs \(mesh.vertexCount) vertices, got \(target.count)")
        }
        let start = mesh.vertices, topo = geometry.topology
        let m0 = mass
        // Sub-steps: the largest swept area of the whole move relative to the smaller neighbouring cell.
        var worst = 0.0
        for e in topo.edges.indices {
            let s = abs(Self.sweptArea(topo.edges[e], from: start, to: target))
            var a = geometry.area[Int(topo.left[e])]
            if topo.right[e] >= 0 { a = min(a, geometry.area[Int(topo.right[e])]) }
            worst = max(worst, s / a)
        }
        let substeps = max(1, Int((worst / 0.2).rounded(.up)))
        // Check every intermediate mesh before touching the state, so a refused move changes nothing.
        for s in 1...substeps {
            let f = Double(s) / Double(substeps)
            func at(_ i: Int32) -> SIMD2<Double> {
                let v = Int(i)
                return s == substeps ? target[v] : start[v] + (target[v] - start[v]) * f
            }
            for t in mesh.triangles {
                guard MeshGeometry.signedArea(at(t[0]), at(t[1]), at(t[2])) > 0 else {
                    throw ShallowWaterError.invalid("mesh move tangles a triangle at sub-step \(s) of \(substeps); the mesh was not moved")
                }
            }
        }
        var previous = start
        for s in 1...substeps {
            let f = Double(s) / Double(substeps)
            let next = s == substeps ? target : zip(start, target).map { $0 + ($1 - $0) * f }
            let source = [h, hu, hv, bed, effectiveSurface()]
            let slopes = source.map(limitedGradients)
            var q = source.map { values in values.indices.map { values[$0] * geometry.area[$0] } }
            for e in topo.edges.indices {
                let i = Int(topo.left[e]), j = Int(topo.right[e])
                guard j >= 0 else { continue }  // straight sliding boundaries sweep nothing
                let edge = topo.edges[e]
                let sw = Self.sweptArea(edge, from: previous, to: next)
                let donor = sw > 0 ? j : i
                // The donor's limited linear reconstruction at the swept quadrilateral's vertex mean.
                let a = Int(edge[0]), b = Int(edge[1])
                let offset = (previous[a] + previous[b] + next[a] + next[b]) / 4 - geometry.centroid[donor]
                for c in 0..<5 {
                    let v = (source[c][donor] + (slopes[c][donor] * offset).sum()) * sw
                    q[c][i] += v
                    q[c][j] -= v
                }
            }
            setVertices(next)
            for k in h.indices {
                let a = geometry.area[k]
                h[k] = max(0, q[0][k] / a)
                hu[k] = q[1][k] / a
                hv[k] = q[2][k] / a
                // Wet cells take the bed under the remapped surface (so a lake at rest stays at rest across a
                // moving shoreline); dry cells the remapped bed.
                bed[k] = h[k] > options.dryDepth ? q[4][k] / a - h[k] : q[3][k] / a
            }
            previous = next
        }
        return RemapReport(substeps: substeps, relativeMassChange: m0 > 0 ? (mass - m0) / m0 : 0)
    }

    /// Green-Gauss gradients of cell values `q` on the current mesh, limited by Barth-Jespersen so that the linear
    /// reconstruction stays within the cell's and its neighbours' values at the edge midpoints (and so at any point
    /// of the triangle's edges' convex hull near them: the remap samples within a fifth of a cell of an edge).
    func limitedGradients(_ q: [Double]) -> [SIMD2<Double>] {
        let topo = geometry.topology
        var gradient = [SIMD2<Double>](repeating: .zero, count: q.count)
        var lo = q, hi = q
        for e in topo.edges.indices {
            let i = Int(topo.left[e]), j = Int(topo.right[e])
            let ln = geometry.edgeNormal[e] * geometry.edgeLength[e]
            let face = j >= 0 ? (q[i] + q[j]) / 2 : q[i]
            gradient[i] += face * ln
            if j >= 0 {
                gradient[j] -= face * ln
                lo[i] = min(lo[i], q[j]); hi[i] = max(hi[i], q[j])
                lo[j] = min(lo[j], q[i]); hi[j] = max(hi[j], q[i])
            }
        }
        for k in q.indices {
            let g = gradient[k] / geometry.area[k]
            var phi = 1.0
            let te = topo.triangleEdges[k]
            for s in 0..<3 {
                let d = (g * (geometry.edgeMidpoint[Int(te[s])] - geometry.centroid[k])).sum()
                if d > 0 { phi = min(phi, (hi[k] - q[k]) / d) } else if d < 0 { phi = min(phi, (lo[k] - q[k]) / d) }
            }
            gradient[k] = g * max(0, phi)
        }
        return gradient
    }

    /// The surface the remap carries: `h + z` in wet cells; in a dry cell next to wet ones, the highest neighbouring
    /// wet surface capped at its own bed (the level the water would stand at there); elsewhere the bed.
    func effectiveSurface() -> [Double] {
        let topo = geometry.topology, dry = options.dryDepth
        var eta = h.indices.map { h[$0] > dry ? h[$0] + bed[$0] : -Double.infinity }
        var wetNeighbour = [Double](repeating: -Double.infinity, count: h.count)
        for e in topo.edges.indices {
            let i = Int(topo.left[e]), j = Int(topo.right[e])
            guard j >= 0 else { continue }
            wetNeighbour[i] = max(wetNeighbour[i], eta[j])
            wetNeighbour[j] = max(wetNeighbour[j], eta[i])
        }
        for k in h.indices where h[k] <= dry {
            eta[k] = wetNeighbour[k] > -Double.infinity ? min(bed[k], wetNeighbour[k]) : bed[k]
        }
        return eta
    }

    /// Signed area swept by edge `(a, b)` as its end points move from `from` to `to`: positive when the edge moves
    /// out of its left triangle (which then grows). The shoelace area of the polygon `a, a', b', b`.
    static func sweptArea(_ edge: SIMD2<Int32>, from: [SIMD2<Double>], to: [SIMD2<Double>]) -> Double {
        let a = from[Int(edge[0])], b = from[Int(edge[1])], a2 = to[Int(edge[0])], b2 = to[Int(edge[1])]
        let p = [a, a2, b2, b]
        var s = 0.0
        for k in 0..<4 {
            let u = p[k], v = p[(k + 1) % 4]
            s += u.x * v.y - v.x * u.y
        }
        return s / 2
    }
}
