import Meshes
import MeshMovement
import SluiceModel
import SolverKit

/// One tsunami member: the ``ShallowWaterSolver`` on the case's mesh and bathymetry from the case's source, with tide
/// gauges and (optionally) Monge-Ampere movement every `movement.every` macro steps.
///
/// A step of this simulation is a macro step of the case's `time.dt`: it sub-cycles CFL-limited solver steps to land
/// on `step * dt` exactly, so output schedules and planned steps are exact while the mesh shrinks and grows.
/// Snapshots are triangle-mesh samples (schemas/wire/PROTOCOL.md): the moving vertices, triangles, edges, the cell
/// fields, the gauges' surface elevation, and with `output.um2n` the fields of the latest adaptation
/// (schemas/um2n/FIELDS.md).
public final class TsunamiSimulation: Simulation {
    public let spec: TsunamiCase
    public let solver: ShallowWaterSolver
    public let driver: MovingMeshShallowWater?
    public private(set) var step: UInt64 = 0
    public let timeStep: Double
    /// Solver (CFL) steps taken in all macro steps.
    public var solverSteps: Int { solver.steps }
    /// Surface elevation at each gauge after every macro step (index 0: the initial state).
    public private(set) var gaugeSeries: [[Double]]
    /// The latest adaptation (nil without movement).
    public private(set) var latestAdaptation: MovingMeshShallowWater.Adaptation?
    /// The computational (initial) mesh's vertices: UM2N's input mesh.
    public let computationalVertices: [SIMD2<Double>]

    private let fields: [TsunamiCase.Field]
    private let outputType: DType
    private let um2n: Bool
    private var gaugeCells: [Int]
    private let edges: [SIMD2<Int32>]
    private let boundaryMask: [UInt8]
    private let sideMask: [UInt8]

    /// - Parameters:
    ///   - mesh: the mesh (the runtime reads a `mesh.file`; nil builds the structured rectangle of `mesh`).
    ///   - bathymetry: the bed (the runtime reads a gridded file; nil uses `bathymetry.profile`).
    public init(case spec: TsunamiCase, mesh: TriangleMesh? = nil, bathymetry: Bathymetry? = nil) throws {
        try Self.validate(spec)
        let m: TriangleMesh
        if let mesh { m = mesh } else {
            guard let nx = spec.mesh.nx, let ny = spec.mesh.ny, let lx = spec.mesh.lengthX, let ly = spec.mesh.lengthY else {
                throw ShallowWaterError.invalid("mesh needs nx, ny, length_x and length_y, or a file")
            }
            guard nx >= 1, ny >= 1, nx <= 100_000, ny <= 100_000, nx * ny <= 25_000_000 else {
                throw ShallowWaterError.invalid("mesh nx \(nx) x ny \(ny) must be at least 1 x 1 and at most 5e7 triangles")
            }
            m = try TriangleMesh.rectangle(nx: nx, ny: ny, lower: .zero, upper: SIMD2(lx, ly), diagonal: .left,
                                           tags: .init(west: .open, east: .coast, south: .wall, north: .wall))
        }
        let bed: Bathymetry
        let given = [spec.bathymetry.profile != nil, spec.bathymetry.expression != nil, spec.bathymetry.file != nil].filter { $0 }.count
        guard given == 1 else {
            throw ShallowWaterError.invalid("bathymetry needs exactly one of profile, expression and file; \(given) given")
        }
        if let bathymetry { bed = bathymetry } else if let text = spec.bathymetry.expression {
            let e = try Expression(text)
            bed = .expression { e.evaluate(x: $0.x, y: $0.y) }
        } else {
            guard let profile = spec.bathymetry.profile else {
                throw ShallowWaterError.invalid("bathymetry.file needs the runtime to read it; give a profile or an expression")
            }
            try profile.validate()
            bed = .shelf(profile)
        }
        let z = bed.sampleCells(m)
        let geometry = MeshGeometry(m)
        let p = spec.parameters
        let depth = z.indices.map { k -> Double in
            guard z[k] < 0 else { return 0 }
            return max(0, p.displacement(at: geometry.centroid[k], kind: spec.source) - z[k])
        }
        let s = spec.scheme
        guard let scheme = SSPScheme.named(s?.timeStepper ?? "ssp-rk2") else {
            throw ShallowWaterError.invalid("scheme.time_stepper '\(s?.timeStepper ?? "")' is not one of \(SSPScheme.all.map(\.name).joined(separator: ", "))")
        }
        let options = ShallowWaterSolver.Options(courant: s?.courant ?? 0.25, scheme: scheme, secondOrder: s?.secondOrder ?? true,
                                                 dryDepth: s?.dryDepth ?? 1e-3, manning: p.manning, coriolis: p.coriolis)
        solver = try ShallowWaterSolver(mesh: m, bed: z, depth: depth, options: options)
        self.spec = spec
        timeStep = spec.time.dt
        computationalVertices = m.vertices
        fields = spec.output.fields ?? TsunamiCase.Field.allCases
        outputType = spec.output.dtype ?? .float32
        um2n = spec.output.um2n ?? false
        edges = solver.geometry.topology.edges
        boundaryMask = solver.geometry.topology.isBoundaryVertex.map { $0 ? 1 : 0 }
        sideMask = UM2NFields.sideMask(boundary: boundaryMask, vertices: m.vertices)
        if let mv = spec.movement, mv.every > 0 {
            let monitor = SolutionMonitor(indicator: mv.indicator ?? .hessian, alpha: mv.alpha ?? 5, smoothingPasses: mv.smoothingPasses ?? 2)
            let options = MongeAmpereMover.Options(pseudoTimestep: mv.pseudoTimestep ?? 0.05, relativeTolerance: mv.tolerance ?? 1e-3,
                                                   maxIterations: mv.maxIterations ?? 300)
            driver = MovingMeshShallowWater(solver: solver, every: mv.every, monitor: monitor, moverOptions: options)
        } else {
            driver = nil
        }
        gaugeCells = []
        gaugeSeries = spec.gauges.map { _ in [] }
        if let driver { latestAdaptation = try driver.adapt() }
        locateGauges()
        recordGauges()
    }

    private static func validate(_ spec: TsunamiCase) throws {
        guard spec.solver == "tsunami" else { throw ShallowWaterError.invalid("solver '\(spec.solver)' is not tsunami") }
        let p = spec.parameters
        if spec.source == .okada {
            guard p.faultDepth > 0, p.faultLength > 0, p.faultWidth > 0, p.dip > 0, p.dip <= 90,
                  p.faultDepth > sin(p.dip * .pi / 180) * p.faultWidth / 2 else {
                throw ShallowWaterError.invalid("okada source needs fault_length \(p.faultLength) and fault_width \(p.faultWidth) > 0, dip \(p.dip) in (0, 90], and fault_depth \(p.faultDepth) deeper than the fault's half height \(sin(p.dip * .pi / 180) * p.faultWidth / 2) (the fault must not break the surface)")
            }
        }
        guard p.width > 0, p.elongation > 0, p.amplitude.isFinite, p.manning >= 0, p.sourceX.isFinite, p.sourceY.isFinite else {
            throw ShallowWaterError.invalid("parameters need width \(p.width) > 0, elongation \(p.elongation) > 0, manning \(p.manning) >= 0 and finite source and amplitude")
        }
        guard spec.time.dt > 0, spec.time.dt.isFinite else { throw ShallowWaterError.invalid("time.dt \(spec.time.dt) must be positive") }
        guard (spec.time.endTime == nil) != (spec.time.steps == nil) else {
            throw ShallowWaterError.invalid("time needs exactly one of end_time and steps")
        }
        if spec.output.um2n == true, (spec.movement?.every ?? 0) <= 0 {
            throw ShallowWaterError.invalid("output.um2n needs movement.every >= 1 (UM2N samples are mesh adaptations)")
        }
        if let t = spec.output.dtype, t != .float32, t != .float64 {
            throw ShallowWaterError.invalid("output.dtype \(t) is not f32 or f64")
        }
        guard !spec.gauges.isEmpty else { throw ShallowWaterError.invalid("gauges is empty; give at least one tide gauge") }
    }

    private func locateGauges() {
        let locator = PointLocator(mesh: solver.mesh)
        gaugeCells = spec.gauges.map { locator.locate(SIMD2($0.x, $0.y)).triangle }
    }

    private func recordGauges() {
        for (g, k) in gaugeCells.enumerated() { gaugeSeries[g].append(solver.h[k] + solver.bed[k]) }
    }

    // MARK: Simulation

    public var time: Double { Double(step) * timeStep }

    public var plannedSteps: UInt64 {
        if let s = spec.time.steps { return UInt64(s) }
        return UInt64(max(0, ((spec.time.endTime ?? 0) / timeStep).rounded()))
    }

    public func advance() throws {
        let target = Double(step + 1) * timeStep
        while target - solver.time > 1e-9 * timeStep {
            let dt = min(solver.stableTimeStep(), target - solver.time)
            guard dt > 0, dt.isFinite else { break }
            solver.advance(by: dt)
        }
        step += 1
        if let driver, step % UInt64(driver.every) == 0 {
            latestAdaptation = try driver.adapt()
            locateGauges()
        }
        recordGauges()
    }

    public var parameters: [Parameter] { spec.parameters.headerParameters }

    public var snapshotLayout: SnapshotLayout {
        let v = solver.mesh.vertexCount, t = solver.mesh.triangleCount, g = spec.gauges.count
        var list = [
            FieldDescriptor(name: "vertices", dtype: outputType, shape: [v, 2], role: .vertices),
            FieldDescriptor(name: "triangles", dtype: .int32, shape: [t, 3], role: .triangles),
            FieldDescriptor(name: "edges", dtype: .int32, shape: [edges.count, 2], role: .edges),
        ]
        list += fields.map { FieldDescriptor(name: $0.rawValue, dtype: outputType, shape: [t], role: .cellData) }
        list.append(FieldDescriptor(name: "gauge_surface", dtype: outputType, shape: [g], role: .auxiliary))
        if um2n { list += UM2NFields.descriptors(vertices: v, dtype: outputType) }
        return SnapshotLayout(geometry: .triangleMesh, spatialDims: 2, bounds: [], fields: list)
    }

    public func nonFiniteStateField() -> String? {
        if !solver.h.allSatisfy(\.isFinite) { return "depth" }
        if !solver.hu.allSatisfy(\.isFinite) || !solver.hv.allSatisfy(\.isFinite) { return "momentum" }
        return nil
    }

    public var cost: SimulationCost {
        let cells = Double(solver.mesh.triangleCount)
        let substeps = max(1, timeStep / max(solver.stableTimeStep(), 1e-300))
        return SimulationCost(flopsPerStep: cells * 400 * Double(spec.scheme.flatMap { SSPScheme.named($0.timeStepper ?? "") }?.weights.count ?? 2) * substeps,
                              stateBytes: solver.mesh.triangleCount * 8 * 20,
                              expectedFlopsPerSecond: 1e9,
                              summary: "\(solver.mesh.triangleCount) cells, ~\(Int(substeps.rounded(.up))) CFL steps per macro step")
    }

    public func withSnapshotFields<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        var floats: [[Double]] = []
        floats.append(solver.mesh.vertices.flatMap { [$0.x, $0.y] })
        for f in fields {
            switch f {
            case .depth: floats.append(solver.h)
            case .surface: floats.append(solver.surface)
            case .bed: floats.append(solver.bed)
            case .velocityX: floats.append(solver.h.indices.map { solver.velocity($0).x })
            case .velocityY: floats.append(solver.h.indices.map { solver.velocity($0).y })
            }
        }
        floats.append(gaugeCells.map { solver.h[$0] + solver.bed[$0] })
        var um2nFloats: [[Double]] = []
        if um2n, let a = latestAdaptation {
            um2nFloats = UM2NFields.values(adaptation: a, computational: computationalVertices)
        }
        let triangles = solver.mesh.triangles.flatMap { [$0[0], $0[1], $0[2]] }
        let edgeList = edges.flatMap { [$0[0], $0[1]] }
        var buffers: [RawBuffer] = []
        buffers.append(RawBuffer(floats[0], outputType))
        buffers.append(RawBuffer(triangles))
        buffers.append(RawBuffer(edgeList))
        for f in floats.dropFirst() { buffers.append(RawBuffer(f, outputType)) }
        if um2n {
            let descriptors = UM2NFields.descriptors(vertices: solver.mesh.vertexCount, dtype: outputType)
            var floatIndex = 0
            for d in descriptors {
                if d.name == "um2n_bd_mask" { buffers.append(RawBuffer(boundaryMask)); continue }
                if d.name == "um2n_bd_side_mask" { buffers.append(RawBuffer(sideMask)); continue }
                let values = floatIndex < um2nFloats.count ? um2nFloats[floatIndex] : []
                floatIndex += 1
                buffers.append(RawBuffer(values.count == d.elementCount ? values : [Double](repeating: 0, count: d.elementCount ?? 0), outputType))
            }
        }
        return try withBuffers(buffers, index: 0, collected: [], body)
    }

    private func withBuffers<R>(_ buffers: [RawBuffer], index: Int, collected: [UnsafeRawBufferPointer],
                                _ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        if index == buffers.count { return try body(collected) }
        return try buffers[index].bytes.withUnsafeBytes { try withBuffers(buffers, index: index + 1, collected: collected + [$0], body) }
    }
}

/// Little-endian bytes of one field.
struct RawBuffer {
    let bytes: [UInt8]
    init(_ values: [Double], _ type: DType) {
        var b: [UInt8] = []
        if type == .float64 {
            b.reserveCapacity(values.count * 8)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { b += $0 } }
        } else {
            b.reserveCapacity(values.count * 4)
            for v in values { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { b += $0 } }
        }
        bytes = b
    }
    init(_ values: [Int32]) {
        var b: [UInt8] = []
        b.reserveCapacity(values.count * 4)
        for v in values { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
        bytes = b
    }
    init(_ values: [UInt8]) { bytes = values }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
