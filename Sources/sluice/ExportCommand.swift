import Archive
import ArgumentParser
import Clients
import Filters
import Foundation
import HDF5
import SluiceConfig
import SluiceModel
import SolverRuntime
import Studies
import Wire

/// `sluice export`: write a dataset in The Well's layout, from a running server (as a consumer group) or by
/// running the members of a case or study directly.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an HDF5 dataset in The Well's layout from a server or straight from solvers.",
        discussion: """
            Standalone (a case or study file): runs the members in this process, no server, and writes \
            OUT/data/{train,valid,test}/NAME_memberK.hdf5 and OUT/stats.yaml. Members are split by --train/--valid/\
            --test with --split-seed. For a case, --members picks the members (default 0); for a study, every \
            member with its own parameter draw. --set overrides parameters as in `sluice solve`.

            From a server (--server ENDPOINT, the consumer endpoint): attaches as consumer group --group, keeps the \
            samples the selection accepts, and writes the dataset when stopped (SIGINT/SIGTERM), after --samples \
            samples, or after --idle-timeout seconds without a batch.

            Filtering: --spec FILE (schemas/config/export.schema.json) gives the filter per axis, vectors, \
            boundaries and defaults for every option here; --unfiltered writes the solver's own grid, and --float64 \
            writes float64 instead of float32. Compression is off by default (--deflate LEVEL turns it on, chunks \
            are compressed on --threads threads and stored with direct chunk writes). See docs/archive.md.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A case or study file (YAML or JSON); omit with --server.")
    var source: String?

    @Option(help: "Write the dataset into this directory (created).")
    var out: String

    @Option(help: "Export spec (YAML or JSON): filter, precision, compression, selection, split, vectors.")
    var spec: String?

    @Option(help: "Dataset name (default: the spec's, else the case's or study's name).")
    var name: String?

    @Option(help: "The server's consumer endpoint, e.g. tcp://127.0.0.1:5556 (export from a running server).")
    var server: String?

    @Option(help: "Consumer group the export reads as (server mode).")
    var group = "archive"

    @Option(help: "Samples per batch request (server mode).")
    var batchSize = 16

    @Option(help: "Stop after this many accepted samples (server mode; 0: until stopped or idle).")
    var samples = 0

    @Option(help: "Stop after this many seconds without a batch (server mode).")
    var idleTimeout: Double = 30

    @Option(help: "The case file the server's members run, recorded as provenance (server mode).")
    var caseFile: String?

    @Option(help: "Members to keep, e.g. 0-7,12 (standalone case: the members to run; default 0).")
    var members: String?

    @Option(help: "Keep only steps divisible by this.")
    var everySteps: UInt64?

    @Option(help: "Keep only snapshots at or after this simulated time.")
    var timeStart: Double?

    @Option(help: "Keep only snapshots at or before this simulated time.")
    var timeEnd: Double?

    @Option(help: "Fields to keep, comma-separated (default: every data field).")
    var fields: String?

    @Option(help: "Fraction of members in the training split.")
    var train: Double?
    @Option(help: "Fraction of members in the validation split.")
    var valid: Double?
    @Option(help: "Fraction of members in the test split.")
    var test: Double?
    @Option(help: "Seed of the train/valid/test assignment.")
    var splitSeed: UInt64?

    @Option(name: .customLong("set"), parsing: .singleValue, help: "Override a parameter, as in `sluice solve` (repeatable).")
    var assignments: [String] = []

    @Option(help: "Stop each member after this many steps (standalone).")
    var steps: UInt64?

    @Flag(help: "Write the solver's own grid, no filter (overrides the spec's filter).")
    var unfiltered = false

    @Flag(help: "Write float64 instead of float32.")
    var float64 = false

    @Option(help: "Compress chunks with deflate at this level (0-9); default: the spec's, else no compression.")
    var deflate: Int?

    @Flag(help: "Deflate without the shuffle filter.")
    var noShuffle = false

    @Option(help: "Worker threads preparing and compressing chunks besides the writer's (default: the spec's, else the number of cores; 0: none).")
    var threads: Int?

    @Flag(help: "Print no progress, only the summary.")
    var quiet = false

    @OptionGroup var curve: CurveOptions

    func validate() throws {
        guard (source == nil) != (server == nil) else {
            throw ValidationError("give either a case or study file (standalone) or --server ENDPOINT, not both or neither")
        }
        if let source, !FileManager.default.isReadableFile(atPath: source) {
            throw ValidationError("\(source) does not exist or is not readable")
        }
        if let spec, !FileManager.default.isReadableFile(atPath: spec) {
            throw ValidationError("export spec \(spec) does not exist or is not readable")
        }
        if let deflate, !(0...9).contains(deflate) { throw ValidationError("--deflate \(deflate) is outside 0...9") }
        if let threads, threads < 0 { throw ValidationError("--threads \(threads) must be at least 0") }
        if let members { do { _ = try SampleSelection.parseMembers(members) } catch { throw ValidationError("\(error)") } }
        do { _ = try ParameterOverrides(assignments) } catch { throw ValidationError("\(error)") }
        if server != nil, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        global.bootstrapLogging()
        do {
            let specFile = try spec.map { try ConfigFile.load(ExportSpec.self, from: $0) } ?? ExportSpec()
            if let server {
                try exportFromServer(server, specFile)
            } else if let source {
                try exportStandalone(source, specFile)
            }
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    // MARK: Settings

    /// The spec file with the command line's options applied.
    func resolvedOptions(_ spec: ExportSpec, defaultName: String, provenance: [String: String]) throws -> (ArchiveOptions, SplitPlan) {
        var selection = spec.select ?? SampleSelection()
        if let members { selection.members = try SampleSelection.parseMembers(members) }
        if let everySteps { selection.everySteps = everySteps }
        if let timeStart { selection.timeStart = timeStart }
        if let timeEnd { selection.timeEnd = timeEnd }
        if let fields { selection.fields = fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        var split = spec.split ?? SplitPlan()
        if let train { split.train = train }
        if let valid { split.valid = valid }
        if let test { split.test = test }
        if let splitSeed { split.seed = splitSeed }
        if train != nil, valid == nil, test == nil { split.valid = (1 - split.train) / 2; split.test = (1 - split.train) / 2 }
        try split.validate()
        var compression = spec.compression ?? CompressionSpec()
        if let deflate { compression.deflate = deflate }
        if noShuffle { compression.shuffle = false }
        let filter = unfiltered ? nil : spec.filter
        let precision: WellPrecision = float64 ? .float64 : spec.precision ?? .float32
        var provenance = provenance
        provenance["sluice_filter"] = filter.map { Self.json($0) } ?? "none (the solver's own grid)"
        provenance["sluice_version"] = SluiceVersion.string
        provenance["sluice_source_revision"] = Self.sourceRevision()
        provenance["sluice_created"] = ISO8601DateFormatter().string(from: Date())
        provenance["sluice_export_spec"] = Self.json(spec)
        let options = ArchiveOptions(
            datasetName: name ?? spec.name ?? defaultName, filter: filter, precision: precision,
            compression: compression.compression,
            threads: threads ?? compression.threads ?? ProcessInfo.processInfo.activeProcessorCount,
            selection: selection, vectors: spec.vectors ?? [:], boundaries: spec.boundaries, provenance: provenance)
        return (options, split)
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }

    /// The git revision of the source tree the binary was built from, when it can be found (`SLUICE_REVISION`
    /// overrides), else "unknown".
    static func sourceRevision() -> String {
        if let revision = ProcessInfo.processInfo.environment["SLUICE_REVISION"] { return revision }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", binary.path, "rev-parse", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unknown" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
    }

    static func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(unreadable)"
    }
}
