import SolverKit

/// Time averages accumulated in flight (Moser, Kim & Mansour 1999 quantities), in the units of the run; the
/// wall-unit view (``wallUnits()``) scales them by the measured friction velocity.
///
/// Averages are over `x`, `z`, the samples taken, and (in ``wallUnits()``) the two channel halves folded onto
/// `y+ = (1 - |y|) Re_tau`. Fluctuations are taken about the plane average of each sample: `<u'u'>` is the sum of
/// `|u_hat|^2` over all modes but `(0, 0)` (Parseval, doubled for `kx > 0`).
public struct ChannelStatistics: Sendable, Hashable {
    public var samples = 0
    public var firstTime = 0.0
    public var lastTime = 0.0
    public let y: [Double]
    public let viscosity: Double
    public let kx: [Double]
    public let kz: [Double]
    /// Sums over samples, one value per y point.
    public var sumU: [Double]
    public var sumW: [Double]
    public var sumUU: [Double]
    public var sumVV: [Double]
    public var sumWW: [Double]
    public var sumUV: [Double]
    /// Sums of one-sided 1-D spectra, `[y][kx]` and `[y][kz >= 0]`, of u, v, w (component-major).
    public var sumSpectraX: [[Double]]
    public var sumSpectraZ: [[Double]]
    /// Sum of the wall shear `nu dU/dy`, averaged over both walls.
    public var sumWallShear = 0.0

    public init(flow: ChannelFlow) {
        y = flow.y
        viscosity = flow.configuration.viscosity
        kx = Array(flow.kx.prefix(flow.nkx - 1))
        kz = (0..<(flow.configuration.nz / 2)).map { 2 * Double.pi * Double($0) / flow.configuration.lz }
        let zero = [Double](repeating: 0, count: flow.configuration.ny)
        sumU = zero; sumW = zero; sumUU = zero; sumVV = zero; sumWW = zero; sumUV = zero
        sumSpectraX = (0..<3).map { _ in [Double](repeating: 0, count: flow.configuration.ny * (flow.nkx - 1)) }
        sumSpectraZ = (0..<3).map { _ in [Double](repeating: 0, count: flow.configuration.ny * (flow.configuration.nz / 2)) }
    }

    /// Adds the current state of `flow` as one sample.
    public mutating func accumulate(_ flow: ChannelFlow) {
        flow.computeVelocitySpectra()
        let pairs = flow.pairs, nkx = flow.nkx, nz = flow.configuration.nz
        let mx = nkx - 1, mz = nz / 2
        if samples == 0 { firstTime = flow.time }
        lastTime = flow.time
        samples += 1
        for j in 0...flow.n {
            sumU[j] += flow.meanU[j]
            sumW[j] += flow.meanW[j]
            var uu = 0.0, vv = 0.0, ww = 0.0, uv = 0.0
            for p in 0..<pairs where flow.active[p] {
                let i = j * pairs + p
                let ix = p % nkx, jz = p / nkx
                let weight = ix == 0 ? 1.0 : 2.0
                let eu = weight * flow.uHat[i].lengthSquared
                let ev = weight * flow.v[i].lengthSquared
                let ew = weight * flow.wHat[i].lengthSquared
                uu += eu; vv += ev; ww += ew
                uv += weight * (flow.uHat[i].re * flow.v[i].re + flow.uHat[i].im * flow.v[i].im)
                if ix < mx {
                    sumSpectraX[0][j * mx + ix] += eu
                    sumSpectraX[1][j * mx + ix] += ev
                    sumSpectraX[2][j * mx + ix] += ew
                }
                let az = jz <= nz / 2 ? jz : nz - jz
                if az < mz {
                    sumSpectraZ[0][j * mz + az] += eu
                    sumSpectraZ[1][j * mz + az] += ev
                    sumSpectraZ[2][j * mz + az] += ew
                }
            }
            sumUU[j] += uu; sumVV[j] += vv; sumWW[j] += ww; sumUV[j] += uv
        }
        let shear = flow.wallShear
        sumWallShear += 0.5 * (shear.lower + shear.upper)
    }

    /// Friction Reynolds number from the averaged wall shear: `Re_tau = sqrt(tau_w) h / nu` (`h = 1`).
    public var reTau: Double { samples > 0 ? (max(0, sumWallShear / Double(samples))).squareRoot() / viscosity : 0 }

    /// Profiles folded onto the lower half-channel in wall units (`y+` from the wall), `ny / 2 + 1` points.
    public struct WallProfile: Sendable, Hashable {
        public var yPlus: [Double]
        public var uPlus: [Double]
        public var uRms: [Double]
        public var vRms: [Double]
        public var wRms: [Double]
        public var uvPlus: [Double]
    }

    public func wallUnits() -> WallProfile {
        let count = Double(max(samples, 1))
        let uTau = max(1e-300, (max(0, sumWallShear / count)).squareRoot())
        let n = y.count - 1
        var profile = WallProfile(yPlus: [], uPlus: [], uRms: [], vRms: [], wRms: [], uvPlus: [])
        // Lower wall is row n (y = -1); its mirror is row n - j... j from n down to n/2.
        for j in stride(from: n, through: (n + 1) / 2, by: -1) {
            let m = n - j
            profile.yPlus.append((1 + y[j]) * uTau / viscosity)
            profile.uPlus.append(0.5 * (sumU[j] + sumU[m]) / count / uTau)
            profile.uRms.append((0.5 * (sumUU[j] + sumUU[m]) / count).squareRoot() / uTau)
            profile.vRms.append((0.5 * (sumVV[j] + sumVV[m]) / count).squareRoot() / uTau)
            profile.wRms.append((0.5 * (sumWW[j] + sumWW[m]) / count).squareRoot() / uTau)
            // <u'v'> is antisymmetric about the centreline.
            profile.uvPlus.append(0.5 * (sumUV[j] - sumUV[m]) / count / (uTau * uTau))
        }
        return profile
    }
}

extension ChannelStatistics {
    /// Names of ``accumulators``.
    public static let accumulatorNames = [
        "counters", "sum_u", "sum_w", "sum_uu", "sum_vv", "sum_ww", "sum_uv",
        "sum_spectrum_x_uu", "sum_spectrum_x_vv", "sum_spectrum_x_ww",
        "sum_spectrum_z_uu", "sum_spectrum_z_vv", "sum_spectrum_z_ww",
    ]

    /// Everything accumulated so far, by name, for checkpoints: `counters` is `[samples, first time, last time,
    /// sum of the wall shear]`, the others are the sums of the same names.
    public var accumulators: [String: [Double]] {
        let arrays = [sumU, sumW, sumUU, sumVV, sumWW, sumUV] + sumSpectraX + sumSpectraZ
        var out = ["counters": [Double(samples), firstTime, lastTime, sumWallShear]]
        for (name, values) in zip(Self.accumulatorNames.dropFirst(), arrays) { out[name] = values }
        return out
    }

    /// Continues from the ``accumulators`` of a checkpoint of the same grid.
    ///
    /// - Throws: ``ChannelError/initialCondition(_:)`` when a name is missing, a size differs or a value is not
    ///   finite.
    public mutating func restore(_ saved: [String: [Double]]) throws(ChannelError) {
        let current = accumulators
        for name in Self.accumulatorNames {
            guard let values = saved[name], let expected = current[name], values.count == expected.count else {
                throw .initialCondition("checkpoint statistics '\(name)' is missing or has the wrong size")
            }
            guard values.allSatisfy(\.isFinite) else {
                throw .initialCondition("checkpoint statistics '\(name)' holds non-finite values")
            }
        }
        let counters = saved["counters"] ?? []
        guard counters[0] >= 0, counters[0] < Double(Int.max) else {
            throw .initialCondition("checkpoint statistics: sample count \(counters[0]) is not valid")
        }
        samples = Int(counters[0]); firstTime = counters[1]; lastTime = counters[2]; sumWallShear = counters[3]
        func array(_ name: String) -> [Double] { saved[name] ?? [] }
        sumU = array("sum_u"); sumW = array("sum_w")
        sumUU = array("sum_uu"); sumVV = array("sum_vv"); sumWW = array("sum_ww"); sumUV = array("sum_uv")
        sumSpectraX = ["uu", "vv", "ww"].map { array("sum_spectrum_x_\($0)") }
        sumSpectraZ = ["uu", "vv", "ww"].map { array("sum_spectrum_z_\($0)") }
    }
}
