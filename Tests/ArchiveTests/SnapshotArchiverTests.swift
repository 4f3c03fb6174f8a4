import Archive
import Filters
import Foundation
import SluiceModel
import TestSupport
import Testing

/// A 16 x 16 uniform-grid sample whose field is a few Fourier modes; member `m`'s amplitude is `1 + m`.
func gridSample(member: UInt64, step: UInt64) -> (SampleHeader, [[Float]]) {
    let n = 16
    let amplitude = 1 + Double(member)
    var w = [Float](repeating: 0, count: n * n), u = w
    for i in 0..<n {
        for j in 0..<n {
            let x = 2 * Double.pi * Double(i) / Double(n), y = 2 * Double.pi * Double(j) / Double(n)
            let phase = 0.1 * Double(step)
            w[i * n + j] = Float(0.5 + amplitude * cos(x + phase) * sin(2 * y) + 0.3 * cos(7 * x))
            u[i * n + j] = Float(amplitude * sin(y + phase))
        }
    }
    let header = SampleHeader(member: member, step: step, time: 0.01 * Double(step), geometry: .uniformGrid, spatialDims: 2,
                              bounds: [AxisBounds(lower: 0, upper: 2 * .pi), AxisBounds(lower: 0, upper: 2 * .pi)],
                              parameters: [Parameter("viscosity", 1e-3 * amplitude), Parameter("seed", Double(member))],
                              fields: [FieldDescriptor(name: "vorticity", dtype: .float32, shape: [n, n]),
                                       FieldDescriptor(name: "u", dtype: .float32, shape: [n, n])])
    return (header, [w, u])
}

func write(_ archiver: SnapshotArchiver, _ sample: (SampleHeader, [[Float]])) throws -> Bool {
    let (header, fields) = sample
    return try fields[0].withUnsafeBytes { a in try fields[1].withUnsafeBytes { b in try archiver.write(header, fields: [a, b]) } }
}

@Suite("Snapshot archiver")
struct SnapshotArchiverTests {
    @Test("ordered members stream into filtered trajectory files, split by member, with stats.yaml")
    func orderedExport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try WellDatasetWriter(directory: directory.path("demo"), name: "demo")
        let filter = FilterSpec(axes: [.spectral(points: 8), .spectral(points: 8)])
        let options = ArchiveOptions(datasetName: "demo", filter: filter, compression: .deflate(level: 1),
                                     selection: SampleSelection(everySteps: 2), provenance: ["sluice_solver": "test"])
        let splits = SplitPlan(train: 0.5, valid: 0.25, test: 0.25, seed: 3).assign([0, 1, 2, 3])
        let archiver = SnapshotArchiver(dataset: dataset, options: options, ordered: true) { splits[$0] ?? .train }
        for member in UInt64(0)..<4 {
            for step in UInt64(0)..<10 { _ = try write(archiver, gridSample(member: member, step: step)) }
            try archiver.finish(member: member)
        }
        let files = try archiver.finishAll()
        #expect(files.count == 4)
        #expect(Dictionary(grouping: files, by: \.split).mapValues(\.count) == [.train: 2, .valid: 1, .test: 1])
        for file in files {
            #expect(file.path.hasPrefix(directory.path("demo/data/\(file.split.rawValue)/demo_member")))
            let contents = try WellFileReader.read(file.path)
            #expect(contents.times.count == 5)  // steps 0, 2, 4, 6, 8
            let w = try #require(contents.fields.first { $0.name == "vorticity" })
            #expect(w.shape == [1, 5, 8, 8])
            // The sharp cut-off onto 8 x 8 keeps |k| <= 3: the cos(7x) mode is gone, the rest is exact.
            let member = Double(try #require(contents.provenance["sluice_member"].flatMap(Double.init)))
            let values = try #require(w.values)
            for (t, step) in [0, 2, 4, 6, 8].enumerated() {
                for i in 0..<8 {
                    for j in 0..<8 {
                        let x = 2 * Double.pi * Double(i) / 8, y = 2 * Double.pi * Double(j) / 8
                        let expected = 0.5 + (1 + member) * cos(x + 0.1 * Double(step)) * sin(2 * y)
                        #expect(abs(values[(t * 8 + i) * 8 + j] - expected) < 2e-6)
                    }
                }
            }
            #expect(contents.parameters.first { $0.name == "seed" }?.value == member)
            #expect(contents.provenance["sluice_solver"] == "test")
        }
        let stats = try String(contentsOfFile: directory.path("demo/stats.yaml"), encoding: .utf8)
        for key in ["mean:", "std:", "rms:", "mean_delta:", "std_delta:", "rms_delta:", "  vorticity: ", "  u: "] {
            #expect(stats.contains(key), "stats.yaml lacks \(key)")
        }
    }

    @Test("unordered samples (a server's draws, repeated) become one sorted trajectory per member")
    func unorderedExport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try WellDatasetWriter(directory: directory.path("tap"), name: "tap")
        let options = ArchiveOptions(datasetName: "tap", selection: SampleSelection(members: [1, 2], timeStart: 0.02),
                                     vectors: [:])
        let archiver = SnapshotArchiver(dataset: dataset, options: options, ordered: false) { _ in .train }
        var kept = 0
        for step in [5, 3, 9, 3, 0, 7, 5, 2] as [UInt64] {
            for member in UInt64(0)..<3 where try write(archiver, gridSample(member: member, step: step)) { kept += 1 }
        }
        // Step 0 is before the window, member 0 is not selected, and the repeats of steps 3 and 5 are dropped.
        #expect(kept == 2 * 5)
        #expect(archiver.duplicates == 2 * 2)
        let files = try archiver.finishAll()
        #expect(files.map(\.snapshots) == [5, 5])
        let contents = try WellFileReader.read(files[0].path)
        #expect(contents.times.map { ($0 * 100).rounded() } == [2, 3, 5, 7, 9])
        let w = try #require(contents.fields.first { $0.name == "vorticity" }?.values)
        #expect(w.count == 5 * 256)
        #expect(Float(w[256]) == gridSample(member: 1, step: 3).1[0][0])  // unfiltered: the solver's own values
    }

    @Test("vectors assemble components and selections name missing fields")
    func vectorsAndSelectionErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try WellDatasetWriter(directory: directory.path("v"), name: "v")
        let vectors = ArchiveOptions(datasetName: "v", precision: .float64, vectors: ["velocity": ["u", "vorticity"]])
        let archiver = SnapshotArchiver(dataset: dataset, options: vectors, ordered: true) { _ in .test }
        _ = try write(archiver, gridSample(member: 0, step: 1))
        let files = try archiver.finishAll()
        let contents = try WellFileReader.read(files[0].path)
        #expect(contents.fields.map(\.name) == ["velocity"])
        let velocity = try #require(contents.fields[0].values)
        let (_, fields) = gridSample(member: 0, step: 1)
        #expect(velocity[0] == Double(fields[1][0]) && velocity[1] == Double(fields[0][0]))
        #expect(velocity[2] == Double(fields[1][1]) && velocity[3] == Double(fields[0][1]))

        let missing = SnapshotArchiver(dataset: dataset, options: ArchiveOptions(datasetName: "v", selection: SampleSelection(fields: ["pressure"])),
                                       ordered: true) { _ in .train }
        let error = #expect(throws: ArchiveError.self) { _ = try write(missing, gridSample(member: 0, step: 0)) }
        #expect(error?.description.contains("pressure") == true)
    }

    @Test("splits are exact for known members and reproducible for streamed ones")
    func splits() throws {
        let plan = SplitPlan(train: 0.8, valid: 0.1, test: 0.1, seed: 9)
        let members = (0..<50).map(UInt64.init)
        let assigned = plan.assign(members)
        #expect(Dictionary(grouping: assigned.values, by: { $0 }).mapValues(\.count) == [.train: 40, .valid: 5, .test: 5])
        #expect(assigned == plan.assign(members.reversed()))
        #expect(assigned != SplitPlan(train: 0.8, valid: 0.1, test: 0.1, seed: 10).assign(members))
        let streamed = (0..<2000).map { plan.split(of: UInt64($0)) }
        #expect(streamed == (0..<2000).map { plan.split(of: UInt64($0)) })
        let trainShare = Double(streamed.filter { $0 == .train }.count) / 2000
        #expect(abs(trainShare - 0.8) < 0.05)
        #expect(throws: ArchiveError.self) { try SplitPlan(train: 0.7, valid: 0.1, test: 0.1).validate() }
        #expect(try SampleSelection.parseMembers("0-3,7,10-11") == [0, 1, 2, 3, 7, 10, 11])
        #expect(throws: ArchiveError.self) { try SampleSelection.parseMembers("3-1") }
    }
}

@Suite("Stretched grids")
struct StretchedGridArchiveTests {
    @Test("a channel-like sample (periodic x, stretched wall-normal y) is filtered onto given wall points")
    func stretchedWallAxis() throws {
        let nx = 16, ny = 33
        let y = (0..<ny).map { j in -cos(Double.pi * Double(j) / Double(ny - 1)) }  // clustered at both walls
        var u = [Double](repeating: 0, count: nx * ny)
        for i in 0..<nx { for j in 0..<ny { u[i * ny + j] = (1 - y[j] * y[j]) * (1 + 0.5 * cos(2 * Double.pi * Double(i) / Double(nx))) } }
        let header = SampleHeader(member: 4, step: 0, time: 0, geometry: .stretchedGrid, spatialDims: 2,
                                  bounds: [AxisBounds(lower: 0, upper: 1), AxisBounds(lower: -1, upper: 1)],
                                  fields: [FieldDescriptor(name: "x", dtype: .float64, shape: [nx], role: .axis),
                                           FieldDescriptor(name: "y", dtype: .float64, shape: [ny], role: .axis),
                                           FieldDescriptor(name: "u", dtype: .float64, shape: [nx, ny])])
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try WellDatasetWriter(directory: directory.path("channel"), name: "channel")
        let spec = FilterSpec(axes: [.spectral(points: 8), .wall(coordinates: [-1, -0.5, 0, 0.5, 1], method: .linear)])
        let archiver = SnapshotArchiver(dataset: dataset, options: ArchiveOptions(datasetName: "channel", filter: spec, precision: .float64,
                                                                                 boundaries: [.periodic, .wall]),
                                        ordered: true) { _ in .train }
        let xs = (0..<nx).map { Double($0) / Double(nx) }
        try xs.withUnsafeBytes { a in try y.withUnsafeBytes { b in try u.withUnsafeBytes { c in
            _ = try archiver.write(header, fields: [a, b, c])
        } } }
        let files = try archiver.finishAll()
        let contents = try WellFileReader.read(files[0].path)
        #expect(contents.axes.map(\.boundary) == [.periodic, .wall])
        #expect(contents.axes[1].coordinates == [-1, -0.5, 0, 0.5, 1])
        let values = try #require(contents.fields[0].values)
        for i in 0..<8 {
            for (j, yj) in [-1.0, -0.5, 0, 0.5, 1].enumerated() {
                // Linear interpolation of (1 - y^2) between Chebyshev points: exact at the walls and the centre,
                // within the interpolation error (h^2/8 * 2 with h about 0.1) elsewhere.
                let expected = (1 - yj * yj) * (1 + 0.5 * cos(2 * Double.pi * Double(i) / 8))
                #expect(abs(values[i * 5 + j] - expected) < 5e-3, "(\(i), \(yj))")
            }
        }
    }
}
