import ArgumentParser
import Foundation
import Launcher

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

    func run() throws {
        global.bootstrapLogging()
        let studyURL = URL(fileURLWithPath: study)
        let defaultDir = studyURL.deletingLastPathComponent().appendingPathComponent(
            studyURL.deletingPathExtension().lastPathComponent + ".run").path
        var options = LaunchOptions(sluice: Self.executablePath(), workDirectory: workDir ?? defaultDir)
        options.fresh = fresh
        options.plainProgress = plain
        options.quiet = quiet
        let launcher: StudyLauncher
        do {
            launcher = try StudyLauncher(studyPath: study, options: options)
        } catch {
            throw ValidationError("\(error)")
        }
        let outcome = try launcher.run()
        print("study done: \(outcome.done.count) members done, \(outcome.failed.count) failed, \(outcome.replaced.count) replaced; accounting in \(outcome.accountingPath)")
        if !outcome.failed.isEmpty { throw ExitCode(1) }
    }

    /// This binary's absolute path (members and the server run the same `sluice`).
    static func executablePath() -> String {
        if let path = Bundle.main.executablePath { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
