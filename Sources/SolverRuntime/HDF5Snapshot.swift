import Foundation
import HDF5

/// Reads a snapshot array from an HDF5 file for a `file` initial condition: a 2-D dataset, or one slice
/// (`index` along the first axis) of a 3-D one, converted to double by HDF5.
enum HDF5Snapshot {
    /// - Parameters:
    ///   - path: the file (relative paths resolve against `directory`, the case file's folder).
    ///   - expectedShape: the grid's shape; the slice must have exactly this shape.
    /// - Throws: ``SolverRuntimeError/initialCondition(_:)`` naming the file, dataset and shapes.
    static func read(path: String, relativeTo directory: String, dataset: String, index: Int?,
                     expectedShape: [Int]) throws -> [Double] {
        let resolved = path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).path
        do {
            let file = try File(opening: resolved)
            defer { try? file.close() }
            let data = try file.openDataset(dataset)
            let shape = try data.shape
            let values: [Double]
            switch shape.count {
            case expectedShape.count:
                guard index == nil || index == 0 else {
                    throw SolverRuntimeError.initialCondition("initial_condition.index \(index ?? 0) selects a slice, but \(resolved):\(dataset) has shape \(shape) with no extra axis")
                }
                values = try data.read(as: Double.self)
            case expectedShape.count + 1:
                let slice = index ?? 0
                guard slice >= 0, slice < shape[0] else {
                    throw SolverRuntimeError.initialCondition("initial_condition.index \(slice) is outside 0..<\(shape[0]) for \(resolved):\(dataset) of shape \(shape)")
                }
                values = try data.read(as: Double.self, offset: [slice] + expectedShape.map { _ in 0 }, count: [1] + Array(shape.dropFirst()))
            default:
                throw SolverRuntimeError.initialCondition("\(resolved):\(dataset) has shape \(shape); expected \(expectedShape) or [n] + \(expectedShape)")
            }
            let sliceShape = shape.count == expectedShape.count ? shape : Array(shape.dropFirst())
            guard sliceShape == expectedShape else {
                throw SolverRuntimeError.initialCondition("\(resolved):\(dataset) holds a \(sliceShape) array; the case's grid is \(expectedShape)")
            }
            return values
        } catch let error as SolverRuntimeError {
            throw error
        } catch {
            throw SolverRuntimeError.initialCondition("cannot read the initial condition from \(resolved):\(dataset): \(error)")
        }
    }
}
