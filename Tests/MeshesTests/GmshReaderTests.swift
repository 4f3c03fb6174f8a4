import Foundation
@testable import Meshes
import Testing

/// A unit square cut into 4 triangles around a centre node, with physical curves: bottom `open`, right `coast`,
/// top and left `wall` (written by hand in Gmsh 4.1 layout).
let squareMsh = """
$MeshFormat
4.1 0 8
$EndMeshFormat
$PhysicalNames
4
1 1 "open"
1 2 "coast"
1 3 "wall"
2 4 "sea"
$EndPhysicalNames
$Entities
4 4 1 0
1 0 0 0 0
2 1 0 0 0
3 1 1 0 0
4 0 1 0 0
1 0 0 0 1 0 0 1 1 2 1 -2
2 1 0 0 1 1 0 1 2 2 2 -3
3 0 1 0 1 1 0 1 3 2 3 -4
4 0 0 0 0 1 0 1 3 2 4 -1
1 0 0 0 1 1 0 1 4 4 1 2 3 4
$EndEntities
$Nodes
2 5 1 5
0 1 0 4
1
2
3
4
0 0 0
1 0 0
1 1 0
0 1 0
2 1 0 1
5
0.5 0.5 0
$EndNodes
$Elements
5 8 1 8
1 1 1 1
1 1 2
1 2 1 1
2 2 3
1 3 1 1
3 3 4
1 4 1 1
4 4 1
2 1 2 4
5 1 2 5
6 2 3 5
7 3 4 5
8 4 1 5
$EndElements
"""

@Suite("Meshes: Gmsh .msh 4.1 reader")
struct GmshReaderTests {
    @Test("a hand-written square reads with its vertices, triangles and physical boundary tags")
    func readsSquare() throws {
        let mesh = try GmshReader().parse(squareMsh)
        #expect(mesh.vertexCount == 5)
        #expect(mesh.triangleCount == 4)
        #expect(mesh.vertices[4] == SIMD2(0.5, 0.5))
        let g = MeshGeometry(mesh)
        #expect(abs(g.totalArea - 1) < 1e-15)
        #expect(g.area.allSatisfy { $0 == 0.25 })
        let tags = Dictionary(grouping: mesh.boundary, by: \.tag).mapValues(\.count)
        #expect(tags == [.open: 1, .coast: 1, .wall: 2])
        // The open edge is the bottom one (y = 0).
        let open = try #require(mesh.boundary.first { $0.tag == .open })
        #expect(mesh.vertices[Int(open.a)].y == 0 && mesh.vertices[Int(open.b)].y == 0)
    }

    @Test("physical tags are per dimension: a surface group numbered like a curve group does not rename it")
    func physicalTagsPerDimension() throws {
        let text = squareMsh.replacingOccurrences(of: "4\n1 1 \"open\"", with: "5\n1 1 \"open\"\n2 1 \"ocean\"")
        let mesh = try GmshReader().parse(text)
        #expect(mesh.boundary.filter { $0.tag == .open }.count == 1)
    }

    @Test("reads from disk")
    func readsFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-square-\(getpid()).msh").path
        try squareMsh.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try GmshReader().read(path: path).triangleCount == 4)
        #expect(throws: MeshError.self) { try GmshReader().read(path: path + ".missing") }
    }

    /// Each malformed variant and a fragment its error message must contain.
    static let malformed: [(String, String, String)] = [
        ("version 2.2", squareMsh.replacingOccurrences(of: "4.1 0 8", with: "2.2 0 8"), "version 2.2"),
        ("binary", squareMsh.replacingOccurrences(of: "4.1 0 8", with: "4.1 1 8"), "binary"),
        ("unknown node", squareMsh.replacingOccurrences(of: "8 4 1 5\n$End", with: "8 4 1 9\n$End"), "node 9"),
        ("bad coordinate", squareMsh.replacingOccurrences(of: "0.5 0.5 0", with: "0.5 nan 0"), "non-finite"),
        ("garbled count", squareMsh.replacingOccurrences(of: "2 5 1 5", with: "2 five 1 5"), "not an integer"),
        ("count mismatch", squareMsh.replacingOccurrences(of: "5 8 1 8", with: "5 9 1 8"), "promised 9"),
        ("truncated", squareMsh.components(separatedBy: "7 3 4 5")[0], "file ends"),
        ("misspelt group", squareMsh.replacingOccurrences(of: "\"coast\"", with: "\"cost\""), "named 'cost'"),
        ("missing end", squareMsh.replacingOccurrences(of: "$EndMeshFormat", with: ""), "expected $EndMeshFormat"),
        ("not a mesh", "hello", "section header"),
        ("quad element", squareMsh.replacingOccurrences(of: "2 1 2 4", with: "2 1 3 4"), "element type 3"),
        ("collinear triangle", squareMsh.replacingOccurrences(of: "0.5 0.5 0", with: "0.5 0 0"), "degenerate"),
        ("huge node count", squareMsh.replacingOccurrences(of: "2 5 1 5", with: "2 2000000000 1 5"), "promised 2000000000"),
    ]

    @Test("malformed files are rejected with an error naming the problem", arguments: 0..<13)
    func rejectsMalformed(index: Int) throws {
        let (name, text, fragment) = Self.malformed[index]
        do {
            _ = try GmshReader().parse(text, path: "bad.msh")
            Issue.record("\(name): parsed without error")
        } catch let error as MeshError {
            #expect(error.description.contains(fragment), "\(name): \(error.description)")
            #expect(error.description.hasPrefix("bad.msh"))
        }
    }
}
