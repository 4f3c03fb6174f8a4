#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bed elevation `z(x, y)` in metres (negative below the still-water level 0), sampled onto vertices or cells.
public enum Bathymetry: Sendable {
    /// A flat bed at `z`.
    case flat(Double)
    /// A bed that varies along x only: deep basin, linear continental slope, shelf, then a beach rising to the coast.
    case shelf(ShelfProfile)
    /// Any expression of the position.
    case expression(@Sendable (SIMD2<Double>) -> Double)
    /// Bilinear interpolation of a gridded field (GEBCO-style; read by the runtime from HDF5).
    case gridded(GriddedField)

    /// `z` at point `p`.
    public func elevation(at p: SIMD2<Double>) -> Double {
        switch self {
        case .flat(let z): z
        case .shelf(let s): s.elevation(x: p.x)
        case .expression(let f): f(p)
        case .gridded(let g): g.value(at: p)
        }
    }

    /// `z` at every vertex of `mesh`.
    public func sampleVertices(_ mesh: TriangleMesh) -> [Double] { mesh.vertices.map(elevation(at:)) }

    /// Cell averages of `z` over each triangle, by the 3-point edge-midpoint rule (exact for quadratics).
    public func sampleCells(_ mesh: TriangleMesh) -> [Double] {
        (0..<mesh.triangleCount).map { k in
            let (p, q, r) = mesh.corners(k)
            return (elevation(at: (p + q) / 2) + elevation(at: (q + r) / 2) + elevation(at: (r + p) / 2)) / 3
        }
    }
}

/// An x-profile of an ocean margin: a basin at depth `basinDepth` up to `slopeStart`, a linear continental slope to
/// the shelf depth at `slopeEnd`, a flat shelf to `coastStart`, then a linear beach of slope `beachSlope` (rising
/// through sea level at `coastStart + shelfDepth / beachSlope`). Depths are positive numbers; `elevation` is `-depth`.
public struct ShelfProfile: Sendable, Hashable, Codable {
    public var basinDepth: Double
    public var shelfDepth: Double
    public var slopeStart: Double
    public var slopeEnd: Double
    public var coastStart: Double
    public var beachSlope: Double

    public init(basinDepth: Double, shelfDepth: Double, slopeStart: Double, slopeEnd: Double, coastStart: Double, beachSlope: Double) {
        self.basinDepth = basinDepth
        self.shelfDepth = shelfDepth
        self.slopeStart = slopeStart
        self.slopeEnd = slopeEnd
        self.coastStart = coastStart
        self.beachSlope = beachSlope
    }

    /// Checks that the profile is ordered and positive; the message names the values.
    public func validate() throws {
        guard basinDepth > 0, shelfDepth > 0, shelfDepth <= basinDepth, beachSlope > 0 else {
            throw MeshError.invalidParameter("shelf profile needs basin_depth >= shelf_depth > 0 and beach_slope > 0, got \(basinDepth), \(shelfDepth), \(beachSlope)")
        }
        guard slopeStart < slopeEnd, slopeEnd <= coastStart else {
            throw MeshError.invalidParameter("shelf profile needs slope_start < slope_end <= coast_start, got \(slopeStart), \(slopeEnd), \(coastStart)")
        }
    }

    public func elevation(x: Double) -> Double {
        if x <= slopeStart { return -basinDepth }
        if x <= slopeEnd {
            let s = (x - slopeStart) / (slopeEnd - slopeStart)
            return -(basinDepth + s * (shelfDepth - basinDepth))
        }
        if x <= coastStart { return -shelfDepth }
        return -shelfDepth + beachSlope * (x - coastStart)
    }
}

/// Values on a uniform grid of `nx x ny` points, stored row-major `[ny, nx]` (x fastest), spanning `lower...upper`,
/// interpolated bilinearly; points outside are clamped to the edge.
public struct GriddedField: Sendable, Hashable {
    public let nx: Int
    public let ny: Int
    public let lower: SIMD2<Double>
    public let upper: SIMD2<Double>
    /// Row-major `[ny, nx]`: `values[j * nx + i]` at `(x_i, y_j)`.
    public let values: [Double]

    public init(nx: Int, ny: Int, lower: SIMD2<Double>, upper: SIMD2<Double>, values: [Double]) throws {
        guard nx >= 2, ny >= 2, values.count == nx * ny else {
            throw MeshError.invalidParameter("gridded field needs nx, ny >= 2 and nx*ny values, got \(nx) x \(ny) and \(values.count) values")
        }
        guard lower.x < upper.x, lower.y < upper.y else {
            throw MeshError.invalidParameter("gridded field bounds \(lower) to \(upper) are not increasing")
        }
        guard values.allSatisfy(\.isFinite) else { throw MeshError.invalidParameter("gridded field holds NaN or Inf") }
        self.nx = nx
        self.ny = ny
        self.lower = lower
        self.upper = upper
        self.values = values
    }

    public func value(at p: SIMD2<Double>) -> Double {
        let s = (p - lower) / (upper - lower) * SIMD2(Double(nx - 1), Double(ny - 1))
        let fx = min(max(s.x, 0), Double(nx - 1)), fy = min(max(s.y, 0), Double(ny - 1))
        let i = min(Int(fx), nx - 2), j = min(Int(fy), ny - 2)
        let tx = fx - Double(i), ty = fy - Double(j)
        let v00 = values[j * nx + i], v10 = values[j * nx + i + 1]
        let v01 = values[(j + 1) * nx + i], v11 = values[(j + 1) * nx + i + 1]
        return (1 - ty) * ((1 - tx) * v00 + tx * v10) + ty * ((1 - tx) * v01 + tx * v11)
    }
}
