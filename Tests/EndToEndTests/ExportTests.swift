import Archive
import Foundation
import Testing
import TestSupport

/// `sluice export` as a separate process: members run in the exporter, and a server tapped as a consumer group.
@Suite("sluice export end to end")
struct ExportEndToEndTests {
    /// Taylor-Green vorticity A cos(2 pi x) cos(2 pi y) r^step on 16^2; r is the Crank-Nicolson factor.
    func taylorGreenCase(in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("tg.yaml")
        try """
            solver: ns2d
            name: export-taylor-green
            parameters:
              viscosity: 0.05
              amplitude: 1.0
            grid: {points: 16, length: 1.0}
            time: {scheme: cn-euler, dt: 1.0e-3, steps: 20}
            forcing: none
            initial_condition: {kind: taylor-green}
            output:
              every: {steps: 5}
              fields: [vorticity]
              dtype: f64
            """.write(toFile: path, atomically: true, encoding: .utf8)
        try """
            name: tg
            filter: {axes: [{kind: spectral, points: 8}, {kind: gaussian, width: 0.0, points: 8}]}
            precision: float64
            """.write(toFile: directory.path("spec.yaml"), atomically: true, encoding: .utf8)
        return path
    }

    /// Checks every snapshot of a trajectory file against the analytic Taylor-Green vorticity on the 8^2 grid
    /// (mode 1 survives both filters unchanged; exact to 1e-12).
    func checkTaylorGreen(_ path: String, amplitude: Double) throws {
        let contents = try WellFileReader.read(path)
        #expect(contents.times.count == 5)
        let field = try #require(contents.fields.first)
        #expect(field.shape == [1, 5, 8, 8])
        let values = try #require(field.values)
        let lambda = -0.05 * 8 * Double.pi * Double.pi, dt = 1e-3
        let factor = (1 + 0.5 * dt * lambda) / (1 - 0.5 * dt * lambda)
        for (t, step) in [0, 5, 10, 15, 20].enumerated() {
            #expect(abs(contents.times[t] - Double(step) * dt) < 1e-12)
            let scale = amplitude * pow(factor, Double(step))
            for i in 0..<8 {
                for j in 0..<8 {
                    let expected = scale * cos(2 * Double.pi * Double(i) / 8) * cos(2 * Double.pi * Double(j) / 8)
                    #expect(abs(values[(t * 8 + i) * 8 + j] - expected) < 1e-12, "\(path) step \(step) (\(i), \(j))")
                }
            }
        }
    }

    @Test("standalone: members run in the exporter, split by fraction, filtered, provenance recorded")
    func standalone() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-export")
        defer { directory.remove() }
        let casePath = try taylorGreenCase(in: directory)
        let out = directory.path("tg")
        let export = try ChildProcess(sluiceBinary(), ["export", casePath, "--out", out, "--spec", directory.path("spec.yaml"),
                                                       "--members", "0-3", "--set", "amplitude=2.5", "--train", "0.5",
                                                       "--valid", "0.25", "--test", "0.25", "--deflate", "1", "--quiet"],
                                      name: "export", directory: directory)
        #expect(export.wait(seconds: 120) == 0, "\(export.output)")
        var files: [String] = []
        for split in ["train", "valid", "test"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: "\(out)/data/\(split)")
            #expect(names.count == (split == "train" ? 2 : 1), "\(split): \(names)")
            #expect(names.allSatisfy { $0.hasPrefix("tg_member") && $0.hasSuffix(".hdf5") })
            files += names.map { "\(out)/data/\(split)/\($0)" }
        }
        for file in files {
            try checkTaylorGreen(file, amplitude: 2.5)
            let provenance = try WellFileReader.read(file, values: false).provenance
            #expect(provenance["sluice_solver"] == "ns2d")
            #expect(provenance["sluice_case"]?.contains("export-taylor-green") == true)
            #expect(provenance["sluice_filter"]?.contains("spectral") == true)
            #expect(provenance["sluice_version"] != nil && provenance["sluice_created"] != nil)
        }
        #expect(FileManager.default.fileExists(atPath: "\(out)/stats.yaml"))
        let inspect = try ChildProcess(sluiceBinary(), ["inspect", out], name: "inspect", directory: directory)
        #expect(inspect.wait(seconds: 30) == 0, "\(inspect.output)")
        #expect(inspect.stdout.contains("4 files, 20 snapshots"), "\(inspect.output)")
        #expect(inspect.stdout.contains("t0_fields/vorticity: float64 [1, 5, 8, 8]"), "\(inspect.output)")
    }

    @Test("from a server: the export reads as a consumer group over tcp and writes each member's trajectory")
    func fromServer() throws {
        let cluster = try SluiceCluster(["--policy", "fifo"])
        let casePath = try taylorGreenCase(in: cluster.directory)
        let out = cluster.directory.path("tap")
        let export = try ChildProcess(sluiceBinary(), ["export", "--server", cluster.consumer, "--out", out,
                                                       "--spec", cluster.directory.path("spec.yaml"), "--case-file", casePath,
                                                       "--samples", "10", "--idle-timeout", "60", "--quiet"],
                                      name: "export", directory: cluster.directory)
        for (member, amplitude) in [(0, 1.0), (1, 2.5)] {
            let solve = try ChildProcess(sluiceBinary(), ["solve", casePath, "--member", "\(member)", "--server", cluster.solver,
                                                          "--set", "amplitude=\(amplitude)", "--quiet"],
                                         name: "solve-\(member)", directory: cluster.directory)
            #expect(solve.wait(seconds: 60) == 0, "\(solve.output)")
        }
        #expect(export.wait(seconds: 60) == 0, "\(export.output)\n\(cluster.server.output)")
        _ = try cluster.stop()
        var checked = 0
        for split in ["train", "valid", "test"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: "\(out)/data/\(split)") where name.hasSuffix(".hdf5") {
                let member = name.contains("member000001") ? 1 : 0
                try checkTaylorGreen("\(out)/data/\(split)/\(name)", amplitude: member == 1 ? 2.5 : 1.0)
                checked += 1
            }
        }
        #expect(checked == 2)
    }
}
