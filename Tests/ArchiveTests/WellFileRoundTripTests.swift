import Archive
import Foundation
import HDF5
import SluiceModel
import TestSupport
import Testing

/// A 2-D layout on 6 x 4 points with a scalar and a vector field.
func sampleLayout(precision: WellPrecision, compression: Compression, threads: Int = 2) -> WellFileLayout {
    WellFileLayout(
        datasetName: "round-trip",
        axes: [WellAxis(name: "x", coordinates: (0..<6).map { Double($0) / 6 }, boundary: .periodic),
               WellAxis(name: "y", coordinates: [-1, -0.5, 0.5, 1], boundary: .wall)],
        fields: [WellField(name: "p"), WellField(name: "velocity", order: 1)],
        precision: precision,
        parameters: [Parameter("viscosity", 1e-3), Parameter("seed", 42)],
        provenance: ["sluice_solver": "ns2d", "sluice_case": "solver: ns2d\nname: demo\n"],
        compression: compression, compressionThreads: threads)
}

/// Values that differ in every field, step, point and component, exact in float32.
func snapshot(step: Int) -> [[Double]] {
    [(0..<24).map { Double(step * 100 + $0) * 0.25 }, (0..<48).map { Double(step * 1000 - $0) * 0.5 }]
}

@Suite("Well file round trip")
struct WellFileRoundTripTests {
    static let cases: [(WellPrecision, Compression)] = [
        (.float32, .none), (.float32, .deflate(level: 4)), (.float64, .none), (.float64, .deflate(level: 1, shuffle: false)),
    ]

    @Test("what the writer writes the reader reads back", arguments: 0..<4)
    func roundTrip(caseIndex: Int) throws {
        let (precision, compression) = Self.cases[caseIndex]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("member0.hdf5")
        let writer = try WellFileWriter(path: path, layout: sampleLayout(precision: precision, compression: compression))
        for step in 0..<7 { try writer.append(time: 0.1 * Double(step), fields: snapshot(step: step)) }
        #expect(!FileManager.default.fileExists(atPath: path), "the final name appears only on finish")
        #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
        try writer.finish()
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath))

        let contents = try WellFileReader.read(path)
        #expect(contents.datasetName == "round-trip")
        #expect(contents.trajectories == 1)
        #expect(contents.axes.map(\.name) == ["x", "y"])
        #expect(contents.axes[1].coordinates == [-1, -0.5, 0.5, 1])
        #expect(contents.axes.map(\.boundary) == [.periodic, .wall])
        #expect(contents.times.count == 7)
        #expect(abs(contents.times[3] - 0.3) < 1e-7)
        #expect(contents.parameters == [Parameter("viscosity", 1e-3), Parameter("seed", 42)])
        #expect(contents.provenance["sluice_solver"] == "ns2d")
        #expect(contents.provenance["sluice_case"] == "solver: ns2d\nname: demo\n")
        let p = try #require(contents.fields.first { $0.name == "p" })
        let v = try #require(contents.fields.first { $0.name == "velocity" })
        #expect(p.order == 0 && p.shape == [1, 7, 6, 4])
        #expect(v.order == 1 && v.shape == [1, 7, 6, 4, 2])
        #expect(p.chunk == [1, 1, 6, 4])
        #expect(p.elementType == precision.rawValue)
        #expect(p.filters == (compression == .none ? [] : compression.shuffle ? ["shuffle", "deflate(\(compression.deflateLevel ?? 0))"] : ["deflate(\(compression.deflateLevel ?? 0))"]))
        #expect(p.values == (0..<7).flatMap { snapshot(step: $0)[0] })
        #expect(v.values == (0..<7).flatMap { snapshot(step: $0)[1] })

        // Statistics: mean and std of p over all values, and of its step-to-step differences (100 * 0.25 = 25).
        let all = (0..<7).flatMap { snapshot(step: $0)[0] }
        let mean = all.reduce(0, +) / Double(all.count)
        let std = (all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(all.count)).squareRoot()
        let stats = writer.statistics[0]
        #expect(abs(stats.values[0].mean - mean) < 1e-9)
        #expect(abs(stats.values[0].standardDeviation - std) < 1e-9)
        #expect(abs(stats.deltas[0].mean - 25) < 1e-12 && stats.deltas[0].standardDeviation < 1e-9)
        #expect(writer.statistics[1].values.count == 2)
    }

    @Test("an abandoned file leaves nothing behind")
    func abandonedFileLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("member1.hdf5")
        do {
            let writer = try WellFileWriter(path: path, layout: sampleLayout(precision: .float32, compression: .deflate(level: 1)))
            try writer.append(time: 0, fields: snapshot(step: 0))
            #expect(throws: ArchiveError.self) { try writer.append(time: 1, fields: [[1, 2, 3], []]) }
            writer.abandon()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test("chunks compressed on several threads (or the writer's alone) are stored in order", arguments: [0, 1, 2, 4])
    func parallelCompressionKeepsOrder(threads: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("many.hdf5")
        let writer = try WellFileWriter(path: path, layout: sampleLayout(precision: .float32, compression: .deflate(level: 6), threads: threads))
        for step in 0..<200 { try writer.append(time: Double(step), fields: snapshot(step: step)) }
        try writer.finish()
        let contents = try WellFileReader.read(path)
        #expect(contents.fields[0].values == (0..<200).flatMap { snapshot(step: $0)[0] })
        #expect(contents.times == (0..<200).map(Double.init))
    }
}
