import Foundation

/// Reads Gmsh `.msh` files, format 4.1 ASCII: `$MeshFormat`, `$PhysicalNames`, `$Entities`, `$Nodes` and
/// `$Elements` (3-node triangles, type 2, and 2-node lines, type 1). Other sections are skipped; other element
/// types (points, type 15) are ignored.
///
/// Boundary tags come from the physical names of the curves that carry line elements: a physical group named
/// `wall`, `open` or `coast` (any case) tags its lines; unnamed groups and lines on untagged curves get
/// `defaultTag`. A physical name that is not one of the three is an error (a misspelt name would otherwise turn an
/// open boundary into a wall). z coordinates are dropped; the mesh must be planar.
///
/// Nothing in the file is trusted: every count, index and number is checked, and a malformed file throws a
/// ``MeshError`` naming the path, the 1-based line and what was expected.
public struct GmshReader {
    public var defaultTag: BoundaryTag
    public init(defaultTag: BoundaryTag = .wall) { self.defaultTag = defaultTag }

    public func read(path: String) throws -> TriangleMesh {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw MeshError.gmsh(path, "cannot read the file as UTF-8 text (\(error.localizedDescription))")
        }
        return try parse(text, path: path)
    }

    public func parse(_ text: String, path: String = "<string>") throws -> TriangleMesh {
        var cursor = LineCursor(text: text, path: path)
        var sawFormat = false
        var physicalNames: [SIMD2<Int>: String] = [:]  // (dimension, tag): physical tags are per dimension
        var curvePhysicals: [Int: [Int]] = [:]
        var nodeIndex: [Int: Int32] = [:]
        var vertices: [SIMD2<Double>] = []
        var triangles: [SIMD3<Int32>] = []
        var lines: [(Int32, Int32, curve: Int)] = []
        var sawNodes = false, sawElements = false

        while let header = cursor.nextNonEmpty() {
            guard header.hasPrefix("$") else { throw cursor.error("expected a section header such as $MeshFormat, found '\(header.prefix(40))'") }
            let section = String(header.dropFirst())
            switch section {
            case "MeshFormat":
                let f = try cursor.fields(3, what: "'version file-type data-size'")
                guard f[0] == "4.1" else { throw cursor.error("format version \(f[0]) is not supported; only 4.1 (Gmsh 4) is read") }
                guard f[1] == "0" else { throw cursor.error("file type \(f[1]) is binary; only ASCII (0) is read") }
                sawFormat = true
            case "PhysicalNames":
                let n = try cursor.int(try cursor.fields(1, what: "the number of physical names")[0], "number of physical names", range: 0...1_000_000)
                for _ in 0..<n {
                    let line = try cursor.line(what: "a physical name 'dim tag \"name\"'")
                    guard let q1 = line.firstIndex(of: "\""), let q2 = line.lastIndex(of: "\""), q1 < q2 else {
                        throw cursor.error("physical name line needs a quoted name: '\(line.prefix(60))'")
                    }
                    let head = line[..<q1].split(whereSeparator: \.isWhitespace)
                    guard head.count == 2 else { throw cursor.error("physical name line needs 'dim tag \"name\"'") }
                    let dim = try cursor.int(String(head[0]), "physical dimension", range: 0...3)
                    let tag = try cursor.int(String(head[1]), "physical tag", range: Int.min...Int.max)
                    physicalNames[SIMD2(dim, tag)] = String(line[line.index(after: q1)..<q2])
                }
            case "Entities":
                let counts = try cursor.fields(4, what: "'numPoints numCurves numSurfaces numVolumes'").enumerated().map {
                    try cursor.int($0.element, "entity count \($0.offset + 1)", range: 0...10_000_000)
                }
                for _ in 0..<counts[0] { _ = try cursor.line(what: "a point entity") }
                for _ in 0..<counts[1] {
                    let f = try cursor.fields(8, what: "a curve entity 'tag minX minY minZ maxX maxY maxZ numPhysicalTags ...'", atLeast: true)
                    let tag = try cursor.int(f[0], "curve tag", range: Int.min...Int.max)
                    let np = try cursor.int(f[7], "number of physical tags", range: 0...1000)
                    guard f.count >= 8 + np else { throw cursor.error("curve \(tag) lists \(np) physical tags but the line ends early") }
                    curvePhysicals[tag] = try f[8..<(8 + np)].map { try cursor.int($0, "physical tag", range: Int.min...Int.max) }
                }
                for _ in 0..<(counts[2] + counts[3]) { _ = try cursor.line(what: "a surface or volume entity") }
            case "Nodes":
                let h = try cursor.fields(4, what: "'numEntityBlocks numNodes minNodeTag maxNodeTag'")
                let blocks = try cursor.int(h[0], "number of node blocks", range: 0...100_000_000)
                let total = try cursor.int(h[1], "number of nodes", range: 0...Int(Int32.max))
                vertices.reserveCapacity(min(total, 1 << 20))  // the count is untrusted: grow past this as nodes arrive
                for _ in 0..<blocks {
                    let b = try cursor.fields(4, what: "a node block header 'entityDim entityTag parametric numNodesInBlock'")
                    guard b[2] == "0" else { throw cursor.error("parametric node coordinates are not supported") }
                    let n = try cursor.int(b[3], "nodes in block", range: 0...total)
                    var tags: [Int] = []
                    tags.reserveCapacity(min(n, 1 << 20))
                    for _ in 0..<n { tags.append(try cursor.int(try cursor.fields(1, what: "a node tag")[0], "node tag", range: 1...Int.max)) }
                    for tag in tags {
                        let c = try cursor.fields(3, what: "node coordinates 'x y z'")
                        guard let x = Double(c[0]), let y = Double(c[1]), x.isFinite, y.isFinite else {
                            throw cursor.error("node \(tag) has non-numeric or non-finite coordinates '\(c.joined(separator: " "))'")
                        }
                        guard nodeIndex[tag] == nil else { throw cursor.error("node tag \(tag) appears twice") }
                        nodeIndex[tag] = Int32(vertices.count)
                        vertices.append(SIMD2(x, y))
                    }
                }
                guard vertices.count == total else { throw cursor.error("$Nodes promised \(total) nodes but its blocks hold \(vertices.count)") }
                sawNodes = true
            case "Elements":
                guard sawNodes else { throw cursor.error("$Elements comes before $Nodes") }
                let h = try cursor.fields(4, what: "'numEntityBlocks numElements minElementTag maxElementTag'")
                let blocks = try cursor.int(h[0], "number of element blocks", range: 0...100_000_000)
                let total = try cursor.int(h[1], "number of elements", range: 0...Int(Int32.max))
                var seen = 0
                for _ in 0..<blocks {
                    let b = try cursor.fields(4, what: "an element block header 'entityDim entityTag elementType numElementsInBlock'")
                    let entity = try cursor.int(b[1], "entity tag", range: Int.min...Int.max)
                    let type = try cursor.int(b[2], "element type", range: 1...10_000)
                    let n = try cursor.int(b[3], "elements in block", range: 0...total)
                    seen += n
                    let nodes: Int
                    switch type {
                    case 1: nodes = 2
                    case 2: nodes = 3
                    case 15: nodes = 1
                    default: throw cursor.error("element type \(type) is not supported (only points 15, lines 1 and triangles 2)")
                    }
                    for _ in 0..<n {
                        let f = try cursor.fields(1 + nodes, what: "an element 'tag node...' with \(nodes) nodes")
                        var ids: [Int32] = []
                        for s in f.dropFirst() {
                            let tag = try cursor.int(s, "node tag", range: 1...Int.max)
                            guard let i = nodeIndex[tag] else { throw cursor.error("element refers to node \(tag), which $Nodes does not define") }
                            ids.append(i)
                        }
                        if type == 2 { triangles.append(SIMD3(ids[0], ids[1], ids[2])) }
                        if type == 1 { lines.append((ids[0], ids[1], entity)) }
                    }
                }
                guard seen == total else { throw cursor.error("$Elements promised \(total) elements but its blocks hold \(seen)") }
                sawElements = true
            default:
                try cursor.skip(to: "$End" + section)
                continue
            }
            let end = try cursor.line(what: "$End\(section)")
            guard end == "$End" + section else { throw cursor.error("expected $End\(section), found '\(end.prefix(40))'") }
        }
        guard sawFormat else { throw MeshError.gmsh(path, "no $MeshFormat section; is this a Gmsh .msh file?") }
        guard sawNodes, sawElements else { throw MeshError.gmsh(path, "the file needs both $Nodes and $Elements") }
        guard !triangles.isEmpty else { throw MeshError.gmsh(path, "the file has no triangles (element type 2)") }

        var boundary: [BoundaryEdge] = []
        for l in lines {
            var tag: BoundaryTag? = nil
            for p in curvePhysicals[l.curve] ?? [] {
                guard let named = physicalNames[SIMD2(1, p)] else { continue }
                guard let t = BoundaryTag(rawValue: named.lowercased()) else {
                    throw MeshError.gmsh(path, "physical group \(p) is named '\(named)'; boundary groups must be named wall, open or coast")
                }
                tag = t
            }
            boundary.append(BoundaryEdge(l.0, l.1, tag: tag ?? defaultTag))
        }
        // Line elements may run either way round; orient them as the boundary is (TriangleMesh matches undirected).
        do {
            return try TriangleMesh(vertices: vertices, triangles: triangles, boundary: boundary, defaultTag: defaultTag)
        } catch let e as MeshError {
            throw MeshError.gmsh(path, e.description)
        }
    }
}

/// Lines of a text file with a 1-based position, for error messages.
struct LineCursor {
    private let lines: [Substring]
    private var next = 0
    let path: String

    init(text: String, path: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.path = path
    }

    var lineNumber: Int { next }

    func error(_ message: String) -> MeshError { MeshError.gmsh(path, line: max(next, 1), message) }

    mutating func nextNonEmpty() -> String? {
        while next < lines.count {
            let l = lines[next].trimmingCharacters(in: .whitespacesAndNewlines)
            next += 1
            if !l.isEmpty { return l }
        }
        return nil
    }

    mutating func line(what: String) throws -> String {
        guard let l = nextNonEmpty() else { throw MeshError.gmsh(path, line: lines.count, "file ends where \(what) was expected") }
        return l
    }

    mutating func fields(_ count: Int, what: String, atLeast: Bool = false) throws -> [String] {
        let l = try line(what: what)
        let f = l.split(whereSeparator: \.isWhitespace).map(String.init)
        guard atLeast ? f.count >= count : f.count == count else {
            throw error("expected \(what) (\(atLeast ? "at least " : "")\(count) fields), found \(f.count): '\(l.prefix(60))'")
        }
        return f
    }

    func int(_ s: String, _ what: String, range: ClosedRange<Int>) throws -> Int {
        guard let v = Int(s) else { throw error("\(what) '\(s)' is not an integer") }
        guard range.contains(v) else { throw error("\(what) \(v) is outside \(range.lowerBound)...\(range.upperBound)") }
        return v
    }

    mutating func skip(to end: String) throws {
        while let l = nextNonEmpty() { if l == end { return } }
        throw MeshError.gmsh(path, line: lines.count, "file ends inside a section; \(end) is missing")
    }
}
