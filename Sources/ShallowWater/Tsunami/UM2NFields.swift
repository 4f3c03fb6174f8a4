import Meshes
import SluiceModel

/// The UM2N fields of a tsunami sample (schemas/um2n/FIELDS.md): features of the latest adaptation interpolated to
/// the computational (initial) mesh, UM2N's input mesh, and the Monge-Ampere-moved vertices as the target.
enum UM2NFields {
    static let gridPoints = MovingMeshShallowWater.gridPoints

    static func descriptors(vertices v: Int, dtype: DType) -> [FieldDescriptor] {
        let n = gridPoints
        return [
            FieldDescriptor(name: "um2n_x", dtype: dtype, shape: [v, 2]),
            FieldDescriptor(name: "um2n_y", dtype: dtype, shape: [v, 2]),
            FieldDescriptor(name: "um2n_u", dtype: dtype, shape: [v]),
            FieldDescriptor(name: "um2n_grad_u", dtype: dtype, shape: [v, 2]),
            FieldDescriptor(name: "um2n_hessian", dtype: dtype, shape: [v, 4]),
            FieldDescriptor(name: "um2n_hessian_norm", dtype: dtype, shape: [v]),
            FieldDescriptor(name: "um2n_monitor", dtype: dtype, shape: [v]),
            FieldDescriptor(name: "um2n_grid_monitor", dtype: dtype, shape: [n, n], role: .auxiliary),
            FieldDescriptor(name: "um2n_step", dtype: dtype, shape: [], role: .auxiliary),
            FieldDescriptor(name: "um2n_phi", dtype: dtype, shape: [v]),
            FieldDescriptor(name: "um2n_grad_phi", dtype: dtype, shape: [v, 2]),
            FieldDescriptor(name: "um2n_bd_mask", dtype: .uint8, shape: [v]),
            FieldDescriptor(name: "um2n_bd_side_mask", dtype: .uint8, shape: [v, 4]),
        ]
    }

    /// Values of every float field of ``descriptors(vertices:dtype:)`` in order (the mask is added by the caller).
    static func values(adaptation a: MovingMeshShallowWater.Adaptation, computational: [SIMD2<Double>]) -> [[Double]] {
        let locator = PointLocator(mesh: a.mesh)
        let f = a.features
        func at(_ values: [Double]) -> [Double] { computational.map { locator.interpolate(vertexValues: values, at: $0) } }
        let gx = at(f.gradient.x), gy = at(f.gradient.y)
        let h = f.hessian.map(at)
        let norm = computational.indices.map { i in (0..<4).reduce(0) { $0 + h[$1][i] * h[$1][i] }.squareRoot() }
        var hessian: [Double] = []
        for i in computational.indices { hessian += [h[0][i], h[1][i], h[2][i], h[3][i]] }
        return [
            computational.flatMap { [$0.x, $0.y] },
            a.movedVertices.flatMap { [$0.x, $0.y] },
            at(f.surface),
            zip(gx, gy).flatMap { [$0, $1] },
            hessian,
            norm,
            at(f.monitor),
            a.gridMonitor,
            [Double(a.step)],
            a.potential,
            zip(a.movedVertices, computational).flatMap { [$0.x - $1.x, $0.y - $1.y] },
        ]
    }

    /// UM2N's `bd_left_mask, bd_right_mask, bd_down_mask, bd_up_mask` interleaved per vertex: 1 where a boundary
    /// vertex lies on the bounding box's left (min x), right, bottom (min y) or top side.
    static func sideMask(boundary: [UInt8], vertices: [SIMD2<Double>]) -> [UInt8] {
        var lo = SIMD2(Double.infinity, .infinity), hi = -lo
        for v in vertices { lo = pointwiseMin(lo, v); hi = pointwiseMax(hi, v) }
        let tol = 1e-9 * max((hi - lo).max(), 1)
        var mask: [UInt8] = []
        mask.reserveCapacity(4 * vertices.count)
        for (i, v) in vertices.enumerated() {
            let b = boundary[i] != 0
            mask += [b && abs(v.x - lo.x) <= tol, b && abs(v.x - hi.x) <= tol, b && abs(v.y - lo.y) <= tol,
                     b && abs(v.y - hi.y) <= tol].map { $0 ? 1 : 0 }
        }
        return mask
    }
}

