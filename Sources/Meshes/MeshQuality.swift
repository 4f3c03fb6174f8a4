/// Shape measures of triangles, for checking generated, read and moved meshes.
public enum MeshQuality {
    /// The smallest interior angle of triangle `p, q, r`, in degrees (60 for an equilateral triangle).
    public static func minimumAngle(_ p: SIMD2<Double>, _ q: SIMD2<Double>, _ r: SIMD2<Double>) -> Double {
        func angle(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ c: SIMD2<Double>) -> Double {
            let u = b - a, w = c - a
            let cross = u.x * w.y - u.y * w.x, dot = u.x * w.x + u.y * w.y
            return abs(atan2Degrees(cross, dot))
        }
        return min(angle(p, q, r), angle(q, r, p), angle(r, p, q))
    }

    /// Aspect ratio `longest edge / (2 sqrt(3) inradius)`: 1 for an equilateral triangle, growing without bound as
    /// the triangle flattens.
    public static func aspectRatio(_ p: SIMD2<Double>, _ q: SIMD2<Double>, _ r: SIMD2<Double>) -> Double {
        let a = MeshGeometry.length(q - p), b = MeshGeometry.length(r - q), c = MeshGeometry.length(p - r)
        let area = abs(MeshGeometry.signedArea(p, q, r))
        let inradius = 2 * area / (a + b + c)
        return max(a, b, c) / (2 * (3.0).squareRoot() * inradius)
    }

    /// Summary over a mesh.
    public struct Summary: Sendable, Hashable {
        public var minimumAngle: Double
        public var maximumAspectRatio: Double
        public var minimumSignedArea: Double
        /// Triangles whose signed area is not positive (tangled or collapsed).
        public var invertedCount: Int
    }

    public static func summary(_ mesh: TriangleMesh) -> Summary {
        var s = Summary(minimumAngle: 180, maximumAspectRatio: 0, minimumSignedArea: .infinity, invertedCount: 0)
        for k in 0..<mesh.triangleCount {
            let (p, q, r) = mesh.corners(k)
            let a = MeshGeometry.signedArea(p, q, r)
            s.minimumSignedArea = min(s.minimumSignedArea, a)
            if a <= 0 { s.invertedCount += 1; continue }
            s.minimumAngle = min(s.minimumAngle, minimumAngle(p, q, r))
            s.maximumAspectRatio = max(s.maximumAspectRatio, aspectRatio(p, q, r))
        }
        return s
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always)
func atan2Degrees(_ y: Double, _ x: Double) -> Double { atan2(y, x) * 180 / Double.pi }
