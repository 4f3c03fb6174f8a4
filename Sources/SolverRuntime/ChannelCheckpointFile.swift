import Channel
import Foundation
import HDF5

/// Channel checkpoints in HDF5: datasets `v`, `omega_y`, `phi`, `l_phi`, `l_omega_y` (`[ny][nz][nx/2+1][2]`,
/// re/im), `mean_u`, `mean_w`, `l_mean_u`, `l_mean_w` (`[ny]`), attributes `nx`, `ny`, `nz`, `step`, `time`,
/// `time_step`; with statistics, `statistics_<name>` for each of ``ChannelStatistics/accumulatorNames``.
/// Written to `PATH.partial` and renamed, so a crash never leaves a torn checkpoint.
public enum ChannelCheckpointFile {
    public static func write(_ point: ChannelCheckpoint, to path: String) throws {
        let temporary = path + ".partial"
        let file = try File(creating: temporary, overwrite: true)
        let shape = [point.ny, point.nz, point.nx / 2 + 1, 2]
        for (name, values) in zip(ChannelCheckpoint.fieldNames, point.fields) {
            try file.createDataset(name, of: Double.self, shape: shape).write(values)
        }
        for (name, values) in zip(ChannelCheckpoint.meanNames, point.mean) {
            try file.createDataset(name, of: Double.self, shape: [point.ny]).write(values)
        }
        if let statistics = point.statistics {
            for name in ChannelStatistics.accumulatorNames {
                let values = statistics[name] ?? []
                try file.createDataset("statistics_\(name)", of: Double.self, shape: [values.count]).write(values)
            }
        }
        try file.setAttribute("nx", to: Int64(point.nx))
        try file.setAttribute("ny", to: Int64(point.ny))
        try file.setAttribute("nz", to: Int64(point.nz))
        try file.setAttribute("step", to: Int64(point.step))
        try file.setAttribute("time", to: point.time)
        try file.setAttribute("time_step", to: point.timeStep)
        try file.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// - Throws: ``SolverRuntimeError/initialCondition(_:)`` naming the file when it cannot be read.
    public static func read(_ path: String) throws -> ChannelCheckpoint {
        do {
            let file = try File(opening: path)
            defer { try? file.close() }
            let fields = try ChannelCheckpoint.fieldNames.map { try file.openDataset($0).read(as: Double.self) }
            let mean = try ChannelCheckpoint.meanNames.map { try file.openDataset($0).read(as: Double.self) }
            var statistics: [String: [Double]]?
            if try file.exists("statistics_counters") {
                var saved: [String: [Double]] = [:]
                for name in ChannelStatistics.accumulatorNames {
                    saved[name] = try file.openDataset("statistics_\(name)").read(as: Double.self)
                }
                statistics = saved
            }
            let step = try file.attribute("step", as: Int64.self)
            guard step >= 0 else { throw SolverRuntimeError.initialCondition("checkpoint \(path): negative step \(step)") }
            return ChannelCheckpoint(nx: Int(try file.attribute("nx", as: Int64.self)), ny: Int(try file.attribute("ny", as: Int64.self)),
                                     nz: Int(try file.attribute("nz", as: Int64.self)), step: UInt64(step),
                                     time: try file.attribute("time", as: Double.self),
                                     timeStep: try file.attribute("time_step", as: Double.self), fields: fields, mean: mean,
                                     statistics: statistics)
        } catch let error as SolverRuntimeError {
            throw error
        } catch {
            throw SolverRuntimeError.initialCondition("cannot read the channel checkpoint \(path): \(error)")
        }
    }
}
