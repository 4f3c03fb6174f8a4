import ArgumentParser
import Foundation
import SolverRuntime

/// `sluice channel-stats FILE`: prints a channel run's statistics (written in flight by `sluice solve` with a
/// case's `statistics.path`) in wall units and compares the mean profile with a reference (Moser, Kim & Mansour
/// 1999: ../shared/reference/mkm_chan180_mean.tsv, columns y/h, y+, U+), optionally writing a CSV and a PNG.
struct ChannelStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel-stats",
        abstract: "Channel statistics in wall units, compared with a reference U+(y+) profile (MKM)."
    )

    @Argument(help: "Statistics file (HDF5) written by `sluice solve` for a channel case.")
    var file: String

    @Option(help: "Reference profile: whitespace-separated columns y/h, y+, U+ ('#' comments).")
    var reference: String?

    @Option(help: "Compare where y+ lies in this range (inclusive), as LOW,HIGH.")
    var range = "1,150"

    @Option(help: "Write the folded profiles (and the reference U+ at the same y+) to this CSV file.")
    var csv: String?

    @Option(help: "Also plot U+ and the rms profiles to this PNG (runs python3 with matplotlib on the CSV).")
    var png: String?

    func run() throws {
        let bounds = range.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard bounds.count == 2, bounds[0] < bounds[1] else { throw ValidationError("--range '\(range)' must be LOW,HIGH") }
        let s: ChannelStatisticsFile.Summary
        do { s = try ChannelStatisticsFile.read(file) } catch {
            throw ValidationError("cannot read channel statistics from \(file): \(error)")
        }
        print("\(file): \(s.samples) samples over t = \(fmt(s.firstTime))...\(fmt(s.lastTime)), Re_tau (wall shear) = \(fmt(s.reTau))")
        var referenceAtPoints: [Double?] = Array(repeating: nil, count: s.yPlus.count)
        if let reference {
            let table = try Self.readReference(reference)
            referenceAtPoints = s.yPlus.map { Self.interpolate(table, at: $0) }
        }
        print("     y+       U+   U+ ref   dev %    u'+    v'+    w'+   <u'v'>+")
        var worst = 0.0, worstAt = 0.0, compared = 0
        for i in s.yPlus.indices {
            let yp = s.yPlus[i]
            var deviation = ""
            if let ref = referenceAtPoints[i], yp >= bounds[0], yp <= bounds[1], ref > 0 {
                let d = (s.uPlus[i] - ref) / ref * 100
                deviation = String(format: "%+6.2f", d)
                compared += 1
                if abs(d) > abs(worst) { worst = d; worstAt = yp }
            }
            let ref = referenceAtPoints[i].map { String(format: "%8.3f", $0) } ?? "       -"
            print(String(format: "%7.2f %8.3f", yp, s.uPlus[i]) + " " + ref + " " + deviation.padding(toLength: 7, withPad: " ", startingAt: 0)
                  + String(format: " %6.3f %6.3f %6.3f %8.4f", s.uRms[i], s.vRms[i], s.wRms[i], s.uvPlus[i]))
        }
        if reference != nil {
            print(String(format: "largest |U+ - U+ref| / U+ref over %d points with %g <= y+ <= %g: %.2f%% at y+ = %.2f",
                         compared, bounds[0], bounds[1], abs(worst), worstAt))
        }
        if let csv = csv ?? (png != nil ? FileManager.default.temporaryDirectory.appendingPathComponent("channel-stats-\(getpid()).csv").path : nil) {
            var text = "y_plus,u_plus,u_plus_reference,u_rms,v_rms,w_rms,uv_plus\n"
            for i in s.yPlus.indices {
                text += "\(s.yPlus[i]),\(s.uPlus[i]),\(referenceAtPoints[i].map { "\($0)" } ?? ""),\(s.uRms[i]),\(s.vRms[i]),\(s.wRms[i]),\(s.uvPlus[i])\n"
            }
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
            if let png { try Self.plot(csv: csv, png: png, title: "Re_tau \(fmt(s.reTau)), t = \(fmt(s.firstTime))...\(fmt(s.lastTime))") }
        }
    }

    private func fmt(_ x: Double) -> String { String(format: "%.4g", x) }

    /// Rows (y+, U+) of a reference file.
    static func readReference(_ path: String) throws -> [(Double, Double)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the reference profile \(path)")
        }
        var rows: [(Double, Double)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            guard columns.count >= 3 else { continue }
            rows.append((columns[1], columns[2]))
        }
        guard rows.count >= 2 else { throw ValidationError("\(path) holds fewer than two rows of y/h, y+, U+") }
        return rows.sorted { $0.0 < $1.0 }
    }

    /// Linear interpolation in y+, nil outside the table.
    static func interpolate(_ table: [(Double, Double)], at x: Double) -> Double? {
        guard let first = table.first, let last = table.last, x >= first.0, x <= last.0 else { return nil }
        for k in 1..<table.count where table[k].0 >= x {
            let (x0, y0) = table[k - 1], (x1, y1) = table[k]
            return x1 == x0 ? y1 : y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        }
        return last.1
    }

    static func plot(csv: String, png: String, title: String) throws {
        let script = """
        import csv, sys
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        rows = list(csv.DictReader(open(sys.argv[1])))
        col = lambda k: [float(r[k]) if r[k] else float("nan") for r in rows]
        fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
        ax[0].semilogx(col("y_plus"), col("u_plus"), "o-", ms=3, label="Sluice channel")
        ax[0].semilogx(col("y_plus"), col("u_plus_reference"), "k--", label="MKM 1999")
        ax[0].set_xlabel("y+"); ax[0].set_ylabel("U+"); ax[0].legend(); ax[0].set_xlim(0.5, 200)
        for k, l in (("u_rms", "u'+"), ("v_rms", "v'+"), ("w_rms", "w'+")):
            ax[1].plot(col("y_plus"), col(k), label=l)
        ax[1].plot(col("y_plus"), [-x for x in col("uv_plus")], label="-<u'v'>+")
        ax[1].set_xlabel("y+"); ax[1].legend(); ax[1].set_xlim(0, 180)
        fig.suptitle(sys.argv[3]); fig.tight_layout(); fig.savefig(sys.argv[2], dpi=110)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, csv, png, title]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("python3 (matplotlib) could not plot \(csv) to \(png): exit \(process.terminationStatus)")
        }
    }
}
