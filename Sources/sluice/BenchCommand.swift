import ArgumentParser

/// `sluice bench`: measurements that print numbers beside a baseline measured in the same run. Benchmarks never
/// fail on timing; `--json` prints one JSON array of rows for scripts and docs/benchmarks.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure ingest, serving and solver speed beside same-run baselines.",
        subcommands: benchSubcommands
    )
}

/// Each benchmark registers here (one line per subcommand).
let benchSubcommands: [any ParsableCommand.Type] = [
    BenchIngestCommand.self,
    BenchServeCommand.self,
    BenchMemoryCommand.self,
    BenchNS2DCommand.self,
    BenchAdvectionCommand.self,
    BenchTrainCommand.self,
    BenchExportCommand.self,
    BenchTsunamiCommand.self,
    BenchChannelCommand.self,
]
