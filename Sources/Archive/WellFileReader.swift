import Foundation
import HDF5
import SluiceModel

/// A trajectory file read back: its layout, times and field arrays. Everything comes from disk, so every count
/// and type is checked; a file that is not in The Well's layout throws an `ArchiveError` naming what is missing.
public struct WellFileContents: Sendable {
    public var path: String
    public var datasetName: String
    public var axes: [WellAxis]
    public var times: [Double]
    public var parameters: [Parameter]
    /// Root attributes that are not The Well's own or the parameters (Sluice's provenance), as text.
    public var provenance: [String: String]
    public var fields: [ArchivedField]
    public var trajectories: Int
}

/// One field of a trajectory file: its name, tensor order, full shape `[trajectories, time, spatial...,
/// components...]`, storage and values (nil when only the summary was read).
public struct ArchivedField: Sendable {
    public var name: String
    public var order: Int
    public var shape: [Int]
    public var elementType: String
    public var chunk: [Int]?
    public var filters: [String]
    public var values: [Double]?
}

public enum WellFileReader {
    /// Reads `path`; with `values: false` only shapes and metadata (for `sluice inspect`).
    public static func read(_ path: String, values: Bool = true) throws -> WellFileContents {
        let file = try File(opening: path)
        defer { try? file.close() }
        func text(_ object: Object, _ name: String) throws -> String {
            guard let value = try? object.attribute(name, as: String.self) else {
                throw ArchiveError("\(path): attribute '\(name)' of \(object.path) is missing or not text")
            }
            return value
        }
        func strings(_ object: Object, _ name: String) throws -> [String] {
            switch try object.attribute(name) {
            case .strings(let list): return list
            case .string(let one): return [one]
            default: throw ArchiveError("\(path): attribute '\(name)' of \(object.path) is not a list of names")
            }
        }
        let name = try text(file, "dataset_name")
        let trajectories = Int(try file.attribute("n_trajectories", as: Int.self))
        let dimensions = try file.openGroup("dimensions")
        let axisNames = try strings(dimensions, "spatial_dims")
        let boundaries = try file.openGroup("boundary_conditions")
        var kinds: [String: BoundaryKind] = [:]
        for child in try boundaries.children() {
            let group = try boundaries.openGroup(child)
            let kind = BoundaryKind(rawValue: try text(group, "bc_type").uppercased()) ?? .open
            for axis in try strings(group, "associated_dims") { kinds[axis] = kind }
        }
        let axes = try axisNames.map { axis in
            WellAxis(name: axis, coordinates: try dimensions.openDataset(axis).read(as: Double.self),
                     boundary: kinds[axis] ?? .open)
        }
        let times = try dimensions.openDataset("time").read(as: Double.self)
        let scalars = try file.openGroup("scalars")
        let parameters = try strings(scalars, "field_names").map { scalar in
            Parameter(scalar, try scalars.openDataset(scalar).read(as: Double.self).first ?? .nan)
        }
        var provenance: [String: String] = [:]
        let known = WellFileWriter.reservedNames.union(parameters.map(\.name))
        for attribute in try file.attributeNames() where !known.contains(attribute) {
            provenance[attribute] = (try? file.attribute(attribute)).map(Self.render) ?? "?"
        }
        var fields: [ArchivedField] = []
        for order in 0...2 {
            let group = try file.openGroup("t\(order)_fields")
            for field in try strings(group, "field_names") {
                let dataset = try group.openDataset(field)
                fields.append(ArchivedField(
                    name: field, order: order, shape: try dataset.shape, elementType: try dataset.elementType.rawValue,
                    chunk: try dataset.chunkShape, filters: try dataset.filters.map(Self.describe),
                    values: values ? try dataset.read(as: Double.self) : nil))
            }
        }
        return WellFileContents(path: path, datasetName: name, axes: axes, times: times, parameters: parameters,
                                provenance: provenance, fields: fields, trajectories: trajectories)
    }

    static func describe(_ filter: Filter) -> String {
        switch filter {
        case .shuffle: "shuffle"
        case .deflate(let level): "deflate(\(level))"
        case .other(let id, let name): "\(name) (\(id))"
        }
    }

    static func render(_ value: AttributeValue) -> String {
        switch value {
        case .string(let s): s
        case .strings(let list): list.joined(separator: ", ")
        case .integer(let i): String(i)
        case .integers(let list): list.map(String.init).joined(separator: ", ")
        case .double(let x): String(x)
        case .doubles(let list): list.map { String($0) }.joined(separator: ", ")
        case .float(let x): String(x)
        case .floats(let list): list.map { String($0) }.joined(separator: ", ")
        case .bool(let b): String(b)
        case .bools(let list): list.map(String.init).joined(separator: ", ")
        }
    }
}
