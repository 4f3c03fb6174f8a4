import Foundation
import HDF5
import Meshes
import ShallowWater
import SluiceConfig
import SolverKit

extension SolverEntry {
    /// `solver: tsunami`: shallow water on a (moving) triangle mesh over a continental margin (solvers/tsunami/).
    /// Member K's draw is the case's parameters with `--set` overrides. Mesh files (Gmsh .msh 4.1) and gridded
    /// bathymetry (HDF5) resolve relative to the case file.
    public static let tsunami = SolverEntry(
        name: "tsunami", summary: "Tsunami: finite-volume shallow water on triangle meshes moved by Monge-Ampere (UM2N samples)"
    ) { path, request in
        var spec = try ConfigFile.load(TsunamiCase.self, from: path)
        spec.parameters = try request.overrides.apply(to: spec.parameters)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolve(_ file: String) -> String { file.hasPrefix("/") ? file : URL(fileURLWithPath: directory).appendingPathComponent(file).path }
        var mesh: TriangleMesh?
        if let file = spec.mesh.file {
            do { mesh = try GmshReader(defaultTag: .wall).read(path: resolve(file)) } catch {
                throw SolverRuntimeError.caseFile("case file \(path): mesh.file: \(error)")
            }
        }
        var bathymetry: Bathymetry?
        if let file = spec.bathymetry.file {
            bathymetry = .gridded(try TsunamiBathymetryFile.read(path: resolve(file), spec: spec.bathymetry, casePath: path))
        }
        let simulation: TsunamiSimulation
        do { simulation = try TsunamiSimulation(case: spec, mesh: mesh, bathymetry: bathymetry) } catch let e as ShallowWaterError {
            throw SolverRuntimeError.caseFile("case file \(path): \(e.description)")
        } catch let e as MeshError {
            throw SolverRuntimeError.caseFile("case file \(path): \(e.description)")
        }
        let schedule = try spec.output.every.makeSchedule()
        let s = simulation.solver
        let details: [(String, String)] = [
            ("mesh", "\(s.mesh.vertexCount) vertices, \(s.mesh.triangleCount) triangles\(spec.mesh.file.map { " from \($0)" } ?? "")"),
            ("source", "\(spec.source.rawValue) at (\(spec.parameters.sourceX), \(spec.parameters.sourceY)), amplitude \(spec.parameters.amplitude) m, width \(spec.parameters.width) m"),
            ("scheme", "HLL + hydrostatic reconstruction, \(s.options.secondOrder ? "MUSCL" : "first order"), \(s.options.scheme), courant \(s.options.courant)"),
            ("movement", spec.movement.map { "Monge-Ampere every \($0.every) steps" } ?? "fixed mesh"),
            ("time", "macro step \(simulation.timeStep) s, gauges \(spec.gauges.map(\.name).joined(separator: ", "))"),
        ]
        return MemberSetup(solver: "tsunami", caseName: spec.name, simulation: simulation, schedules: [schedule],
                           includeInitial: spec.output.includeInitial ?? true, plannedSteps: simulation.plannedSteps,
                           details: details)
    }
}

/// Gridded bathymetry from HDF5 (GEBCO-style; NetCDF-4 files are HDF5): a 2-D `[ny, nx]` dataset of bed elevation
/// (negative below sea level) spanning the spec's bounds.
enum TsunamiBathymetryFile {
    static func read(path: String, spec: TsunamiCase.BathymetrySpec, casePath: String) throws -> GriddedField {
        let name = spec.dataset ?? "elevation"
        guard let x0 = spec.lowerX, let y0 = spec.lowerY, let x1 = spec.upperX, let y1 = spec.upperY else {
            throw SolverRuntimeError.caseFile("case file \(casePath): bathymetry.file needs lower_x, lower_y, upper_x, upper_y")
        }
        do {
            let file = try File(opening: path)
            defer { try? file.close() }
            let data = try file.openDataset(name)
            let shape = try data.shape
            guard shape.count == 2 else {
                throw SolverRuntimeError.caseFile("case file \(casePath): \(path):\(name) has shape \(shape); expected a 2-D [ny, nx] array")
            }
            return try GriddedField(nx: shape[1], ny: shape[0], lower: SIMD2(x0, y0), upper: SIMD2(x1, y1),
                                    values: try data.read(as: Double.self))
        } catch let e as SolverRuntimeError {
            throw e
        } catch {
            throw SolverRuntimeError.caseFile("case file \(casePath): cannot read bathymetry \(path):\(name): \(error)")
        }
    }
}
