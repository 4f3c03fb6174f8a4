import SolverKit

/// Everything that determines a ``ChannelFlow``'s future at a step boundary, for exact restarts: the prognostic
/// fields, the carried implicit terms `L u` (recomputing them by differentiation would differ in the last bits),
/// the clock and the step size. The explicit terms of the previous stage are not needed: the first RK3 stage has
/// `zeta = 0`. Complex fields are stored as interleaved re, im `[y][kz][kx]`.
public struct ChannelCheckpoint: Sendable, Hashable {
    public var nx: Int, ny: Int, nz: Int
    public var step: UInt64
    public var time: Double
    public var timeStep: Double
    /// `v, omega, phi, L phi, L omega`, each `2 ny nz (nx/2 + 1)` doubles.
    public var fields: [[Double]]
    /// `U, W, L U, L W`, each `ny` doubles.
    public var mean: [[Double]]
    /// The in-flight statistics accumulated so far (``ChannelStatistics/accumulators``), when the run keeps them:
    /// a restart continues the averages instead of starting them again.
    public var statistics: [String: [Double]]?

    public static let fieldNames = ["v", "omega_y", "phi", "l_phi", "l_omega_y"]
    public static let meanNames = ["mean_u", "mean_w", "l_mean_u", "l_mean_w"]

    public init(nx: Int, ny: Int, nz: Int, step: UInt64, time: Double, timeStep: Double, fields: [[Double]], mean: [[Double]],
                statistics: [String: [Double]]? = nil) {
        self.nx = nx; self.ny = ny; self.nz = nz; self.step = step; self.time = time; self.timeStep = timeStep
        self.fields = fields; self.mean = mean; self.statistics = statistics
    }
}

extension ChannelFlow {
    public func checkpoint() -> ChannelCheckpoint {
        func reals(_ b: AlignedBuffer<Complex<Double>>) -> [Double] {
            var out = [Double](repeating: 0, count: 2 * b.count)
            for i in 0..<b.count { out[2 * i] = b[i].re; out[2 * i + 1] = b[i].im }
            return out
        }
        let c = configuration
        return ChannelCheckpoint(nx: c.nx, ny: c.ny, nz: c.nz, step: step, time: time, timeStep: timeStep,
                                 fields: [v, omega, phi, lphi, lomega].map(reals),
                                 mean: [meanU, meanW, lmeanU, lmeanW])
    }

    /// Restores a checkpoint of the same grid; the next ``advance()`` continues bit for bit.
    ///
    /// - Throws: ``ChannelError/initialCondition(_:)`` when the grid or array sizes differ or a value is not finite.
    public func restore(_ point: ChannelCheckpoint) throws {
        let c = configuration
        guard point.nx == c.nx, point.ny == c.ny, point.nz == c.nz else {
            throw ChannelError.initialCondition("checkpoint grid \(point.nx)x\(point.ny)x\(point.nz) differs from the case's \(c.nx)x\(c.ny)x\(c.nz)")
        }
        guard point.fields.count == 5, point.fields.allSatisfy({ $0.count == 2 * v.count }),
              point.mean.count == 4, point.mean.allSatisfy({ $0.count == c.ny }) else {
            throw ChannelError.initialCondition("checkpoint arrays have the wrong sizes for \(c.nx)x\(c.ny)x\(c.nz)")
        }
        guard point.fields.allSatisfy({ $0.allSatisfy(\.isFinite) }), point.mean.allSatisfy({ $0.allSatisfy(\.isFinite) }),
              point.timeStep.isFinite, point.timeStep > 0, point.time.isFinite else {
            throw ChannelError.initialCondition("checkpoint holds non-finite values or a non-positive step")
        }
        for (buffer, values) in zip([v, omega, phi, lphi, lomega], point.fields) {
            for i in 0..<buffer.count { buffer[i] = Complex(values[2 * i], values[2 * i + 1]) }
        }
        meanU = point.mean[0]; meanW = point.mean[1]; lmeanU = point.mean[2]; lmeanW = point.mean[3]
        hvPrevious.fill(with: .zero); hgPrevious.fill(with: .zero)
        nuPrevious = Array(repeating: 0, count: c.ny); nwPrevious = nuPrevious
        step = point.step
        time = point.time
        timeStep = point.timeStep
        builtFor = -1
    }
}
