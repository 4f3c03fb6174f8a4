import ArgumentParser
import Foundation
import Meshes
import ShallowWater
import SolverKit

/// The shelf case (solvers/tsunami/shelf.yaml without movement or friction) run by ``TsunamiSimulation`` and by
/// ANUGA (Benchmarks/python/tsunami_anuga.py) on the same mesh, bed, initial surface, boundaries and gauges, in one
/// invocation; compares the gauges' surface series sampled every 10 s and the wall times.
struct ANUGAComparison {
    let nx: Int
    let python: String
    let script: String
    let endTime = 1800.0
    let interval = 10.0

    func makeCase() -> TsunamiCase {
        var p = TsunamiParameters()
        p.manning = 0
        return TsunamiCase(
            name: "anuga-comparison", parameters: p,
            mesh: .init(nx: nx, ny: nx / 2, lengthX: 200_000, lengthY: 100_000),
            bathymetry: .init(profile: ShelfProfile(basinDepth: 4000, shelfDepth: 200, slopeStart: 100_000, slopeEnd: 140_000,
                                                    coastStart: 170_000, beachSlope: 0.01)),
            source: .gaussian,
            gauges: [.init(name: "deep", x: 90_000, y: 50_000), .init(name: "shelf", x: 155_000, y: 50_000),
                     .init(name: "shore", x: 185_000, y: 50_000)],
            time: .init(dt: interval, endTime: endTime),
            output: .init(every: ScheduleSpec(steps: 1)))
    }

    func run() throws -> [String: Any] {
        let spec = makeCase()
        let simulation = try TsunamiSimulation(case: spec)
        let mesh = simulation.solver.mesh
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-anuga-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // ANUGA input: the same mesh; its edge k of a triangle is opposite corner k, ours joins corners k and k+1.
        var directed: [SIMD2<Int32>: (Int, Int)] = [:]
        for (t, tri) in mesh.triangles.enumerated() {
            for k in 0..<3 { directed[SIMD2(tri[k], tri[(k + 1) % 3])] = (t, (k + 2) % 3) }
        }
        let boundary: [[Any]] = mesh.boundary.compactMap { e in
            directed[SIMD2(e.a, e.b)].map { [$0.0, $0.1, e.tag.rawValue] }
        }
        guard let profile = spec.bathymetry.profile else { throw ValidationError("comparison case has no profile") }
        let bed = Bathymetry.shelf(profile).sampleVertices(mesh)
        let stage = mesh.vertices.indices.map { i -> Double in
            let z = bed[i]
            return z < 0 ? max(z, spec.parameters.displacement(at: mesh.vertices[i], kind: spec.source)) : z
        }
        let input: [String: Any] = [
            "vertices": mesh.vertices.map { [$0.x, $0.y] }, "triangles": mesh.triangles.map { [$0[0], $0[1], $0[2]] },
            "boundary": boundary, "elevation": bed, "stage": stage, "gauges": spec.gauges.map { [$0.x, $0.y] },
            "end_time": endTime, "interval": interval, "manning": 0.0, "dry_depth": 1e-3,
        ]
        let inputPath = directory.appendingPathComponent("case.json").path, outputPath = directory.appendingPathComponent("anuga.json").path
        try JSONSerialization.data(withJSONObject: input).write(to: URL(fileURLWithPath: inputPath))

        let start = DispatchTime.now().uptimeNanoseconds
        while simulation.step < simulation.plannedSteps { try simulation.advance() }
        let swiftSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, inputPath, outputPath]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let data = FileManager.default.contents(atPath: outputPath),
              let result = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let series = result["series"] as? [[Double]] else {
            throw ValidationError("the ANUGA baseline failed (exit \(process.terminationStatus)); is anuga installed for \(python)?")
        }
        var row: [String: Any] = [
            "case": "shelf, fixed mesh, no friction", "cells": mesh.triangleCount, "end_time": endTime,
            "swift_seconds": swiftSeconds, "swift_solver_steps": simulation.solverSteps,
            "swift_cell_updates_per_second": Double(mesh.triangleCount * simulation.solverSteps) / swiftSeconds,
            "anuga_seconds": result["seconds"] ?? 0, "anuga_steps": result["steps"] ?? 0,
            "anuga_version": result["anuga_version"] ?? "", "anuga_flow_algorithm": result["flow_algorithm"] ?? "",
        ]
        if let s = result["seconds"] as? Double, let n = result["steps"] as? Int, n > 0, s > 0 {
            row["anuga_cell_updates_per_second"] = Double(mesh.triangleCount * n) / s
        }
        for (g, gauge) in spec.gauges.enumerated() where g < series.count {
            let ours = simulation.gaugeSeries[g], theirs = series[g]
            let n = min(ours.count, theirs.count)
            var maxDiff = 0.0, sumSq = 0.0, peakTheirs = 0.0, peakOurs = 0.0
            for i in 0..<n {
                maxDiff = max(maxDiff, abs(ours[i] - theirs[i]))
                sumSq += (ours[i] - theirs[i]) * (ours[i] - theirs[i])
                peakTheirs = max(peakTheirs, abs(theirs[i]))
                peakOurs = max(peakOurs, abs(ours[i]))
            }
            func arrival(_ s: [Double], _ peak: Double) -> Double? {
                s.firstIndex { abs($0) > 0.1 * peak }.map { Double($0) * interval }
            }
            row["\(gauge.name)_samples"] = n
            row["\(gauge.name)_series_swift"] = Array(ours.prefix(n))
            row["\(gauge.name)_series_anuga"] = Array(theirs.prefix(n))
            row["\(gauge.name)_max_abs_difference"] = maxDiff
            row["\(gauge.name)_rms_difference"] = (sumSq / Double(max(n, 1))).squareRoot()
            row["\(gauge.name)_peak_swift"] = peakOurs
            row["\(gauge.name)_peak_anuga"] = peakTheirs
            row["\(gauge.name)_correlation"] = correlation(Array(ours.prefix(n)), Array(theirs.prefix(n)))
            row["\(gauge.name)_arrival_swift"] = arrival(ours, peakOurs) ?? -1
            row["\(gauge.name)_arrival_anuga"] = arrival(theirs, peakTheirs) ?? -1
        }
        return row
    }

    private func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        guard n > 1 else { return 0 }
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb)
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
    }

    static func describe(_ row: [String: Any]) -> String {
        func d(_ k: String) -> Double { row[k] as? Double ?? .nan }
        var lines = [String(format: "  ANUGA comparison (%@, %d cells, t = 0 to %.0f s): Swift %.2f s (%.3g cell updates/s), ANUGA %@ %@ %.2f s (%.3g cell updates/s)",
                            row["case"] as? String ?? "", row["cells"] as? Int ?? 0, d("end_time"), d("swift_seconds"),
                            d("swift_cell_updates_per_second"), row["anuga_version"] as? String ?? "",
                            row["anuga_flow_algorithm"] as? String ?? "", d("anuga_seconds"), d("anuga_cell_updates_per_second"))]
        for g in ["deep", "shelf", "shore"] {
            lines.append(String(format: "    gauge %-5@: peak Swift %.3f m, ANUGA %.3f m; max |diff| %.3f m, rms %.3f m, correlation %.3f; arrival (10%% of peak) %.0f s vs %.0f s",
                                g, d("\(g)_peak_swift"), d("\(g)_peak_anuga"), d("\(g)_max_abs_difference"), d("\(g)_rms_difference"),
                                d("\(g)_correlation"), d("\(g)_arrival_swift"), d("\(g)_arrival_anuga")))
        }
        return lines.joined(separator: "\n")
    }
}
