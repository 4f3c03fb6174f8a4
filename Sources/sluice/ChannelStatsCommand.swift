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

    @Option(help: "Also plot U+, the rms profiles and the 1-D spectra to this PNG (python3 with matplotlib and h5py).")
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
            if let png {
                try Self.plot(csv: csv, statistics: file, png: png,
                              title: "Re_tau \(fmt(s.reTau)), t = \(fmt(s.firstTime))...\(fmt(s.lastTime))")
            }
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

    /// Profiles from the CSV; the 1-D spectra (`spectrum_x_*`, `spectrum_z_*` of the statistics file) at the
    /// point nearest `y+ = 15` and at the centreline, when h5py is importable (else two panels only).
    static func plot(csv: String, statistics: String, png: String, title: String) throws {
        let script = """
        import csv, sys
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        rows = list(csv.DictReader(open(sys.argv[1])))
        col = lambda k: [float(r[k]) if r[k] else float("nan") for r in rows]
        try:
            import h5py, numpy as np
            f = h5py.File(sys.argv[4], "r")
            spectra = {k: f[k][()] for k in f.keys() if k.startswith("spectrum_") or k in ("kx", "kz", "y")}
            re_tau = float(f.attrs["re_tau"])
        except Exception as error:
            print(f"spectra not plotted: {error}", file=sys.stderr)
            spectra = None
        fig, axes = plt.subplots(2 if spectra else 1, 2, figsize=(11, 8.4 if spectra else 4.2))
        ax = axes.flatten()
        ax[0].semilogx(col("y_plus"), col("u_plus"), "o-", ms=3, label="Sluice channel")
        ax[0].semilogx(col("y_plus"), col("u_plus_reference"), "k--", label="MKM 1999")
        ax[0].set_xlabel("y+"); ax[0].set_ylabel("U+"); ax[0].legend(); ax[0].set_xlim(0.5, 200)
        for k, l in (("u_rms", "u'+"), ("v_rms", "v'+"), ("w_rms", "w'+")):
            ax[1].plot(col("y_plus"), col(k), label=l)
        ax[1].plot(col("y_plus"), [-x for x in col("uv_plus")], label="-<u'v'>+")
        ax[1].set_xlabel("y+"); ax[1].legend(); ax[1].set_xlim(0, 180)
        if spectra:
            y = spectra["y"]
            yplus = (1 - np.abs(y)) * re_tau
            rows = [(int(np.argmin(np.abs(yplus - 15))), "y+ = %.0f"), (int(np.argmin(np.abs(y))), "centre, y+ = %.0f")]
            for panel, axis, k in ((2, "x", spectra["kx"]), (3, "z", spectra["kz"])):
                for row, label in rows:
                    for name, style in (("uu", "-"), ("vv", "--"), ("ww", ":")):
                        e = spectra["spectrum_%s_%s" % (axis, name)][row]
                        ax[panel].loglog(k[1:], np.maximum(e[1:], 1e-16), style,
                                         label="E_%s, %s" % (name, label % yplus[row]))
                ax[panel].set_xlabel("k_%s (1/h)" % axis); ax[panel].set_ylabel("1-D spectrum (u_tau^2)")
                ax[panel].legend(fontsize=7)
        fig.suptitle(sys.argv[3]); fig.tight_layout(); fig.savefig(sys.argv[2], dpi=110)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, csv, png, title, statistics]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("python3 (matplotlib) could not plot \(csv) to \(png): exit \(process.terminationStatus)")
        }
    }
}
