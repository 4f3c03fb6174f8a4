import Channel
import Foundation
import SolverKit
import SolverRuntime
import Testing
import TestSupport

@Suite("Channel statistics and checkpoint files")
struct ChannelFilesTests {
    private func runCase(_ directory: TemporaryDirectory, steps: Int, initial: String, checkpointName: String) throws -> String {
        let text = """
        solver: channel
        name: files
        parameters: {re_tau: 180, perturbation: 2.0, seed: 4}
        grid: {nx: 8, ny: 17, nz: 8, lx: 3.14159, lz: 1.0}
        time: {dt: 0.002, steps: \(steps)}
        initial_condition: \(initial)
        statistics: {every: 1, path: \(directory.path("stats.h5")), write_every: 5}
        checkpoint: {every: 5, path: \(directory.path(checkpointName))}
        output:
          every: {steps: 5}
          grid: {nx: 4, ny: 9, nz: 4}
          fields: [velocity_x]
        """
        let path = directory.path("case-\(checkpointName).yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let setup = try member(path, 0)
        _ = try MemberRunner(setup: setup, options: RunOptions(member: 0)).run(into: DiscardingSink())
        return path
    }

    @Test("statistics are written in flight and read back in wall units")
    func statistics() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try runCase(directory, steps: 10, initial: "{kind: laminar}", checkpointName: "a.h5")
        let summary = try ChannelStatisticsFile.read(directory.path("stats.h5"))
        #expect(summary.samples == 10)
        #expect(abs(summary.reTau - 180) < 1e-8)
        #expect(summary.uPlus.count == 9)
        for (yp, up) in zip(summary.yPlus, summary.uPlus) { #expect(abs(up - (yp - yp * yp / 360)) < 1e-8) }
    }

    @Test("a restart from a checkpoint file continues the run exactly (FFTW_ESTIMATE plans)")
    func restart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try runCase(directory, steps: 10, initial: "{kind: turbulent}", checkpointName: "full.h5")
        _ = try runCase(directory, steps: 5, initial: "{kind: turbulent}", checkpointName: "half.h5")
        _ = try runCase(directory, steps: 10, initial: "{kind: restart, path: half.h5}", checkpointName: "resumed.h5")
        let full = try ChannelCheckpointFile.read(directory.path("full.h5"))
        let resumed = try ChannelCheckpointFile.read(directory.path("resumed.h5"))
        #expect(full.step == 10 && resumed.step == 10)
        // The statistics travel in the checkpoint: the resumed run continues the averages of the first half.
        #expect(resumed.statistics?["counters"]?.first == 10)
        #expect(full == resumed)
        let summary = try ChannelStatisticsFile.read(directory.path("stats.h5"))
        #expect(summary.samples == 10 && summary.firstTime > 0 && summary.firstTime < 0.003)
    }
}
