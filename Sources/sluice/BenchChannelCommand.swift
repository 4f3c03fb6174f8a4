import ArgumentParser
import Channel
import Foundation
import SolverKit

/// `sluice bench channel`: the channel DNS step (KMM Fourier-Chebyshev, float64, one thread) on the MKM Re_tau 180
/// box at 64^3-class and production (128 x 129 x 128) resolution, from a turbulent-like start, with the share of the
/// step spent inside FFTW (padded 2-D FFTs and DCT-I derivatives).
struct BenchChannelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Channel DNS step time and FFTW share at 64x65x64 and 128x129x128 (Re_tau 180, MKM box)."
    )

    @Option(help: "Grids as NXxNYxNZ, comma-separated.")
    var grids = "64x65x64,128x129x128"

    @Option(help: "Timed steps per grid (default: 30 at up to 64^3, 6 above).")
    var steps: Int?

    @Option(help: "Worker threads of the step (the y planes of the nonlinear products are split between them).")
    var threads = 1

    @Flag(help: "Print one JSON array of rows.")
    var json = false

    func run() throws {
        let shapes = try grids.split(separator: ",").map { text -> [Int] in
            let parts = text.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 3, parts[0] % 2 == 0, parts[2] % 2 == 0, parts[1] >= 5 else {
                throw ValidationError("--grids '\(grids)': each grid must be NXxNYxNZ with even NX, NZ and NY >= 5")
            }
            return parts
        }
        BLAS.setThreadCount(threads)
        var rows: [[String: Any]] = []
        if !json { print("Channel DNS step (KMM, SMR RK3, 3/2 dealiasing), Re_tau 180 on 4 pi x 2 x 4 pi/3, float64, \(threads) thread(s)") }
        for shape in shapes {
            let points = shape[0] * shape[1] * shape[2]
            let count = steps ?? (points <= 300_000 ? 30 : 6)
            let c = ChannelConfiguration(nx: shape[0], ny: shape[1], nz: shape[2], lx: 4 * .pi, lz: 4 * .pi / 3,
                                         viscosity: 1.0 / 180, driving: .pressureGradient(1), timeStep: 1e-3)
            let planStart = DispatchTime.now().uptimeNanoseconds
            let flow = try ChannelFlow(configuration: c, rigor: .measure, threads: threads)
            let planSeconds = Double(DispatchTime.now().uptimeNanoseconds - planStart) * 1e-9
            flow.setMeanFlow(flow.y.map { ChannelSimulation.reichardt(yPlus: (1 - abs($0)) * 180) })
            flow.addRandomPerturbation(amplitude: 1, seed: 1)
            flow.advance()  // warm-up: implicit data built, pages touched
            flow.measureTransforms = true
            flow.transformSeconds = 0
            flow.phaseSeconds = [0, 0, 0]
            let start = DispatchTime.now().uptimeNanoseconds
            let timing = BenchSupport.timeInBlocks(steps: count) { flow.advance() }
            let total = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            let gridName = "\(shape[0])x\(shape[1])x\(shape[2])", paddedName = "\(flow.paddedX)x\(shape[1])x\(flow.paddedZ)"
            let row: [String: Any] = [
                "solver": "channel", "grid": gridName, "points": points, "steps": count,
                "seconds_per_step": timing.fastest, "median_seconds_per_step": timing.median,
                "nanoseconds_per_point_step": timing.fastest / Double(points) * 1e9,
                "fft_share": flow.transformSeconds / total, "plan_seconds": planSeconds,
                "padded": paddedName, "threads": threads,
                "phase_shares": flow.phaseSeconds.map { $0 / total },
            ]
            rows.append(row)
            if !json {
                print(String(format: "%@ (padded %@): %.1f ms/step (median %.1f), %.0f ns per point per step, FFTW share %.0f%%, planning %.1f s",
                             gridName, paddedName, timing.fastest * 1e3, timing.median * 1e3,
                             timing.fastest / Double(points) * 1e9, flow.transformSeconds / total * 100, planSeconds))
                print(String(format: "    phases: products %.0f%%, combination and y derivatives %.0f%%, implicit solves %.0f%%",
                             flow.phaseSeconds[0] / total * 100, flow.phaseSeconds[1] / total * 100, flow.phaseSeconds[2] / total * 100))
            }
        }
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
        }
    }
}
