import Filters
import Foundation
import SluiceModel

/// One member's archive plan, fixed by its first snapshot: which fields go where, the grid filter and the file
/// layout; plus the open file (ordered archives) or the buffered coarse snapshots (unordered ones).
final class MemberTrajectory {
    /// One output field: the indices of its source fields in the sample (one per component).
    struct Source {
        var field: WellField
        var components: [Int]
    }

    let layout: WellFileLayout
    let sources: [Source]
    let filter: GridFilter?
    let fineShape: [Int]
    var writer: WellFileWriter?
    var buffered: [UInt64: (time: Double, fields: [[UInt8]])] = [:]

    init(header: SampleHeader, fields buffers: [UnsafeRawBufferPointer], options: ArchiveOptions) throws {
        let member = header.member
        guard header.geometry == .uniformGrid || header.geometry == .stretchedGrid else {
            throw ArchiveError("member \(member): \(header.geometry.name) samples cannot be archived in The Well's grid layout yet (see schemas/hdf5/LAYOUT.md on meshes)")
        }
        let d = header.spatialDims
        guard (1...3).contains(d), header.bounds.count == d else {
            throw ArchiveError("member \(member): a grid sample needs 1 to 3 spatial axes with bounds, not \(d) axes and \(header.bounds.count) bounds")
        }
        let dataFields = header.fields.enumerated().filter { $0.element.role == .data }
        guard let first = dataFields.first?.element, first.shape.count == d else {
            throw ArchiveError("member \(member): no data field of rank \(d) to archive")
        }
        let gridShape = first.shape
        // Stretched axes carry their coordinates as `.axis` fields, in axis order.
        let axisFields = header.fields.enumerated().filter { $0.element.role == .axis }
        let names = ["x", "y", "z"]
        let boundaries: [BoundaryKind] = options.boundaries ?? (0..<d).map { _ in header.geometry == .stretchedGrid ? .wall : .periodic }
        guard boundaries.count == d else {
            throw ArchiveError("member \(member): \(boundaries.count) boundaries given for \(d) spatial axes")
        }
        var fineAxes: [FineAxis] = []
        for axis in 0..<d {
            let bounds = header.bounds[axis]
            let n = gridShape[axis]
            if boundaries[axis] == .periodic {
                fineAxes.append(.periodic(points: n, lower: bounds.lower, upper: bounds.upper))
            } else if header.geometry == .stretchedGrid {
                guard axis < axisFields.count, axisFields[axis].element.shape == [n], axisFields[axis].offset < buffers.count else {
                    throw ArchiveError("member \(member): axis \(names[axis]) of the stretched grid has no coordinate field of \(n) points")
                }
                let descriptor = axisFields[axis].element
                fineAxes.append(FineAxis(coordinates: Self.doubles(buffers[axisFields[axis].offset], descriptor.dtype)))
            } else {
                fineAxes.append(FineAxis(coordinates: (0..<n).map { bounds.lower + bounds.length * Double($0) / Double(max(n - 1, 1)) }))
            }
        }
        self.fineShape = gridShape

        // Output fields: the selected scalar fields, then the vectors assembled from named components.
        let selected = options.selection.fields.map(Set.init)
        var used = Set<String>()
        var sources: [Source] = []
        for (name, parts) in options.vectors.sorted(by: { $0.key < $1.key }) {
            guard parts.count == d else {
                throw ArchiveError("vector '\(name)' has \(parts.count) components \(parts) but the grid has \(d) axes")
            }
            let indices = try parts.map { part -> Int in
                guard let index = dataFields.first(where: { $0.element.name == part })?.offset else {
                    throw ArchiveError("vector '\(name)': member \(member) has no data field '\(part)'; it has \(dataFields.map(\.element.name))")
                }
                return index
            }
            used.formUnion(parts)
            sources.append(Source(field: WellField(name: name, order: 1), components: indices))
        }
        let scalars = dataFields.filter { !used.contains($0.element.name) && (selected?.contains($0.element.name) ?? true) }
            .map { Source(field: WellField(name: $0.element.name, order: 0), components: [$0.offset]) }
        sources.insert(contentsOf: scalars, at: 0)
        if let selected {
            let known = Set(dataFields.map(\.element.name))
            for name in selected where !known.contains(name) {
                throw ArchiveError("select.fields names '\(name)', but member \(member)'s samples have \(dataFields.map(\.element.name))")
            }
        }
        guard !sources.isEmpty else { throw ArchiveError("member \(member): the selection keeps no field") }
        for source in sources {
            for index in source.components {
                let descriptor = header.fields[index]
                guard descriptor.shape == gridShape, descriptor.dtype.isFloatingPoint else {
                    throw ArchiveError("member \(member): field '\(descriptor.name)' is \(descriptor.dtype)\(descriptor.shape); archived fields must be floating-point arrays of the grid's shape \(gridShape)")
                }
            }
        }
        self.sources = sources
        let filter = try options.filter.map { try GridFilter(spec: $0, axes: fineAxes) }
        self.filter = filter
        let coordinates = filter?.coarseCoordinates ?? fineAxes.map(\.coordinates)
        var provenance = options.provenance
        provenance["sluice_member"] = String(member)
        provenance["sluice_attempt"] = String(header.attempt)
        provenance["sluice_member_parameters"] = header.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        if let seed = header.parameter(named: "seed") { provenance["sluice_seed"] = String(format: "%.0f", seed) }
        provenance["sluice_source_grid"] = gridShape.map(String.init).joined(separator: "x")
        layout = WellFileLayout(
            datasetName: options.datasetName,
            axes: (0..<d).map { WellAxis(name: names[$0], coordinates: coordinates[$0], boundary: boundaries[$0]) },
            fields: sources.map(\.field), precision: options.precision, parameters: header.parameters,
            provenance: provenance, compression: options.compression, compressionThreads: options.threads)
    }

    /// The coarse snapshot of every output field, as raw little-endian elements of the file's precision.
    func coarseFields(_ header: SampleHeader, _ buffers: [UnsafeRawBufferPointer]) throws -> [[UInt8]] {
        guard header.fields.count == buffers.count else {
            throw ArchiveError("member \(header.member) step \(header.step): \(buffers.count) buffers for \(header.fields.count) fields")
        }
        return try sources.map { source in
            var values: [Double] = []
            let count = fineShape.reduce(1, *)
            for index in source.components {
                guard index < header.fields.count, header.fields[index].shape == fineShape,
                      buffers[index].count == count * header.fields[index].dtype.byteSize else {
                    throw ArchiveError("member \(header.member) step \(header.step): field \(index) changed shape or size from the member's first sample")
                }
            }
            if source.components.count == 1 {
                values = Self.doubles(buffers[source.components[0]], header.fields[source.components[0]].dtype)
            } else {
                // Interleave the components: [spatial..., component], The Well's order.
                let parts = source.components.map { Self.doubles(buffers[$0], header.fields[$0].dtype) }
                values = [Double](repeating: 0, count: count * parts.count)
                for (c, part) in parts.enumerated() {
                    for i in 0..<count { values[i * parts.count + c] = part[i] }
                }
            }
            let coarse = filter?.apply(values, components: source.components.count) ?? values
            return layout.precision == .float32
                ? coarse.map { Float($0) }.withUnsafeBytes { Array($0) }
                : coarse.withUnsafeBytes { Array($0) }
        }
    }

    /// The elements of a float32 or float64 field, as doubles (read unaligned: frames may sit at any offset).
    static func doubles(_ raw: UnsafeRawBufferPointer, _ dtype: DType) -> [Double] {
        switch dtype {
        case .float32: (0..<(raw.count / 4)).map { Double(raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self)) }
        case .float64: (0..<(raw.count / 8)).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) }
        case .int32: (0..<(raw.count / 4)).map { Double(raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
        case .int64: (0..<(raw.count / 8)).map { Double(raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
        case .uint8: raw.map { Double($0) }
        }
    }
}
