import ArgumentParser
import Logging
import SluiceModel

/// The `sluice` command: one binary for the server, the solver daemons, the launcher and the tools.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Stream PDE solver snapshots into an in-memory reservoir and serve them to trainers online.",
        discussion: """
            Solver daemons stream samples over ZeroMQ into a bounded reservoir server; trainers pull batches \
            while the solvers run; selected snapshots are filtered to coarse grids and archived to HDF5 in \
            The Well's layout.

            Main subcommands (all are listed below):
              serve     run the reservoir server
              solve     run one solver member as a streaming daemon
              launch    run a study: server, members, relaunch of failures (local or Slurm)
              export    write an HDF5 dataset from a server or straight from solvers
              inspect   summarise an HDF5 dataset
              status    show a running server's counters
              bench     measure ingest, serving and solver speed
              demo      run a server, solver members and a trainer on this machine
              train     train the built-in MLP surrogate online (or offline on fixed members)
              keys      make, list and revoke CURVE keys
            """,
        version: SluiceVersion.string,
        subcommands: [
            ServeCommand.self, SolveCommand.self, LaunchCommand.self, StatusCommand.self, DemoCommand.self, BenchCommand.self,
            TrainCommand.self, PlotHistoryCommand.self,
            KeysCommand.self, SynthCommand.self, ConsumeCommand.self, VersionCommand.self,
            ExportCommand.self, InspectCommand.self,
            ChannelStatsCommand.self,
        ]
    )
}

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Installs the process-wide log handler (stderr) at the chosen level. Call once per process.
    func bootstrapLogging() {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
