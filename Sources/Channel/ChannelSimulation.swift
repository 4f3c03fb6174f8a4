import Foundation
import SluiceModel
import SolverKit

/// One channel member: a ``ChannelFlow`` built from a ``ChannelCase``, with in-flight statistics and snapshots
/// filtered to the case's coarse output grid.
///
/// **Snapshot filter.** Sharp spectral truncation in x and z to the output's `nx x nz` modes (Nyquist dropped),
/// then evaluation of the Chebyshev interpolant at the output's `ny` Gauss-Lobatto points in y; transformed back
/// to physical space on the coarse grid. A field the DNS resolves exactly at the coarse resolution is reproduced
/// to rounding. Arrays are `[x][y][z]` with y ascending; the axis coordinates travel as `.axis` fields
/// (stretched grid).
public final class ChannelSimulation: Simulation {
    public let spec: ChannelCase
    public let flow: ChannelFlow
    public private(set) var statistics: ChannelStatistics
    /// Called with the statistics every `statistics.write_every` steps and at the planned last step (the runtime
    /// writes them to HDF5; the solver itself does no I/O).
    public var statisticsObserver: ((ChannelStatistics, ChannelSimulation) -> Void)?
    /// Called with a checkpoint every `checkpoint.every` steps and at the planned last step (the runtime writes it).
    public var checkpointObserver: ((ChannelCheckpoint) -> Void)?
    private let outputGrid: ChannelCase.OutputGrid
    private let outputType: DType
    private let coarsePlan: RealFFTPlan<Double>
    private let interpolation: [Double]
    private let outputY: [Double]
    private var buffers: [[Double]]
    private var floatBuffers: [[Float]]

    /// - Parameter restart: the checkpoint of a `restart` initial condition (read by the runtime).
    /// - Parameter threads: worker threads of the DNS step (``ChannelFlow/threads``).
    public init(case spec: ChannelCase, restart: ChannelCheckpoint? = nil, rigor: FFTPlanningRigor = .measure,
                threads: Int = 1) throws {
        guard spec.solver == "channel" else { throw ChannelError.invalidCase("solver '\(spec.solver)' is not channel") }
        let p = spec.parameters
        guard p.reTau.isFinite, p.reTau > 0 else { throw ChannelError.invalidCase("re_tau \(p.reTau) must be positive") }
        guard (spec.time.steps == nil) != (spec.time.endTime == nil) else {
            throw ChannelError.invalidCase("time needs exactly one of steps and end_time")
        }
        self.spec = spec
        flow = try ChannelFlow(configuration: spec.configuration(), rigor: rigor, threads: threads)
        switch spec.initialCondition.kind {
        case .laminar:
            flow.setMeanFlow(flow.laminarProfile())
        case .perturbedLaminar:
            flow.setMeanFlow(flow.laminarProfile())
            flow.addRandomPerturbation(amplitude: p.perturbation, seed: p.seed)
        case .turbulent:
            flow.setMeanFlow(flow.y.map { Self.reichardt(yPlus: (1 - abs($0)) * p.reTau) })
            flow.addRandomPerturbation(amplitude: p.perturbation, seed: p.seed)
        case .restart:
            guard let restart else { throw ChannelError.initialCondition("initial_condition restart needs a checkpoint (path)") }
            try flow.restore(restart)
        }
        statistics = ChannelStatistics(flow: flow)
        if let saved = restart?.statistics, spec.statistics != nil { try statistics.restore(saved) }
        outputGrid = spec.output.grid ?? .init(nx: spec.grid.nx, ny: spec.grid.ny, nz: spec.grid.nz)
        let o = outputGrid
        guard o.nx >= 2, o.nx % 2 == 0, o.nx <= spec.grid.nx, o.nz >= 2, o.nz % 2 == 0, o.nz <= spec.grid.nz,
              o.ny >= 2, o.ny <= spec.grid.ny else {
            throw ChannelError.invalidCase("output.grid \(o.nx)x\(o.ny)x\(o.nz) must be even in x, z and no finer than the DNS grid \(spec.grid.nx)x\(spec.grid.ny)x\(spec.grid.nz)")
        }
        outputType = spec.output.dtype ?? .float32
        guard outputType == .float32 || outputType == .float64 else {
            throw ChannelError.invalidCase("output.dtype \(outputType) is not f32 or f64")
        }
        guard !spec.output.fields.isEmpty, Set(spec.output.fields).count == spec.output.fields.count else {
            throw ChannelError.invalidCase("output.fields must list each field at most once and not be empty")
        }
        coarsePlan = try RealFFTPlan<Double>(shape: [o.nz, o.nx], rigor: rigor)
        outputY = o.ny == 1 ? [0] : Chebyshev.points(o.ny - 1).reversed()
        interpolation = Chebyshev.interpolationMatrix(flow.n, to: outputY)
        let count = o.nx * o.ny * o.nz
        let axes = [o.nx, o.ny, o.nz]
        buffers = axes.map { [Double](repeating: 0, count: $0) } + spec.output.fields.map { _ in [Double](repeating: 0, count: count) }
        floatBuffers = buffers.map { [Float](repeating: 0, count: $0.count) }
        for ix in 0..<o.nx { buffers[0][ix] = Double(ix) * spec.grid.lx / Double(o.nx) }
        buffers[1] = outputY
        for iz in 0..<o.nz { buffers[2][iz] = Double(iz) * spec.grid.lz / Double(o.nz) }
    }

    /// Reichardt's mean-velocity law `U+(y+)`, a smooth turbulent profile for initial conditions.
    public static func reichardt(yPlus: Double) -> Double {
        let kappa = 0.41
        return log(1 + kappa * yPlus) / kappa + 7.8 * (1 - exp(-yPlus / 11) - yPlus / 11 * exp(-yPlus / 3))
    }

    public var plannedSteps: UInt64 {
        if let s = spec.time.steps { return UInt64(max(0, s)) }
        return UInt64(max(0, ((spec.time.endTime ?? 0) / spec.time.dt).rounded()))
    }

    // MARK: Simulation

    public var step: UInt64 { flow.step }
    public var time: Double { flow.time }
    public var timeStep: Double { flow.timeStep }

    public func advance() throws {
        flow.advance()
        if let s = spec.statistics, s.every > 0, flow.step % UInt64(s.every) == 0, flow.time >= (s.startTime ?? 0) {
            statistics.accumulate(flow)
        }
        if let observer = statisticsObserver, let s = spec.statistics {
            let every = UInt64(max(1, s.writeEvery ?? 1000))
            if flow.step % every == 0 || flow.step == plannedSteps { observer(statistics, self) }
        }
        if let observer = checkpointObserver, let c = spec.checkpoint,
           flow.step % UInt64(max(1, c.every)) == 0 || flow.step == plannedSteps {
            var point = flow.checkpoint()
            if spec.statistics != nil { point.statistics = statistics.accumulators }
            observer(point)
        }
    }

    public var snapshotLayout: SnapshotLayout {
        let o = outputGrid
        let shape = [o.nx, o.ny, o.nz]
        var fields = [FieldDescriptor(name: "x", dtype: outputType, shape: [o.nx], role: .axis),
                      FieldDescriptor(name: "y", dtype: outputType, shape: [o.ny], role: .axis),
                      FieldDescriptor(name: "z", dtype: outputType, shape: [o.nz], role: .axis)]
        fields += spec.output.fields.map { FieldDescriptor(name: $0.rawValue, dtype: outputType, shape: shape) }
        return SnapshotLayout(geometry: .stretchedGrid, spatialDims: 3,
                              bounds: [AxisBounds(lower: 0, upper: spec.grid.lx), AxisBounds(lower: -1, upper: 1),
                                       AxisBounds(lower: 0, upper: spec.grid.lz)], fields: fields)
    }

    public var parameters: [Parameter] {
        let p = spec.parameters
        var list = [Parameter("re_tau", p.reTau)]
        if spec.driving == .flowRate { list.append(Parameter("bulk_velocity", p.bulkVelocity)) }
        if spec.initialCondition.kind != .laminar {
            list.append(Parameter("perturbation", p.perturbation))
            list.append(Parameter("seed", Double(p.seed)))
        }
        return list
    }

    public func nonFiniteStateField() -> String? {
        if !flow.meanU.allSatisfy(\.isFinite) { return "mean_u" }
        var sum = 0.0
        for i in 0..<flow.v.count { sum += flow.v[i].re * 0 + flow.omega[i].re * 0 }
        return sum == 0 ? nil : "velocity"
    }

    public func withSnapshotFields<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        let spectra = flow.velocitySpectra()
        for (f, field) in spec.output.fields.enumerated() {
            let source: [Complex<Double>]
            switch field {
            case .velocityX: source = spectra.u
            case .velocityY: source = spectra.v
            case .velocityZ: source = spectra.w
            case .pressure: source = flow.pressureSpectrum()
            }
            filter(source, into: &buffers[3 + f])
        }
        if outputType == .float32 {
            for b in buffers.indices { for i in buffers[b].indices { floatBuffers[b][i] = Float(buffers[b][i]) } }
        }
        return try withRawBuffers(index: 0, collected: [], body)
    }

    private func withRawBuffers<R>(index: Int, collected: [UnsafeRawBufferPointer],
                                   _ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        if index == buffers.count { return try body(collected) }
        if outputType == .float32 {
            return try floatBuffers[index].withUnsafeBytes { try withRawBuffers(index: index + 1, collected: collected + [$0], body) }
        }
        return try buffers[index].withUnsafeBytes { try withRawBuffers(index: index + 1, collected: collected + [$0], body) }
    }

    /// Spectral truncation in x, z and Chebyshev interpolation in y of one `[y][kz][kx]` spectrum to `[x][y][z]`.
    func filter(_ spectrum: [Complex<Double>], into out: inout [Double]) {
        let o = outputGrid
        let nkx = flow.nkx, nz = flow.configuration.nz, ny = flow.configuration.ny, pairs = flow.pairs
        let okx = o.nx / 2 + 1
        for jo in 0..<o.ny {
            coarsePlan.spectrum.fill(with: .zero)
            for j in 0..<ny {
                let weight = interpolation[jo * ny + j]
                if weight == 0 { continue }
                for jz in 0..<o.nz where jz != o.nz / 2 {
                    let source = jz < o.nz / 2 ? jz : jz + (nz - o.nz)
                    for ix in 0..<(o.nx / 2) {
                        coarsePlan.spectrum[jz * okx + ix] += weight * spectrum[j * pairs + source * nkx + ix]
                    }
                }
            }
            coarsePlan.inverse()
            for iz in 0..<o.nz {
                for ix in 0..<o.nx { out[(ix * o.ny + jo) * o.nz + iz] = coarsePlan.real[iz * o.nx + ix] }
            }
        }
    }

    public var cost: SimulationCost {
        let c = flow.configuration
        let padded = Double(flow.paddedX * flow.paddedZ)
        let fft = 2.5 * padded * log2(max(2, padded)) * 9 * Double(c.ny)
        let dct = 4 * 2 * 2.5 * Double(c.ny) * log2(Double(c.ny)) * Double(2 * flow.pairs)
        let solves = 3 * 2 * Double(c.ny * c.ny) * Double(2 * flow.pairs)   // 3 solves, 4 dgemm of order ny/2
        let flops = 3 * (fft + dct + solves)
        let bytes = 25 * c.ny * flow.pairs * 16 + 3 * 2 * c.ny * flow.pairs * 8
        // ~14 GFLOP/s of this count: `sluice bench channel` measured 1.1 s per step at 128x129x128 (docs/benchmarks.md).
        return SimulationCost(flopsPerStep: flops, stateBytes: bytes, expectedFlopsPerSecond: 1.4e10,
                              summary: "3 stages x (9 padded 2-D FFTs of \(flow.paddedZ)x\(flow.paddedX) per y plane + 4 DCT-I derivatives + 3 Chebyshev Helmholtz solves) on \(c.nx)x\(c.ny)x\(c.nz)")
    }
}
