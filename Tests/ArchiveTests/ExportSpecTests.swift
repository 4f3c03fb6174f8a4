import Archive
import Filters
import Foundation
import SluiceConfig
import Testing

@Suite("Export specs")
struct ExportSpecTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the shipped demo spec and a full spec decode with snake_case keys")
    func specsDecode() throws {
        let demo = try ConfigFile.load(ExportSpec.self, from: Self.repository.appendingPathComponent("solvers/ns2d/demo-export.yaml").path)
        #expect(demo.name == "ns2d-demo")
        #expect(demo.filter == FilterSpec(axes: [.spectral(points: 32), .spectral(points: 32)]))
        #expect(demo.split == SplitPlan(train: 0.75, valid: 0.125, test: 0.125, seed: 0))
        let full = try ConfigFile.decode(ExportSpec.self, from: """
            name: channel
            filter:
              axes:
                - {kind: spectral, points: 32, endpoint: true}
                - {kind: wall, points: 33, distribution: cosine}
                - {kind: spectral, points: 16, endpoint: true}
            precision: float64
            compression: {deflate: 4, shuffle: false, threads: 3}
            select: {members: [1, 2], every_steps: 10, time_start: 0.5, time_end: 2.0, fields: [u, v, w]}
            vectors: {velocity: [u, v, w]}
            boundaries: [periodic, wall, periodic]
            """, source: "inline")
        #expect(full.filter?.axes[1] == .wall(points: 33, distribution: .cosine))
        #expect(full.precision == .float64)
        #expect(full.compression?.compression == .deflate(level: 4, shuffle: false))
        #expect(full.select == SampleSelection(members: [1, 2], everySteps: 10, timeStart: 0.5, timeEnd: 2.0, fields: ["u", "v", "w"]))
        #expect(full.vectors == ["velocity": ["u", "v", "w"]])
        #expect(full.boundaries == [.periodic, .wall, .periodic])
    }

    @Test("unknown keys and bad values are refused with the key named")
    func mistakesAreRefused() {
        let typo = #expect(throws: (any Error).self) {
            try ConfigFile.decode(ExportSpec.self, from: "select: {every_step: 10}", source: "typo.yaml")
        }
        #expect("\(typo.map { "\($0)" } ?? "")".contains("every_step"))
        #expect(throws: (any Error).self) {
            try ConfigFile.decode(ExportSpec.self, from: "boundaries: [sticky]", source: "bad.yaml")
        }
        #expect(throws: (any Error).self) {
            try ConfigFile.decode(ExportSpec.self, from: "filter: {axes: [{kind: lanczos}]}", source: "bad.yaml")
        }
    }
}
