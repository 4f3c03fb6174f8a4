import Foundation
@testable import Meshes
import Testing

@Suite("Meshes: structured triangulations, geometry, quality")
struct MeshTests {
    @Test("a structured rectangle has (nx+1)(ny+1) vertices, 2 nx ny triangles, and tiles its area exactly",
          arguments: [TriangleMesh.Diagonal.left, .right])
    func structuredRectangle(diagonal: TriangleMesh.Diagonal) throws {
        let mesh = try TriangleMesh.rectangle(nx: 4, ny: 3, lower: SIMD2(-1, 0), upper: SIMD2(3, 1.5), diagonal: diagonal,
                                              tags: .init(west: .open, east: .coast))
        #expect(mesh.vertexCount == 20)
        #expect(mesh.triangleCount == 24)
        #expect(mesh.boundary.count == 2 * (4 + 3))
        let g = MeshGeometry(mesh)
        #expect(abs(g.totalArea - 6) < 1e-14)
        #expect(g.area.allSatisfy { abs($0 - 0.25) < 1e-15 })
        // Euler: E = V + T - 1 for a disc.
        #expect(g.topology.edges.count == 20 + 24 - 1)
        #expect(g.topology.tag.filter { $0 == .open }.count == 3)
        #expect(g.topology.tag.filter { $0 == .coast }.count == 3)
        #expect(g.topology.tag.filter { $0 == .wall }.count == 8)
    }

    @Test("outward normals of every triangle's edges sum to zero, and boundary normals point out of the box")
    func normals() throws {
        let mesh = try TriangleMesh.rectangle(nx: 5, ny: 5)
        let g = MeshGeometry(mesh)
        var sums = [SIMD2<Double>](repeating: .zero, count: mesh.triangleCount)
        for e in g.topology.edges.indices {
            let ln = g.edgeNormal[e] * g.edgeLength[e]
            sums[Int(g.topology.left[e])] += ln
            let r = Int(g.topology.right[e])
            if r >= 0 { sums[r] -= ln } else {
                // Out of the unit square: the normal points from the midpoint away from the centre.
                let m = g.edgeMidpoint[e] - SIMD2(0.5, 0.5)
                #expect((m * g.edgeNormal[e]).sum() > 0)
                #expect(abs(abs(g.edgeNormal[e].x) + abs(g.edgeNormal[e].y) - 1) < 1e-15)
            }
        }
        for s in sums { #expect(abs(s.x) < 1e-15 && abs(s.y) < 1e-15) }
    }

    @Test("in-radius, minimum angle and aspect ratio match closed forms for right and equilateral triangles")
    func quality() throws {
        let p = SIMD2(0.0, 0.0), q = SIMD2(1.0, 0.0), r = SIMD2(0.0, 1.0)
        // Right isosceles: angles 45, 45, 90; inradius (a + b - c)/2 = (2 - sqrt 2)/2.
        #expect(abs(MeshQuality.minimumAngle(p, q, r) - 45) < 1e-12)
        let mesh = try TriangleMesh(vertices: [p, q, r], triangles: [SIMD3(0, 1, 2)])
        let g = MeshGeometry(mesh)
        #expect(abs(g.inradius[0] - (2 - 2.0.squareRoot()) / 2) < 1e-15)
        #expect(abs(MeshQuality.aspectRatio(p, q, r) - 2.0.squareRoot() / (2 * 3.0.squareRoot() * (2 - 2.0.squareRoot()) / 2)) < 1e-12)
        let e = SIMD2(0.5, 3.0.squareRoot() / 2)
        #expect(abs(MeshQuality.minimumAngle(p, q, e) - 60) < 1e-12)
        #expect(abs(MeshQuality.aspectRatio(p, q, e) - 1) < 1e-12)
        #expect(MeshGeometry.signedArea(p, r, q) == -0.5)
    }

    @Test("clockwise triangles are reoriented, bad indices and degenerate triangles are rejected")
    func validation() throws {
        let v = [SIMD2(0.0, 0.0), SIMD2(1.0, 0.0), SIMD2(0.0, 1.0), SIMD2(2.0, 0.0)]
        let m = try TriangleMesh(vertices: v, triangles: [SIMD3(0, 2, 1)])
        #expect(MeshGeometry(m).area[0] == 0.5)
        #expect(throws: MeshError.self) { try TriangleMesh(vertices: v, triangles: [SIMD3(0, 1, 7)]) }
        #expect(throws: MeshError.self) { try TriangleMesh(vertices: v, triangles: [SIMD3(0, 1, 3)]) }
        #expect(throws: MeshError.self) { try TriangleMesh.rectangle(nx: 0, ny: 3) }
    }

    @Test("a tangled mesh is counted as inverted by the quality summary")
    func inverted() throws {
        var mesh = try TriangleMesh.rectangle(nx: 2, ny: 2)
        #expect(MeshQuality.summary(mesh).invertedCount == 0)
        #expect(abs(MeshQuality.summary(mesh).minimumAngle - 45) < 1e-12)
        mesh.vertices[4] = SIMD2(1.2, 1.2)  // centre vertex pushed past the corner
        #expect(MeshQuality.summary(mesh).invertedCount > 0)
    }

    @Test("bathymetry: shelf profile pieces, cell averages of a linear bed are exact, gridded bilinear is exact on bilinear data")
    func bathymetry() throws {
        let s = ShelfProfile(basinDepth: 4000, shelfDepth: 200, slopeStart: 100, slopeEnd: 200, coastStart: 300, beachSlope: 0.1)
        try s.validate()
        #expect(s.elevation(x: 50) == -4000)
        #expect(s.elevation(x: 150) == -2100)
        #expect(s.elevation(x: 250) == -200)
        #expect(abs(s.elevation(x: 2300)) < 1e-12)
        let mesh = try TriangleMesh.rectangle(nx: 3, ny: 3)
        let z = Bathymetry.expression { 2 * $0.x - $0.y + 1 }.sampleCells(mesh)
        let g = MeshGeometry(mesh)
        for k in z.indices { #expect(abs(z[k] - (2 * g.centroid[k].x - g.centroid[k].y + 1)) < 1e-14) }
        let grid = try GriddedField(nx: 3, ny: 2, lower: SIMD2(0, 0), upper: SIMD2(2, 1),
                                    values: [0, 1, 2, 1, 3, 5])  // f = x + y + x y
        #expect(abs(grid.value(at: SIMD2(1.5, 0.5)) - (1.5 + 0.5 + 0.75)) < 1e-14)
        #expect(grid.value(at: SIMD2(-1, -1)) == 0)
        #expect(throws: MeshError.self) { try GriddedField(nx: 3, ny: 2, lower: .zero, upper: .one, values: [1]) }
    }
}

@Suite("Meshes: bathymetry expressions")
struct ExpressionTests {
    @Test("expressions evaluate with the usual precedence, right-associative powers and the listed functions")
    func evaluates() throws {
        let cases: [(String, Double)] = [
            ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("2 ^ 3 ^ 2", 512), ("-2 ^ 2", -4), ("10 / 4 - 1", 1.5),
            ("x * 2 + y", 2 * 3 + 4), ("max(x, y) - min(x, y)", 1), ("exp(0) + log(1) + sqrt(16)", 5),
            ("abs(-3) + tanh(0) + cos(0) + sin(0) + tan(0)", 4), ("2e3 + 1.5E-1", 2000.15), ("pi", Double.pi),
        ]
        for (text, expected) in cases {
            #expect(abs(try Expression(text).evaluate(x: 3, y: 4) - expected) < 1e-12, "\(text)")
        }
        let shelf = try Expression("-4000 + 3800 / (1 + exp(-(x - 120000) / 8000))")
        #expect(abs(shelf.evaluate(x: 120_000, y: 0) - -2100) < 1e-9)
    }

    @Test("malformed expressions are refused with the column and what was wrong",
          arguments: [("1 +", "ends"), ("2 * (x + 1", "missing ')'"), ("foo(x)", "unknown name 'foo'"), ("max(x)", "takes 2"),
                      ("3 $ 4", "unexpected '$'"), ("exp x", "needs '('"), ("1.2.3", "malformed number"),
                      (String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100), "64 levels")])
    func refuses(text: String, fragment: String) {
        do {
            _ = try Expression(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect("\(error)".contains(fragment), "\(error)")
            #expect("\(error)".contains("column"))
        }
    }
}
