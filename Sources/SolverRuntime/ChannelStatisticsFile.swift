import Channel
import Foundation
import HDF5

/// Channel statistics in HDF5: the wall-unit profiles folded onto one half-channel (`y_plus`, `u_plus`, `u_rms`,
/// `v_rms`, `w_rms`, `uv_plus`), the raw averages over the whole height (`y`, `mean_u`, `mean_w`, `uu`, `vv`,
/// `ww`, `uv`), the 1-D spectra `spectrum_x_{uu,vv,ww}` `[y][kx]` and `spectrum_z_*` `[y][kz]` with `kx`, `kz`,
/// and attributes `re_tau` (from the wall shear), `samples`, `first_time`, `last_time`, `viscosity`, `case`.
public enum ChannelStatisticsFile {
    /// - Parameter current: the instantaneous state (`current_time`, `current_re_tau`, `current_bulk_velocity`,
    ///   `current_fluctuation_energy` attributes), to follow spin-up before averaging starts.
    public static func write(_ s: ChannelStatistics, caseName: String, current: ChannelSimulation? = nil,
                             to path: String) throws {
        let temporary = path + ".partial"
        let file = try File(creating: temporary, overwrite: true)
        let count = Double(max(1, s.samples))
        let wall = s.wallUnits()
        func put(_ name: String, _ values: [Double], shape: [Int]? = nil) throws {
            let d = try file.createDataset(name, of: Double.self, shape: shape ?? [values.count])
            try d.write(values)
        }
        try put("y_plus", wall.yPlus)
        try put("u_plus", wall.uPlus)
        try put("u_rms", wall.uRms)
        try put("v_rms", wall.vRms)
        try put("w_rms", wall.wRms)
        try put("uv_plus", wall.uvPlus)
        try put("y", s.y)
        try put("mean_u", s.sumU.map { $0 / count })
        try put("mean_w", s.sumW.map { $0 / count })
        try put("uu", s.sumUU.map { $0 / count })
        try put("vv", s.sumVV.map { $0 / count })
        try put("ww", s.sumWW.map { $0 / count })
        try put("uv", s.sumUV.map { $0 / count })
        try put("kx", s.kx)
        try put("kz", s.kz)
        for (c, name) in ["uu", "vv", "ww"].enumerated() {
            try put("spectrum_x_\(name)", s.sumSpectraX[c].map { $0 / count }, shape: [s.y.count, s.kx.count])
            try put("spectrum_z_\(name)", s.sumSpectraZ[c].map { $0 / count }, shape: [s.y.count, s.kz.count])
        }
        try file.setAttribute("re_tau", to: s.reTau)
        try file.setAttribute("samples", to: Int64(s.samples))
        try file.setAttribute("first_time", to: s.firstTime)
        try file.setAttribute("last_time", to: s.lastTime)
        try file.setAttribute("viscosity", to: s.viscosity)
        try file.setAttribute("case", to: caseName)
        if let flow = current?.flow {
            let shear = flow.wallShear
            try file.setAttribute("current_time", to: flow.time)
            try file.setAttribute("current_re_tau", to: (max(0, 0.5 * (shear.lower + shear.upper))).squareRoot() / flow.configuration.viscosity)
            try file.setAttribute("current_bulk_velocity", to: flow.bulkVelocity)
            try file.setAttribute("current_fluctuation_energy", to: flow.fluctuationEnergy())
        }
        try file.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// The folded wall-unit profiles and attributes of a statistics file.
    public struct Summary: Sendable {
        public var yPlus: [Double], uPlus: [Double], uRms: [Double], vRms: [Double], wRms: [Double], uvPlus: [Double]
        public var reTau: Double, samples: Int, firstTime: Double, lastTime: Double
    }

    public static func read(_ path: String) throws -> Summary {
        let file = try File(opening: path)
        defer { try? file.close() }
        func get(_ name: String) throws -> [Double] { try file.openDataset(name).read(as: Double.self) }
        return Summary(yPlus: try get("y_plus"), uPlus: try get("u_plus"), uRms: try get("u_rms"), vRms: try get("v_rms"),
                       wRms: try get("w_rms"), uvPlus: try get("uv_plus"),
                       reTau: try file.attribute("re_tau", as: Double.self),
                       samples: Int(try file.attribute("samples", as: Int64.self)),
                       firstTime: try file.attribute("first_time", as: Double.self),
                       lastTime: try file.attribute("last_time", as: Double.self))
    }
}
