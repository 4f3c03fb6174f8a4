import ArgumentParser
import Foundation
import Launcher
import SluiceConfig
import Studies

/// `sluice launch STUDY.yaml`: run a whole study.
struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Run a study: a server, its members up to the concurrency limit, relaunches, consumers, accounting.",
        discussion: """
            The launcher starts `sluice serve` (or attaches to the server the study names), runs members as \
            `sluice solve` processes with their parameter draws, kills and relaunches members that fail, hang or go \
            silent, restarts the server from its checkpoint if it dies, and journals every step: run the same \
            command again after a crash and the study resumes where it stopped. At the end it writes \
            accounting.json (every member's accepted steps) in the work directory.

            With --scheduler slurm the server, the members (job arrays throttled to the study's concurrency) and \
            the consumers are Slurm jobs made from the templates in ops/slurm/, watched with squeue and sacct or \
            scontrol, with the same relaunches; see docs/cluster.md.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The study file (YAML or JSON; schemas/config/study.schema.json).")
    var study: String

    @Option(help: "Work directory for the journal, logs, checkpoint and accounting (default: STUDY-NAME.run next to the study file).")
    var workDir: String?

    @Flag(help: "Start over: ignore an existing journal.")
    var fresh = false

    @Flag(help: "One status line per second instead of a live line (for logs).")
    var plain = false

    @Flag(help: "No progress output.")
    var quiet = false

    enum Scheduler: String, ExpressibleByArgument, CaseIterable {
        case local, slurm
    }

    @Option(help: "Where jobs run: local (child processes) or slurm (sbatch; SLURM_CONF as for any Slurm command).")
    var scheduler: Scheduler = .local

    @Option(help: "Folder of the Slurm job templates (default: ops/slurm of this checkout, or $SLUICE_SLURM_TEMPLATES).")
    var slurmTemplates: String?

    @Option(help: "Host the server binds (default: 127.0.0.1 locally, 0.0.0.0 on Slurm).")
    var bindHost: String?

    @Option(help: "Host members and consumers connect to, written in the endpoint file (default: the bind host, or the server node's name on Slurm).")
    var advertiseHost: String?

    func run() throws {
        global.bootstrapLogging()
        let studyURL = URL(fileURLWithPath: study)
        let defaultDir = studyURL.deletingLastPathComponent().appendingPathComponent(
            studyURL.deletingPathExtension().lastPathComponent + ".run").path
        // Absolute paths: batch jobs run in the work directory, not here.
        var options = LaunchOptions(sluice: Self.executablePath(),
                                    workDirectory: URL(fileURLWithPath: workDir ?? defaultDir).standardizedFileURL.path)
        options.fresh = fresh
        options.plainProgress = plain
        options.quiet = quiet
        options.bindHost = bindHost ?? (scheduler == .slurm ? "0.0.0.0" : "127.0.0.1")
        options.advertiseHost = advertiseHost
        let launcher: StudyLauncher
        do {
            launcher = try StudyLauncher(studyPath: studyURL.standardizedFileURL.path, options: options,
                                         scheduler: try makeScheduler(options))
        } catch {
            throw ValidationError("\(error)")
        }
        let outcome = try launcher.run()
        print("study done: \(outcome.done.count) members done, \(outcome.failed.count) failed, \(outcome.replaced.count) replaced; accounting in \(outcome.accountingPath)")
        if !outcome.failed.isEmpty { throw ExitCode(1) }
    }

    func makeScheduler(_ options: LaunchOptions) throws -> JobScheduler {
        switch scheduler {
        case .local:
            return LocalScheduler()
        case .slurm:
            guard let directory = slurmTemplates ?? ProcessInfo.processInfo.environment["SLUICE_SLURM_TEMPLATES"]
                    ?? SlurmTemplates.defaultDirectory(executable: options.sluice) else {
                throw LaunchError("no Slurm job templates found next to \(options.sluice): pass --slurm-templates DIR (a copy of ops/slurm/)")
            }
            let workDirectory = options.workDirectory
            let studyName = (try? ConfigFile.load(Study.self, from: study).name) ?? "sluice"
            var settings = SlurmScheduler.Settings(templates: try SlurmTemplates(directory: directory),
                                                   workDirectory: workDirectory, jobPrefix: studyName)
            settings.bindHost = options.bindHost
            settings.advertiseHost = options.advertiseHost ?? (["0.0.0.0", "*", "::", "[::]"].contains(options.bindHost) ? "" : options.bindHost)
            return try SlurmScheduler(settings: settings)
        }
    }

    /// This binary's absolute path (members and the server run the same `sluice`).
    static func executablePath() -> String {
        if let path = Bundle.main.executablePath { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
