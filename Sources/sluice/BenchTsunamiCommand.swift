import ArgumentParser
import Foundation
import Meshes
import MeshMovement
import ShallowWater

/// `sluice bench tsunami`: shallow-water cell updates per second (second-order MUSCL + hydrostatic reconstruction,
/// SSP-RK2, a Gaussian hump over a bumpy bed) and Monge-Ampere relaxation iterations per second (ring monitor) on
/// structured triangulations of about 10^4 and 10^5 cells, one Swift thread. No baseline runs beside it (ANUGA
/// could not be installed here; see docs/benchmarks.md).
struct BenchTsunamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsunami",
        abstract: "Shallow-water cell updates/s and Monge-Ampere iterations/s at 1e4 and 1e5 cells."
    )

    @Option(help: "Approximate cell (triangle) counts, comma-separated.")
    var cells = "10000,100000"

    @Option(help: "Shallow-water steps to time at 1e4 cells (scaled down with size to keep runs short).")
    var steps = 200

    @Option(help: "Monge-Ampere iterations to time at 1e4 cells (scaled down with size).")
    var iterations = 40

    @Option(help: "Rounds; each time is the fastest round's.")
    var rounds = 2

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    @Flag(help: "Also run the shelf case on a fixed mesh beside ANUGA (pip install anuga) and compare gauge series.")
    var anuga = false

    @Option(help: "Python interpreter with anuga installed, for --anuga.")
    var python = "python3"

    @Option(help: "The ANUGA script (default: Benchmarks/python/tsunami_anuga.py under the repository).")
    var anugaScript: String?

    @Option(help: "Cells along x of the ANUGA comparison mesh (y gets half as many; 2 nx ny triangles).")
    var anugaNx = 60

    func validate() throws {
        guard steps >= 1, iterations >= 1, rounds >= 1 else { throw ValidationError("--steps, --iterations and --rounds must be at least 1") }
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 8 }) else { throw ValidationError("--cells '\(cells)' must list counts of at least 8") }
    }

    var counts: [Int] { cells.split(separator: ",").compactMap { Int(Double($0.trimmingCharacters(in: .whitespaces)) ?? -1) } }

    func run() throws {
        var rows: [[String: Any]] = []
        if !json { print("tsunami kernels, one Swift thread, float64 (cell updates = cells x steps; 2 stages per step)") }
        for target in counts {
            let n = max(2, Int((Double(target) / 2).squareRoot().rounded()))
            let mesh = try TriangleMesh.rectangle(nx: n, ny: n)
            let scale = max(1, target / 10_000)
            let swSteps = max(5, steps / scale), maIterations = max(3, iterations / scale)
            var best = (sw: Double.infinity, ma: Double.infinity)
            var mass = (0.0, 0.0)
            var residual = 0.0
            for _ in 0..<rounds {
                let (swSeconds, massChange) = try timeShallowWater(mesh: mesh, steps: swSteps)
                best.sw = min(best.sw, swSeconds)
                mass = massChange
                let (maSeconds, r, done) = timeMongeAmpere(mesh: mesh, iterations: maIterations)
                best.ma = min(best.ma, maSeconds / Double(max(done, 1)) * Double(maIterations))
                residual = r
            }
            let row: [String: Any] = [
                "cells": mesh.triangleCount, "vertices": mesh.vertexCount,
                "sw_steps": swSteps, "sw_seconds": best.sw, "cell_updates_per_second": Double(mesh.triangleCount * swSteps) / best.sw,
                "ma_iterations": maIterations, "ma_seconds": best.ma, "ma_iterations_per_second": Double(maIterations) / best.ma,
                "ma_residual": residual, "relative_mass_change": mass.1,
            ]
            rows.append(row)
            if !json {
                print(String(format: "  %7d cells: shallow water %.3g cell updates/s (%d steps in %.2f s, mass change %.1e); Monge-Ampere %.3g it/s (%d it in %.2f s, residual %.2e)",
                             mesh.triangleCount, Double(mesh.triangleCount * swSteps) / best.sw, swSteps, best.sw, mass.1,
                             Double(maIterations) / best.ma, maIterations, best.ma, residual))
            }
        }
        if anuga {
            let row = try compareWithANUGA()
            rows.append(row)
            if !json { print(ANUGAComparison.describe(row)) }
        }
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
        }
    }

    func compareWithANUGA() throws -> [String: Any] {
        let script = try BenchSupport.script(anugaScript, default: "Benchmarks/python/tsunami_anuga.py")
        return try ANUGAComparison(nx: anugaNx, python: python, script: script).run()
    }

    /// Seconds for `steps` SSP-RK2 steps of a Gaussian hump over a bumpy bed in a closed unit square, 1 m deep.
    func timeShallowWater(mesh: TriangleMesh, steps: Int) throws -> (Double, (Double, Double)) {
        let geometry = MeshGeometry(mesh)
        let bed = Bathymetry.expression { p in
            let d = p - SIMD2(0.7, 0.3)
            return -1 + 0.5 * exp(-30 * (d * d).sum())
        }.sampleCells(mesh)
        let depth = bed.indices.map { k -> Double in
            let d = geometry.centroid[k] - SIMD2(0.4, 0.5)
            return 0.2 * exp(-100 * (d * d).sum()) - bed[k]
        }
        let solver = try ShallowWaterSolver(mesh: mesh, bed: bed, depth: depth)
        let m0 = solver.mass
        let dt = solver.stableTimeStep()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { solver.advance(by: dt) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (seconds, (m0, (solver.mass - m0) / m0))
    }

    /// Seconds for `iterations` relaxation iterations with the ring monitor (tolerance 0, so none stops early).
    func timeMongeAmpere(mesh: TriangleMesh, iterations: Int) -> (Double, Double, Int) {
        var options = MongeAmpereMover.Options(relativeTolerance: 0, maxIterations: iterations)
        options.divergenceTolerance = .infinity
        let mover = MongeAmpereMover(mesh: mesh, options: options)
        let start = DispatchTime.now().uptimeNanoseconds
        let report = mover.move(monitor: Monitors.ring())
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, report.residual, report.iterations)
    }
}
