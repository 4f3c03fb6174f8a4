import Archive
import ArgumentParser
import Clients
import Foundation
import SluiceConfig
import SluiceModel
import SolverRuntime
import Studies
import Wire

extension ExportCommand {
    // MARK: Standalone

    /// Runs the members of a case or study in this process, straight into the archive.
    func exportStandalone(_ path: String, _ spec: ExportSpec) throws {
        var runs: [(member: UInt64, assignments: [String])] = []
        var provenance: [String: String] = [:]
        let casePath: String
        let defaultName: String
        if try ConfigFile.topLevelString("solver", in: path) == nil {
            // A study: every member with its own draw; --set applies after the draw.
            let study = try ConfigFile.load(Study.self, from: path)
            try study.validate()
            let base = URL(fileURLWithPath: path).deletingLastPathComponent()
            casePath = study.case.hasPrefix("/") ? study.case : base.appendingPathComponent(study.case).path
            let wanted = try members.map { Set(try SampleSelection.parseMembers($0)) }
            for member in 0..<study.members where wanted?.contains(UInt64(member)) ?? true {
                runs.append((UInt64(member), Self.assignments(try study.draw(member: member)) + assignments))
            }
            provenance["sluice_study_file"] = path
            provenance["sluice_study"] = Self.contents(path)
            defaultName = study.name
        } else {
            casePath = path
            for member in try members.map(SampleSelection.parseMembers) ?? [0] { runs.append((member, assignments)) }
            defaultName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        }
        guard !runs.isEmpty else { throw ValidationError("no member to run (check --members)") }
        provenance["sluice_solver"] = try ConfigFile.topLevelString("solver", in: casePath) ?? "unknown"
        provenance["sluice_case_file"] = casePath
        provenance["sluice_case"] = Self.contents(casePath)
        let (options, split) = try resolvedOptions(spec, defaultName: defaultName, provenance: provenance)
        let dataset = try WellDatasetWriter(directory: out, name: options.datasetName)
        let assignment = split.assign(runs.map(\.member))
        let archiver = SnapshotArchiver(dataset: dataset, options: options, ordered: true) { assignment[$0] ?? .train }
        let progress = ExportProgress(quiet: quiet)
        // SIGINT/SIGTERM stop the export after the current snapshot: the member being written is discarded (its
        // temporary file deleted), the members already finished stay, and stats.yaml covers them.
        let interrupted = LockedValue(false)
        let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in interrupted.set(true) }
        defer { watcher.cancel() }
        do {
            for run in runs {
                let request = MemberRequest(member: run.member, overrides: try ParameterOverrides(run.assignments), rigor: .estimate)
                let setup = try SolverRegistry.standard.makeMember(casePath: casePath, request: request)
                let runner = MemberRunner(setup: setup, options: RunOptions(member: run.member, stepLimit: steps))
                let sink = ProgressSink(ArchiveSink(archiver: archiver, member: run.member), archiver: archiver,
                                        progress: progress, interrupted: interrupted)
                _ = try runner.run(into: sink)
            }
            let files = try archiver.finishAll()
            progress.finish(archiver: archiver, files: files, directory: out)
        } catch is ExportInterrupted {
            archiver.abandon()
            let files = try archiver.finishAll()
            progress.finish(archiver: archiver, files: files, directory: out)
            FileHandle.standardError.write(Data("export interrupted: the member being written was discarded; \(files.count) finished members kept\n".utf8))
            throw ExitCode(130)
        } catch {
            archiver.abandon()
            throw error
        }
    }

    /// `--set` assignments of a member's draw (integers without a fraction, as `sluice launch` passes them).
    static func assignments(_ draw: [(String, Double)]) -> [String] {
        draw.sorted { $0.0 < $1.0 }.map { name, value in
            value.rounded() == value && abs(value) < 1e15 ? "\(name)=\(Int64(value))" : "\(name)=\(value)"
        }
    }

    // MARK: From a server

    /// Reads a server's stream as a consumer group and writes what the selection keeps when stopped.
    func exportFromServer(_ endpoint: String, _ spec: ExportSpec) throws {
        var provenance = ["sluice_server": endpoint, "sluice_group": group]
        var defaultName = "sluice-export"
        if let caseFile {
            provenance["sluice_solver"] = (try? ConfigFile.topLevelString("solver", in: caseFile)).flatMap { $0 } ?? "unknown"
            provenance["sluice_case_file"] = caseFile
            provenance["sluice_case"] = Self.contents(caseFile)
            defaultName = URL(fileURLWithPath: caseFile).deletingPathExtension().lastPathComponent
        }
        let (options, split) = try resolvedOptions(spec, defaultName: defaultName, provenance: provenance)
        let dataset = try WellDatasetWriter(directory: out, name: options.datasetName)
        let archiver = SnapshotArchiver(dataset: dataset, options: options, ordered: false) { split.split(of: $0) }
        var configuration = TrainerClient.Configuration(endpoint: endpoint, group: group, batchSize: batchSize, prefetch: 2,
                                                        peerName: "export \(options.datasetName)")
        configuration.connection.curve = try curve.keys()
        let client = try TrainerClient(configuration)
        let interrupted = LockedValue(false)
        let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in interrupted.set(true) }
        defer { watcher.cancel() }
        let progress = ExportProgress(quiet: quiet)
        var idleSince = ContinuousClock.now
        var received = 0
        do {
            while !interrupted.value && (samples == 0 || archiver.snapshots < samples) {
                let batch: Batch?
                do {
                    batch = try client.next(timeout: .milliseconds(250))
                } catch let error as ClientError where error.kind == .timedOut {
                    if (ContinuousClock.now - idleSince).seconds >= idleTimeout { break }
                    continue
                }
                guard let batch else { break }
                idleSince = ContinuousClock.now
                for index in batch.entries.indices {
                    received += 1
                    try Self.withSample(index, of: batch) { header, buffers in _ = try archiver.write(header, fields: buffers) }
                    if samples > 0, archiver.snapshots >= samples { break }
                }
                progress.update(archiver: archiver, received: received)
            }
            client.close()
            let files = try archiver.finishAll()
            progress.finish(archiver: archiver, files: files, directory: out)
        } catch {
            client.close()
            archiver.abandon()
            throw error
        }
    }

    /// Calls `body` with sample `index` of `batch` as a sample header and one buffer per field.
    static func withSample(_ index: Int, of batch: Batch, _ body: (SampleHeader, [UnsafeRawBufferPointer]) throws -> Void) throws {
        let h = batch.header
        let entry = h.entries[index]
        let p = h.parameterNames.count
        let values = Array(h.parameterValues[(index * p)..<min(h.parameterValues.count, (index + 1) * p)])
        var descriptors: [FieldDescriptor] = []
        var copies: [[UInt8]] = []
        for (f, field) in h.fields.enumerated() {
            let shape: [Int]
            switch field.shapes {
            case .uniform(let s): shape = s
            case .ragged(let list):
                guard index < list.count else { throw ArchiveError("batch \(h.sequence): field '\(field.name)' has no shape for sample \(index)") }
                shape = list[index]
            }
            let (offset, count) = SampleDigest.span(of: field, sample: index, dtypeSize: field.dtype.byteSize)
            let bytes: [UInt8] = batch.frames[f].withUnsafeBytes { raw in
                guard offset >= 0, count >= 0, offset + count <= raw.count else { return [] }
                return Array(raw[offset..<(offset + count)])
            }
            guard bytes.count == count else {
                throw ArchiveError("batch \(h.sequence): field '\(field.name)' frame is too short for sample \(index)")
            }
            descriptors.append(FieldDescriptor(name: field.name, dtype: field.dtype, shape: shape, role: field.role))
            copies.append(bytes)
        }
        let header = SampleHeader(member: entry.member, attempt: entry.attempt, step: entry.step, time: entry.time,
                                  flags: entry.flags, geometry: h.geometry, spatialDims: h.spatialDims, bounds: h.bounds,
                                  parameters: zip(h.parameterNames, values).map { Parameter($0, $1) }, fields: descriptors)
        try withBuffers(copies[...]) { try body(header, $0) }
    }

    /// Calls `body` with raw views of every array (nested `withUnsafeBytes`).
    static func withBuffers(_ arrays: ArraySlice<[UInt8]>, _ collected: [UnsafeRawBufferPointer] = [],
                            _ body: ([UnsafeRawBufferPointer]) throws -> Void) throws {
        guard let first = arrays.first else { return try body(collected) }
        try first.withUnsafeBytes { try withBuffers(arrays.dropFirst(), collected + [$0], body) }
    }
}

/// Thrown by `ProgressSink` to stop a member run when the export was interrupted.
struct ExportInterrupted: Error {}

/// A sink that reports progress after each snapshot it forwards, and stops the run once `interrupted` is set.
final class ProgressSink: SampleSink {
    let inner: any SampleSink
    let archiver: SnapshotArchiver
    let progress: ExportProgress
    let interrupted: LockedValue<Bool>

    init(_ inner: any SampleSink, archiver: SnapshotArchiver, progress: ExportProgress, interrupted: LockedValue<Bool>) {
        self.inner = inner
        self.archiver = archiver
        self.progress = progress
        self.interrupted = interrupted
    }

    func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws {
        if interrupted.value { throw ExportInterrupted() }
        try inner.write(header, fields: fields)
        progress.update(archiver: archiver, received: nil)
    }

    func finish() throws { try inner.finish() }
}

/// The live line of an export: snapshots, members, bytes in and out, throughput; a line every 10 s in logs.
final class ExportProgress {
    private let quiet: Bool
    private let isTerminal = isatty(FileHandle.standardError.fileDescriptor) != 0
    private let start = ContinuousClock.now
    private var lastPrinted = -Double.infinity

    init(quiet: Bool) { self.quiet = quiet }

    func update(archiver: SnapshotArchiver, received: Int?) {
        guard !quiet else { return }
        let elapsed = (ContinuousClock.now - start).seconds
        guard elapsed - lastPrinted >= (isTerminal ? 0.25 : 10) else { return }
        lastPrinted = elapsed
        let line = Self.line(archiver, received: received, elapsed: elapsed)
        FileHandle.standardError.write(Data((isTerminal ? "\r\(line)   " : "\(line)\n").utf8))
    }

    func finish(archiver: SnapshotArchiver, files: [(split: Split, path: String, snapshots: Int)], directory: String) {
        if isTerminal && !quiet && lastPrinted > -Double.infinity { FileHandle.standardError.write(Data("\n".utf8)) }
        let elapsed = (ContinuousClock.now - start).seconds
        let counts = Split.allCases.map { split in "\(files.filter { $0.split == split }.count) \(split.rawValue)" }
        print("export: \(files.count) files (\(counts.joined(separator: ", "))), "
              + Self.line(archiver, received: nil, elapsed: elapsed) + " -> \(directory)")
    }

    static func line(_ archiver: SnapshotArchiver, received: Int?, elapsed: Double) -> String {
        let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1e6) }
        let rate = elapsed > 0 ? Double(archiver.bytesIn) / 1e6 / elapsed : 0
        var text = "\(archiver.snapshots) snapshots"
        if let received { text += " (\(received) received, \(archiver.duplicates) repeats dropped)" }
        text += ", \(megabytes(archiver.bytesIn)) in, \(megabytes(archiver.bytesOut)) filtered, "
            + String(format: "%.1f MB/s, %.1f s", rate, elapsed)
        return text
    }
}
