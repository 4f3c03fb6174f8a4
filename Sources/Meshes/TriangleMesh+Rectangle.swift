extension TriangleMesh {
    /// How each rectangle cell of a structured triangulation is cut in two.
    public enum Diagonal: String, Sendable, Hashable, Codable, CaseIterable {
        /// From the lower-left to the upper-right corner.
        case right
        /// From the upper-left to the lower-right corner (Firedrake's `RectangleMesh` default).
        case left
    }

    /// Boundary tags of the four sides of a rectangle.
    public struct SideTags: Sendable, Hashable, Codable {
        public var west: BoundaryTag
        public var east: BoundaryTag
        public var south: BoundaryTag
        public var north: BoundaryTag
        public init(west: BoundaryTag = .wall, east: BoundaryTag = .wall, south: BoundaryTag = .wall, north: BoundaryTag = .wall) {
            self.west = west
            self.east = east
            self.south = south
            self.north = north
        }
        public static let walls = SideTags()
    }

    /// A structured triangulation of `[x0, x1] x [y0, y1]` with `nx x ny` rectangles, each cut in two: `(nx+1)(ny+1)`
    /// vertices numbered `j (nx+1) + i`, `2 nx ny` triangles.
    public static func rectangle(nx: Int, ny: Int, lower: SIMD2<Double> = .zero, upper: SIMD2<Double> = .one,
                                 diagonal: Diagonal = .left, tags: SideTags = .walls) throws -> TriangleMesh {
        guard nx >= 1, ny >= 1 else { throw MeshError.invalidParameter("rectangle needs nx, ny >= 1, got \(nx) x \(ny)") }
        guard lower.x < upper.x, lower.y < upper.y, (upper - lower).x.isFinite, (upper - lower).y.isFinite else {
            throw MeshError.invalidParameter("rectangle bounds \(lower) to \(upper) are not an increasing finite box")
        }
        var vertices: [SIMD2<Double>] = []
        vertices.reserveCapacity((nx + 1) * (ny + 1))
        for j in 0...ny {
            let y = j == ny ? upper.y : lower.y + (upper.y - lower.y) * Double(j) / Double(ny)
            for i in 0...nx {
                let x = i == nx ? upper.x : lower.x + (upper.x - lower.x) * Double(i) / Double(nx)
                vertices.append(SIMD2(x, y))
            }
        }
        func v(_ i: Int, _ j: Int) -> Int32 { Int32(j * (nx + 1) + i) }
        var triangles: [SIMD3<Int32>] = []
        triangles.reserveCapacity(2 * nx * ny)
        for j in 0..<ny {
            for i in 0..<nx {
                let a = v(i, j), b = v(i + 1, j), c = v(i + 1, j + 1), d = v(i, j + 1)
                switch diagonal {
                case .right:
                    triangles.append(SIMD3(a, b, c))
                    triangles.append(SIMD3(a, c, d))
                case .left:
                    triangles.append(SIMD3(a, b, d))
                    triangles.append(SIMD3(b, c, d))
                }
            }
        }
        var boundary: [BoundaryEdge] = []
        for i in 0..<nx {
            boundary.append(BoundaryEdge(v(i, 0), v(i + 1, 0), tag: tags.south))
            boundary.append(BoundaryEdge(v(i + 1, ny), v(i, ny), tag: tags.north))
        }
        for j in 0..<ny {
            boundary.append(BoundaryEdge(v(nx, j), v(nx, j + 1), tag: tags.east))
            boundary.append(BoundaryEdge(v(0, j + 1), v(0, j), tag: tags.west))
        }
        return try TriangleMesh(vertices: vertices, triangles: triangles, boundary: boundary)
    }
}
