import ArgumentParser
import Foundation
import Training

/// `sluice plot-history`: several `sluice train` histories (history.csv) on one log-scale PNG, e.g. the online and
/// offline arms of docs/online-vs-offline-mlp.md.
struct PlotHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot-history",
        abstract: "Plot the validation error (or training loss) of several sluice train runs on one PNG."
    )

    @Option(name: .customLong("series"), help: "LABEL=PATH of a history.csv written by sluice train (repeatable).")
    var series: [String] = []

    @Option(help: "Column: validation_error or train_loss.")
    var column = "validation_error"

    @Option(help: "Plot title.")
    var title = "validation relative l2 error"

    @Option(help: "Output PNG.")
    var out: String

    func run() throws {
        let colors: [(UInt8, UInt8, UInt8)] = [(214, 39, 40), (31, 119, 180), (44, 160, 44), (148, 103, 189), (255, 127, 14)]
        var plotted: [LossPlot.Series] = []
        for (k, item) in series.enumerated() {
            guard let eq = item.firstIndex(of: "=") else { throw ValidationError("--series '\(item)' is not LABEL=PATH") }
            let label = String(item[..<eq]), path = String(item[item.index(after: eq)...])
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            guard let header = lines.first, let x = header.firstIndex(of: "step"), let y = header.firstIndex(of: column) else {
                throw ValidationError("\(path) has no step and \(column) columns")
            }
            let points = lines.dropFirst().compactMap { row -> (x: Double, y: Double)? in
                guard row.count > max(x, y), let a = Double(row[x]), let b = Double(row[y]), b.isFinite else { return nil }
                return (a, b)
            }
            plotted.append(.init(name: label, points: points, color: colors[k % colors.count]))
        }
        try Data(LossPlot(title: title, series: plotted).render().encoded()).write(to: URL(fileURLWithPath: out))
        print("wrote \(out)")
    }
}
