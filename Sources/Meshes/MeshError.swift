/// Why a mesh could not be built or read. Messages name the file, line, element and value.
public struct MeshError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    private init(_ description: String) { self.description = description }

    public static func indexOutOfRange(triangle: Int, index: Int, vertexCount: Int) -> MeshError {
        MeshError("triangle \(triangle) refers to vertex \(index), but the mesh has \(vertexCount) vertices (0-based)")
    }
    public static func degenerateTriangle(_ k: Int, area: Double) -> MeshError {
        MeshError("triangle \(k) is degenerate (signed area \(area)); every triangle needs three distinct, non-collinear vertices")
    }
    public static func nonManifoldEdge(_ a: Int, _ b: Int, triangle: Int) -> MeshError {
        MeshError("edge (\(a), \(b)) is shared by more than two triangles (third use in triangle \(triangle))")
    }
    public static func taggedEdgeNotOnBoundary(_ a: Int, _ b: Int) -> MeshError {
        MeshError("tagged boundary edge (\(a), \(b)) is not an edge of exactly one triangle")
    }
    public static func invalidParameter(_ message: String) -> MeshError { MeshError(message) }
    /// A malformed Gmsh file: `path`, 1-based `line`, and what was wrong.
    public static func gmsh(_ path: String, line: Int, _ message: String) -> MeshError {
        MeshError("\(path):\(line): \(message)")
    }
    public static func gmsh(_ path: String, _ message: String) -> MeshError { MeshError("\(path): \(message)") }
}
