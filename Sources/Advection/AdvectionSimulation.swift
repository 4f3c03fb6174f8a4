import Foundation
import SluiceModel
import SolverKit

/// One 2-D advection member: the case's initial shape carried by its flow with the chosen scheme, at a fixed
/// step set by the Courant number (shortened so that `end_time` is reached exactly).
public final class AdvectionSimulation: Simulation {
    public let spec: AdvectionCase
    public let grid: PeriodicGrid
    public let tableau: ButcherTableau
    public private(set) var step: UInt64 = 0
    public let timeStep: Double
    /// Steps to the case's end.
    public let plannedSteps: UInt64

    private let velocity: VelocityField
    private let stepping: any AdvectionStepping
    private let outputType: DType
    private let fields: [AdvectionCase.Field]
    private var doubleScratch: [Double]
    private let outputPoints: (x: [Double], y: [Double])

    /// - Throws: ``AdvectionError`` naming invalid values or an unsupported flow/scheme pair; ``FFTError`` if a
    ///   spectral plan cannot be made.
    public init(case spec: AdvectionCase, rigor: FFTPlanningRigor = .measure) throws {
        try Self.validate(spec)
        let p = spec.parameters, n = spec.grid.points, length = spec.grid.length
        self.spec = spec
        grid = try PeriodicGrid(shape: [n, n], lengths: [length, length])
        velocity = VelocityField(flow: spec.flow, parameters: p, length: length)
        let method = spec.scheme.method
        let stepperName = spec.scheme.timeStepper ?? (method == .spectral ? "rk4" : "ssp-rk3")
        guard let tableau = ButcherTableau.named(stepperName) else {
            throw AdvectionError.invalidCase("scheme.time_stepper '\(stepperName)' is not one of \(ButcherTableau.all.map(\.name).joined(separator: ", "))")
        }
        self.tableau = tableau
        let courant = spec.scheme.courant ?? (method == .spectral ? 0.5 : 0.4)
        let speed: Double
        switch method {
        case .finiteVolume:
            let fv = FiniteVolumeStepping(cells: n, length: length, velocity: velocity,
                                          limiter: spec.scheme.limiter ?? .monotonizedCentral, tableau: tableau,
                                          initial: spec.initialCondition.cellAverages(cells: n, length: length, p))
            speed = fv.system.maximumSpeedSum
            stepping = fv
            outputPoints = (grid.cellCentres(axis: 0), grid.cellCentres(axis: 1))
        case .spectral:
            guard velocity.isPeriodic else {
                throw AdvectionError.unsupported("the spectral scheme needs a periodic flow (translation or swirl); flow '\(spec.flow.rawValue)' is not periodic on the torus")
            }
            let operators = try SpectralOperators(grid: grid, rigor: rigor)
            let sp = SpectralStepping(operators: operators, velocity: velocity, tableau: tableau,
                                      initial: spec.initialCondition.pointValues(points: n, length: length, p))
            speed = sp.system.maximumSpeedSum
            stepping = sp
            outputPoints = (grid.coordinates(axis: 0), grid.coordinates(axis: 1))
        }
        let h = length / Double(n)
        let stable = speed > 0 ? courant * h / speed : (spec.time.endTime ?? 1)
        if let end = spec.time.endTime {
            let steps = end > 0 ? max(1, (end / stable).rounded(.up)) : 0
            plannedSteps = UInt64(steps)
            timeStep = steps > 0 ? end / steps : stable
        } else {
            plannedSteps = UInt64(spec.time.steps ?? 0)
            timeStep = stable
        }
        outputType = spec.output.dtype ?? .float32
        guard outputType == .float32 || outputType == .float64 else {
            throw AdvectionError.invalidCase("output.dtype \(outputType) is not f32 or f64")
        }
        fields = spec.output.fields ?? [.tracer]
        doubleScratch = Array(repeating: 0, count: n * n)
    }

    private static func validate(_ spec: AdvectionCase) throws {
        let p = spec.parameters
        guard spec.solver == "advection" else { throw AdvectionError.invalidCase("solver '\(spec.solver)' is not advection") }
        guard spec.grid.points >= 4 else { throw AdvectionError.invalidCase("grid.points \(spec.grid.points) must be at least 4") }
        guard spec.grid.length.isFinite, spec.grid.length > 0 else {
            throw AdvectionError.invalidCase("grid.length \(spec.grid.length) must be finite and positive")
        }
        if let c = spec.scheme.courant, !(c.isFinite && c > 0) {
            throw AdvectionError.invalidCase("scheme.courant \(c) must be finite and positive")
        }
        if spec.scheme.method == .finiteVolume, let c = spec.scheme.courant, c > 0.5 {
            throw AdvectionError.invalidCase("scheme.courant \(c) exceeds 0.5, the limit under which the limited finite-volume scheme creates no new extrema")
        }
        guard (spec.time.endTime == nil) != (spec.time.steps == nil) else {
            throw AdvectionError.invalidCase("time needs exactly one of end_time and steps")
        }
        if let t = spec.time.endTime, !(t.isFinite && t >= 0) { throw AdvectionError.invalidCase("time.end_time \(t) must be finite and >= 0") }
        if let s = spec.time.steps, s < 0 { throw AdvectionError.invalidCase("time.steps \(s) must be >= 0") }
        if spec.flow == .swirl, !(p.swirlPeriod.isFinite && p.swirlPeriod > 0) {
            throw AdvectionError.invalidCase("swirl_period \(p.swirlPeriod) must be finite and positive")
        }
        for (name, value) in [("radius", p.radius), ("width", p.width)] where !(value.isFinite && value > 0) {
            throw AdvectionError.invalidCase("\(name) \(value) must be finite and positive")
        }
        let values = [p.velocityX, p.velocityY, p.angularVelocity, p.rotationCentreX, p.rotationCentreY, p.centreX,
                      p.centreY, p.amplitude, p.slotWidth, p.slotLength]
        if let bad = values.first(where: { !$0.isFinite }) { throw AdvectionError.invalidCase("parameter value \(bad) is not finite") }
        if let fields = spec.output.fields, fields.isEmpty || Set(fields).count != fields.count {
            throw AdvectionError.invalidCase("output.fields \(fields.map(\.rawValue)) must be non-empty without repeats")
        }
    }

    // MARK: Simulation

    public var time: Double { Double(step) * timeStep }

    public func advance() throws {
        stepping.advance(time: time, dt: timeStep)
        step += 1
    }

    /// `sum q h^2`: the conserved mass.
    public var mass: Double { stepping.mass }

    /// The tracer on the output points (cell centres for finite volume, grid points for spectral).
    public func tracer() -> [Double] {
        var values = Array(repeating: 0.0, count: grid.pointCount)
        values.withUnsafeMutableBufferPointer { stepping.values(into: $0) }
        return values
    }

    public var snapshotLayout: SnapshotLayout {
        let n = spec.grid.points
        return SnapshotLayout(geometry: .uniformGrid, spatialDims: 2,
                              bounds: [AxisBounds(lower: 0, upper: spec.grid.length), AxisBounds(lower: 0, upper: spec.grid.length)],
                              fields: fields.map { FieldDescriptor(name: $0.rawValue, dtype: outputType, shape: [n, n]) })
    }

    public var parameters: [Parameter] {
        spec.parameters.headerParameters(for: spec).map { Parameter($0.0, $0.1) }
    }

    public func nonFiniteStateField() -> String? { stepping.isFinite ? nil : "tracer" }

    public func withSnapshotFields<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        let n = spec.grid.points, g = velocity.timeFactor(time)
        var arrays: [[Double]] = []
        for field in fields {
            switch field {
            case .tracer:
                doubleScratch.withUnsafeMutableBufferPointer { stepping.values(into: $0) }
                arrays.append(doubleScratch)
            case .velocityX, .velocityY:
                var values = Array(repeating: 0.0, count: n * n)
                for i in 0..<n {
                    for j in 0..<n {
                        let w = velocity.pointVelocity(outputPoints.x[i], outputPoints.y[j])
                        values[i * n + j] = g * (field == .velocityX ? w.u : w.v)
                    }
                }
                arrays.append(values)
            }
        }
        if outputType == .float64 { return try Self.withBytes(arrays, index: 0, collected: [], body) }
        return try Self.withBytes(arrays.map { $0.map(Float.init) }, index: 0, collected: [], body)
    }

    private static func withBytes<T, R>(_ arrays: [[T]], index: Int, collected: [UnsafeRawBufferPointer],
                                        _ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        if index == arrays.count { return try body(collected) }
        return try arrays[index].withUnsafeBytes { try withBytes(arrays, index: index + 1, collected: collected + [$0], body) }
    }

    public var cost: SimulationCost {
        let cells = Double(grid.pointCount), stages = Double(tableau.stages)
        switch spec.scheme.method {
        case .finiteVolume:
            return SimulationCost(flopsPerStep: stages * 45 * cells, stateBytes: (6 + tableau.stages) * grid.pointCount * 8,
                                  expectedFlopsPerSecond: 3.5e9,  // measured by `sluice bench advection` at 512^2
                                  summary: "\(tableau.stages) x (slopes, upwind fluxes, divergence) over \(grid.shapeDescription) cells")
        case .spectral:
            let fft = 2.5 * cells * log2(cells)
            return SimulationCost(flopsPerStep: stages * (3 * fft + 20 * cells), stateBytes: (8 + 2 * tableau.stages) * grid.pointCount * 8,
                                  expectedFlopsPerSecond: 6e9,  // measured by `sluice bench advection` at 512^2
                                  summary: "\(tableau.stages) x (1 c2r + 2 r2c FFTs of \(grid.shapeDescription) + 4 passes)")
        }
    }
}

/// The state and stepper of one discretisation, behind one interface.
protocol AdvectionStepping: AnyObject {
    func advance(time: Double, dt: Double)
    /// The tracer's values at the output points.
    func values(into output: UnsafeMutableBufferPointer<Double>)
    var mass: Double { get }
    var isFinite: Bool { get }
}

final class FiniteVolumeStepping: AdvectionStepping {
    let system: FiniteVolumeAdvection
    let state: AlignedBuffer<Double>
    let stepper: ExplicitRungeKutta<FiniteVolumeAdvection>
    let cellArea: Double

    init(cells n: Int, length: Double, velocity: VelocityField, limiter: SlopeLimiter, tableau: ButcherTableau, initial: [Double]) {
        system = FiniteVolumeAdvection(cells: n, length: length, velocity: velocity, limiter: limiter)
        state = AlignedBuffer(initial)
        stepper = ExplicitRungeKutta(tableau, system: system, prototype: state)
        cellArea = (length / Double(n)) * (length / Double(n))
    }

    func advance(time: Double, dt: Double) { stepper.step(state, time: time, dt: dt) }
    func values(into output: UnsafeMutableBufferPointer<Double>) {
        state.withUnsafeBufferPointer { _ = output.update(fromContentsOf: $0) }
    }
    var mass: Double { state.reduce(0, +) * cellArea }
    var isFinite: Bool { state.reduce(0) { $0 + $1 * 0 } == 0 }
}

final class SpectralStepping: AdvectionStepping {
    let system: SpectralAdvection
    let state: AlignedBuffer<Complex<Double>>
    let stepper: ExplicitRungeKutta<SpectralAdvection>
    private let scratch: AlignedBuffer<Complex<Double>>
    private let field: AlignedBuffer<Double>

    init(operators: SpectralOperators, velocity: VelocityField, tableau: ButcherTableau, initial: [Double]) {
        system = SpectralAdvection(operators: operators, velocity: velocity)
        state = AlignedBuffer(count: operators.spectrumCount)
        operators.transform(AlignedBuffer(initial), into: state)
        stepper = ExplicitRungeKutta(tableau, system: system, prototype: state)
        scratch = AlignedBuffer(count: operators.spectrumCount)
        field = AlignedBuffer(count: operators.realCount)
    }

    func advance(time: Double, dt: Double) { stepper.step(state, time: time, dt: dt) }
    func values(into output: UnsafeMutableBufferPointer<Double>) {
        scratch.assign(state)
        system.operators.inverseTransform(scratch, into: field)
        field.withUnsafeBufferPointer { _ = output.update(fromContentsOf: $0) }
    }
    /// `sum q h^2 = q_hat_0 / N * L^2`.
    var mass: Double {
        let grid = system.operators.grid
        return state[0].re / Double(grid.pointCount) * grid.lengths[0] * grid.lengths[1]
    }
    var isFinite: Bool { state.reduce(0) { $0 + $1.re * 0 + $1.im * 0 } == 0 }
}
