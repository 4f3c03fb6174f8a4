import Foundation
import HDF5
import SluiceModel

/// Writes one trajectory (one member's snapshots, in time order) as an HDF5 file in The Well's layout
/// (schemas/hdf5/LAYOUT.md), one snapshot at a time.
///
/// The file is created as `.NAME.partial` beside its final path and renamed by `finish()`, so a crash never leaves
/// a half-written file under the final name (and The Well's loader, which globs `*.hdf5`, never sees one). Each
/// field is an extendible dataset `[1, time, spatial..., components...]` chunked one snapshot per chunk; chunks are
/// stored with direct chunk writes; `compressionThreads` worker threads (and this one, when it would otherwise wait)
/// gather each chunk's statistics and, when compression is on, shuffle and deflate it, while this thread stores the
/// finished chunks.
/// Not `Sendable`: one thread writes a file.
public final class WellFileWriter {
    public let path: String
    public let temporaryPath: String
    public let layout: WellFileLayout
    public private(set) var times: [Double] = []
    /// Statistics of every field over the snapshots written so far.
    public private(set) var statistics: [FieldStatistics]

    private let file: File
    private let datasets: [Dataset]
    private let pipeline: ChunkPipeline
    private let encoder: ChunkEncoder
    private var previous: [[UInt8]]?
    /// Each field dataset's current time extent (at least the snapshots written).
    private var capacity: [Int]
    private var finished = false
    /// Bytes of field data handed to HDF5 (after compression).
    public private(set) var storedBytes = 0

    public init(path: String, layout: WellFileLayout) throws {
        guard !layout.axes.isEmpty, layout.axes.count <= 3 else {
            throw ArchiveError("\(path): The Well's layout needs 1 to 3 spatial axes, not \(layout.axes.count)")
        }
        guard !layout.fields.isEmpty, Set(layout.fields.map(\.name)).count == layout.fields.count else {
            throw ArchiveError("\(path): fields \(layout.fields.map(\.name)) must be one or more distinct names")
        }
        let url = URL(fileURLWithPath: path)
        self.path = path
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".partial").path
        self.layout = layout
        let d = layout.axes.count
        statistics = layout.fields.map { FieldStatistics(order: $0.order, components: $0.components(dimensions: d)) }
        capacity = layout.fields.map { _ in 0 }
        let file = try File(creating: temporaryPath)
        let temporaryPath = self.temporaryPath
        self.file = file
        encoder = ChunkEncoder(compression: layout.compression, elementSize: layout.precision.byteCount)
        pipeline = ChunkPipeline(threads: layout.compressionThreads)
        do {
            try Self.writeMetadata(layout, to: file)
            datasets = try layout.fields.map { field in
                let shape = layout.snapshotShape(of: field)
                let type: ElementType = layout.precision == .float32 ? .float32 : .float64
                let dataset = try file.createDataset(
                    "t\(field.order)_fields/\(field.name)", elementType: type, shape: [1, 0] + shape,
                    chunk: [1, 1] + shape, maxShape: [1, nil] + shape.map { Optional($0) },
                    compression: layout.compression)
                try dataset.setAttribute("dim_varying", to: Array(repeating: true, count: d))
                try dataset.setAttribute("sample_varying", to: true)
                try dataset.setAttribute("time_varying", to: true)
                return dataset
            }
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
    }

    deinit {
        if !finished { abandon() }
    }

    /// Appends one snapshot at `time`: one array per field, in `layout.fields` order, each of
    /// `layout.snapshotCount(of:)` values (row-major, spatial axes then components).
    public func append(time: Double, fields: [[Double]]) throws {
        guard fields.count == layout.fields.count else {
            throw ArchiveError("\(path): a snapshot has \(fields.count) fields, the file \(layout.fields.count)")
        }
        try append(time: time, rawFields: fields.map { values in
            layout.precision == .float32 ? Self.littleEndian(values.map { Float($0) }) : Self.littleEndian(values)
        })
    }

    /// Appends one snapshot given as raw little-endian elements of the file's precision, one array per field.
    /// The arrays are kept (not copied) until their chunks are stored.
    public func append(time: Double, rawFields: [[UInt8]]) throws {
        guard !finished else { throw ArchiveError("\(path): append after finish") }
        guard rawFields.count == layout.fields.count else {
            throw ArchiveError("\(path): a snapshot has \(rawFields.count) fields, the file \(layout.fields.count)")
        }
        let size = layout.precision.byteCount
        for (field, bytes) in zip(layout.fields, rawFields) where bytes.count != layout.snapshotCount(of: field) * size {
            throw ArchiveError("\(path): field '\(field.name)' has \(bytes.count / size) values, expected \(layout.snapshotShape(of: field)) = \(layout.snapshotCount(of: field))")
        }
        let step = times.count
        let d = layout.axes.count
        for (index, bytes) in rawFields.enumerated() {
            let field = layout.fields[index]
            let shape = layout.snapshotShape(of: field)
            if step >= capacity[index] {
                // Grow in doublings rather than per snapshot; `finish()` trims to the snapshots written.
                capacity[index] = max(16, 2 * capacity[index])
                try datasets[index].extend(to: [1, capacity[index]] + shape)
            }
            let before = previous?[index]
            let precision = layout.precision, encoder = self.encoder, components = field.components(dimensions: d)
            try pipeline.submit(dataset: index, offset: [0, step] + shape.map { _ in 0 }, write: store) {
                let statistics = FieldStatistics.of(bytes, previous: before, precision: precision, order: field.order,
                                                    components: components)
                let stored = try encoder.isIdentity ? bytes : bytes.withUnsafeBytes { try encoder.encode($0) }
                return EncodedChunk(bytes: stored, statistics: statistics)
            }
        }
        previous = rawFields
        times.append(time)
    }

    /// Writes the time axis, closes the file and renames it to `path`. Returns the final path.
    @discardableResult
    public func finish() throws -> String {
        guard !finished else { return path }
        do {
            try pipeline.drain(write: store)
            for (index, field) in layout.fields.enumerated() where capacity[index] != times.count {
                try datasets[index].extend(to: [1, times.count] + layout.snapshotShape(of: field))
            }
            let time = try file.createDataset("dimensions/time", elementType: layout.precision == .float32 ? .float32 : .float64,
                                              shape: [times.count])
            if layout.precision == .float32 { try time.write(times.map { Float($0) }) } else { try time.write(times) }
            try time.setAttribute("sample_varying", to: false)
            try time.setAttribute("time_varying", to: true)
            try file.close()
            finished = true
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
            return path
        } catch {
            abandon()
            throw error
        }
    }

    /// Closes and deletes the temporary file; the final path is never created.
    public func abandon() {
        pipeline.cancel()
        try? file.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
        finished = true
    }

    // MARK: Chunks

    /// Stores one prepared chunk (on the writer's thread, in submission order) and adds its statistics.
    private func store(_ field: Int, _ offset: [Int], _ chunk: EncodedChunk) throws {
        try datasets[field].writeChunk(chunk.bytes, at: offset)
        storedBytes += chunk.bytes.count
        statistics[field].merge(chunk.statistics)
    }

    static func littleEndian<T: BitwiseCopyable>(_ values: [T]) -> [UInt8] {
        // Every platform Sluice supports is little-endian (as the wire format assumes).
        values.withUnsafeBytes { Array($0) }
    }

    // MARK: Metadata

    static func writeMetadata(_ layout: WellFileLayout, to file: File) throws {
        try file.setAttribute("dataset_name", to: layout.datasetName)
        try file.setAttribute("grid_type", to: "cartesian")
        try file.setAttribute("n_spatial_dims", to: layout.axes.count)
        try file.setAttribute("n_trajectories", to: 1)
        try file.setAttribute("simulation_parameters", to: layout.parameters.map(\.name))
        for parameter in layout.parameters where !reservedNames.contains(parameter.name) {
            try file.setAttribute(parameter.name, to: parameter.value)
        }
        for (name, value) in layout.provenance.sorted(by: { $0.key < $1.key }) {
            try file.setAttribute(name, to: value)
        }

        let dimensions = try file.createGroup("dimensions")
        try dimensions.setAttribute("spatial_dims", to: layout.axes.map(\.name))
        for axis in layout.axes {
            let coordinates = try dimensions.createDataset(axis.name, elementType: layout.precision == .float32 ? .float32 : .float64,
                                                           shape: [axis.coordinates.count])
            if layout.precision == .float32 { try coordinates.write(axis.coordinates.map { Float($0) }) } else { try coordinates.write(axis.coordinates) }
            try coordinates.setAttribute("sample_varying", to: false)
            try coordinates.setAttribute("time_varying", to: false)
        }

        let boundaries = try file.createGroup("boundary_conditions")
        for axis in layout.axes {
            let group = try boundaries.createGroup("\(axis.name)_\(axis.boundary.rawValue.lowercased())")
            try group.setAttribute("bc_type", to: axis.boundary.rawValue)
            try group.setAttribute("associated_dims", to: [axis.name])
            try group.setAttribute("associated_fields", to: [String]())
            try group.setAttribute("sample_varying", to: false)
            try group.setAttribute("time_varying", to: false)
            let n = axis.coordinates.count
            let mask = try group.createDataset("mask", of: UInt8.self, shape: [n])
            try mask.write((0..<n).map { $0 == 0 || $0 == n - 1 ? UInt8(1) : 0 })
        }

        let scalars = try file.createGroup("scalars")
        try scalars.setAttribute("field_names", to: layout.parameters.map(\.name))
        for parameter in layout.parameters {
            let value = try scalars.createDataset(parameter.name, of: Double.self, shape: [])
            try value.write([parameter.value])
            try value.setAttribute("sample_varying", to: false)
            try value.setAttribute("time_varying", to: false)
        }

        for order in 0...2 {
            let group = try file.createGroup("t\(order)_fields")
            try group.setAttribute("field_names", to: layout.fields.filter { $0.order == order }.map(\.name))
        }
    }

    /// Root attributes The Well uses itself; a parameter of the same name keeps only its `scalars/` entry.
    static let reservedNames: Set<String> = ["dataset_name", "grid_type", "n_spatial_dims", "n_trajectories", "simulation_parameters"]
}
