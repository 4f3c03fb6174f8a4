import Foundation
import SluiceModel
import SolverKit

/// One 2-D Navier-Stokes member: the ``VorticityEquation`` on the case's grid, advanced by the case's
/// ``IMEXScheme`` at a fixed step, with snapshots of the fields the case lists, resampled to its output grid.
///
/// The FNO recipe is the case `solvers/ns2d/fno.yaml`: unit torus, `f = 0.1 (sin 2 pi (x+y) + cos 2 pi (x+y))`,
/// Crank-Nicolson on viscosity with forward Euler on advection and forcing (`cn-euler`), 2/3 dealiasing,
/// `dt = 1e-4`, GRF initial vorticity (`alpha = 2.5`, `tau = 7`), 256^2 simulated, 64^2 published.
public final class VorticitySimulation: Simulation {
    public let spec: NS2DCase
    public let effectiveParameters: NS2DParameters
    public let grid: PeriodicGrid
    public let scheme: IMEXScheme
    public let equation: VorticityEquation
    /// The state: unnormalised half spectrum of the vorticity.
    public let vorticitySpectrum: AlignedBuffer<Complex<Double>>
    public private(set) var step: UInt64 = 0
    public let timeStep: Double
    /// Time of step 0.
    public let startTime: Double

    private let stepper: IMEXStepper<VorticityEquation>
    private let resampler: PeriodicResampler
    private let outputShape: [Int]
    private let outputType: DType
    private let fieldSpectrum: AlignedBuffer<Complex<Double>>
    private var doubleScratch: [[Double]]
    private var floatScratch: [[Float]]

    /// Builds the member from a case whose `parameters` already hold this member's values (the runtime applies
    /// `--set` overrides and the per-member seed before calling this).
    ///
    /// - Parameters:
    ///   - initialVorticity: the values of a `file` initial condition (row-major, the grid's shape).
    ///   - rigor: FFT planning effort (`.measure` for production runs, `.estimate` for tests).
    /// - Throws: ``NS2DError`` for invalid values (naming them), an unstable step, or a bad initial field.
    public init(case spec: NS2DCase, initialVorticity: [Double]? = nil, rigor: FFTPlanningRigor = .measure) throws {
        let p = spec.parameters
        try Self.validate(spec)
        guard let scheme = IMEXScheme.named(spec.time.scheme) else {
            throw NS2DError.invalidCase("time.scheme '\(spec.time.scheme)' is not one of \(IMEXScheme.all.map(\.name).joined(separator: ", "))")
        }
        let grid = try PeriodicGrid(shape: [spec.grid.points, spec.grid.points], lengths: [spec.grid.length, spec.grid.length])
        let operators = try SpectralOperators(grid: grid, rigor: rigor)
        self.spec = spec
        self.effectiveParameters = p
        self.grid = grid
        self.scheme = scheme
        equation = VorticityEquation(operators: operators, viscosity: p.viscosity, drag: p.drag,
                                     forcing: InitialVorticity.forcing(spec, parameters: p, grid: grid))
        let initial = try InitialVorticity.make(spec, parameters: p, grid: grid, fileValues: initialVorticity)
        vorticitySpectrum = AlignedBuffer(count: operators.spectrumCount)
        operators.transform(initial, into: vorticitySpectrum)
        stepper = IMEXStepper(scheme, system: equation, prototype: vorticitySpectrum)
        startTime = 0

        let dx = grid.spacing(axis: 0)
        if let dt = spec.time.dt {
            timeStep = dt
        } else if let cfl = spec.time.cfl {
            let diffusive = p.viscosity > 0 ? dx * dx / (p.viscosity * 4) : .infinity
            timeStep = min(cfl.courant * dx / cfl.maxVelocity, diffusive)
        } else {
            throw NS2DError.invalidCase("time needs dt or cfl")
        }
        let outputPoints = spec.output.points ?? spec.grid.points
        outputShape = [outputPoints, outputPoints]
        outputType = spec.output.dtype ?? .float32
        guard outputType == .float32 || outputType == .float64 else {
            throw NS2DError.invalidCase("output.dtype \(outputType) is not f32 or f64")
        }
        resampler = try PeriodicResampler(finePlan: operators.plan, coarseShape: outputShape,
                                          method: spec.output.resample ?? .subsample)
        fieldSpectrum = AlignedBuffer(count: operators.spectrumCount)
        let outputCount = outputPoints * outputPoints
        doubleScratch = spec.output.fields.map { _ in Array(repeating: 0, count: outputCount) }
        floatScratch = outputType == .float32 ? spec.output.fields.map { _ in Array(repeating: 0, count: outputCount) } : []

        let speed = maximumSpeed()
        if speed > 0, timeStep * speed / dx > 1 {
            throw NS2DError.unstableStep(dt: timeStep, stable: dx / speed, viscosity: p.viscosity,
                                         points: spec.grid.points, speed: speed)
        }
    }

    private static func validate(_ spec: NS2DCase) throws {
        let p = spec.parameters
        guard spec.solver == "ns2d" else { throw NS2DError.invalidCase("solver '\(spec.solver)' is not ns2d") }
        guard spec.grid.points >= 4, spec.grid.points % 2 == 0 else {
            throw NS2DError.invalidCase("grid.points \(spec.grid.points) must be even and at least 4")
        }
        guard spec.grid.length.isFinite, spec.grid.length > 0 else {
            throw NS2DError.invalidCase("grid.length \(spec.grid.length) must be finite and positive")
        }
        guard p.viscosity.isFinite, p.viscosity >= 0 else { throw NS2DError.invalidCase("viscosity \(p.viscosity) must be finite and >= 0") }
        guard p.drag.isFinite, p.drag >= 0 else { throw NS2DError.invalidCase("drag \(p.drag) must be finite and >= 0") }
        guard p.forcingAmplitude.isFinite else { throw NS2DError.invalidCase("forcing_amplitude \(p.forcingAmplitude) must be finite") }
        if let dt = spec.time.dt, !(dt.isFinite && dt > 0) { throw NS2DError.invalidCase("time.dt \(dt) must be finite and positive") }
        if let cfl = spec.time.cfl, !(cfl.courant > 0 && cfl.maxVelocity > 0 && cfl.courant.isFinite && cfl.maxVelocity.isFinite) {
            throw NS2DError.invalidCase("time.cfl needs positive courant and max_velocity, got \(cfl.courant) and \(cfl.maxVelocity)")
        }
        if spec.time.dt != nil, spec.time.cfl != nil { throw NS2DError.invalidCase("time has both dt and cfl; give one") }
        if let t = spec.time.endTime, !(t.isFinite && t >= 0) { throw NS2DError.invalidCase("time.end_time \(t) must be finite and >= 0") }
        if let s = spec.time.steps, s < 0 { throw NS2DError.invalidCase("time.steps \(s) must be >= 0") }
        guard (spec.time.endTime == nil) != (spec.time.steps == nil) else {
            throw NS2DError.invalidCase("time needs exactly one of end_time and steps")
        }
        if let m = spec.output.points, !(1...spec.grid.points).contains(m) {
            throw NS2DError.invalidCase("output.points \(m) must be in 1...\(spec.grid.points) (grid.points)")
        }
        guard !spec.output.fields.isEmpty else { throw NS2DError.invalidCase("output.fields is empty") }
        guard Set(spec.output.fields).count == spec.output.fields.count else {
            throw NS2DError.invalidCase("output.fields \(spec.output.fields.map(\.rawValue)) lists a field twice")
        }
    }

    // MARK: Simulation

    public var time: Double { startTime + Double(step) * timeStep }

    /// Steps the case's run length asks for: `steps`, or `end_time / dt` rounded to the nearest step.
    public var plannedSteps: UInt64 {
        if let s = spec.time.steps { return UInt64(s) }
        return UInt64(max(0, ((spec.time.endTime ?? 0) / timeStep).rounded()))
    }

    public func advance() throws {
        stepper.step(vorticitySpectrum, time: time, dt: timeStep)
        step += 1
    }

    public var snapshotLayout: SnapshotLayout {
        let bounds = [AxisBounds(lower: 0, upper: grid.lengths[0]), AxisBounds(lower: 0, upper: grid.lengths[1])]
        return SnapshotLayout(geometry: .uniformGrid, spatialDims: 2, bounds: bounds,
                              fields: spec.output.fields.map { FieldDescriptor(name: $0.rawValue, dtype: outputType, shape: outputShape) })
    }

    public var parameters: [Parameter] {
        effectiveParameters.headerParameters(for: spec).map { Parameter($0.0, $0.1) }
    }

    public func nonFiniteStateField() -> String? {
        let finite = vorticitySpectrum.withUnsafeBufferPointer { s in
            s.withMemoryRebound(to: Double.self) { d in
                var sum = 0.0
                for x in d { sum += x * 0 }
                return sum == 0
            }
        }
        return finite ? nil : "vorticity"
    }

    public func withSnapshotFields<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        for (f, field) in spec.output.fields.enumerated() {
            fillSpectrum(of: field)
            doubleScratch[f].withUnsafeMutableBufferPointer { resampler.resample(spectrum: fieldSpectrum, into: $0) }
            if outputType == .float32 {
                for i in doubleScratch[f].indices { floatScratch[f][i] = Float(doubleScratch[f][i]) }
            }
        }
        return try withRawBuffers(index: 0, collected: [], body)
    }

    private func withRawBuffers<R>(index: Int, collected: [UnsafeRawBufferPointer],
                                   _ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        if index == spec.output.fields.count { return try body(collected) }
        if outputType == .float32 {
            return try floatScratch[index].withUnsafeBytes { try withRawBuffers(index: index + 1, collected: collected + [$0], body) }
        }
        return try doubleScratch[index].withUnsafeBytes { try withRawBuffers(index: index + 1, collected: collected + [$0], body) }
    }

    /// `fieldSpectrum` = the half spectrum of `field` from the vorticity.
    private func fillSpectrum(of field: NS2DCase.Field) {
        let ops = equation.operators
        let w = vorticitySpectrum, out = fieldSpectrum
        switch field {
        case .vorticity:
            out.assign(w)
        case .streamFunction:
            ops.solvePoisson(w, into: out)
        case .velocityX:
            ops.solvePoisson(w, into: out)
            ops.differentiate(out, axis: 1, into: out)
        case .velocityY:
            ops.solvePoisson(w, into: out)
            ops.differentiate(out, axis: 0, into: out)
            out.scale(by: -1)
        }
    }

    /// The largest `|u|` on the grid of the current state.
    public func maximumSpeed() -> Double {
        let ops = equation.operators
        let u = AlignedBuffer<Double>(count: grid.pointCount), v = AlignedBuffer<Double>(count: grid.pointCount)
        fillSpectrum(of: .velocityX)
        ops.inverseTransform(fieldSpectrum, into: u)
        fillSpectrum(of: .velocityY)
        ops.inverseTransform(fieldSpectrum, into: v)
        var peak = 0.0
        for i in 0..<grid.pointCount { peak = max(peak, (u[i] * u[i] + v[i] * v[i]).squareRoot()) }
        return peak
    }

    /// The vorticity on the simulation grid (a copy).
    public func vorticityField() -> [Double] {
        let field = AlignedBuffer<Double>(count: grid.pointCount)
        fieldSpectrum.assign(vorticitySpectrum)
        equation.operators.inverseTransform(fieldSpectrum, into: field)
        return Array(field)
    }

    public var cost: SimulationCost {
        let n = Double(grid.pointCount)
        let fft = 2.5 * n * log2(n)
        let stages = Double(scheme.stages)
        let spectrum = Double(equation.operators.spectrumCount)
        let flops = stages * (5 * fft + 30 * spectrum + 3 * n)
        let bytes = (12 + 3 * scheme.stages) * equation.operators.spectrumCount * 16
        // ~10 GFLOP/s: what `sluice bench ns2d` measures at 256^2 on the 2-core development machine (FFT-bound).
        return SimulationCost(flopsPerStep: flops, stateBytes: bytes, expectedFlopsPerSecond: 1e10,
                              summary: "\(scheme.stages) x (4 c2r + 1 r2c FFTs of \(grid.shapeDescription) + 4 spectral passes)")
    }
}
