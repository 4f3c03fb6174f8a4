import Filters
import Foundation
import HDF5
import SluiceModel

/// What a `SnapshotArchiver` writes, beyond the selection: the resolved export settings.
public struct ArchiveOptions: Sendable {
    public var datasetName: String
    public var filter: FilterSpec?
    public var precision: WellPrecision
    public var compression: Compression
    public var threads: Int
    public var selection: SampleSelection
    public var vectors: [String: [String]]
    public var boundaries: [BoundaryKind]?
    /// Provenance attributes shared by every file (solver, case file, filter, version, revision, creation time).
    public var provenance: [String: String]

    public init(datasetName: String, filter: FilterSpec? = nil, precision: WellPrecision = .float32,
                compression: Compression = .none, threads: Int = 2, selection: SampleSelection = SampleSelection(),
                vectors: [String: [String]] = [:], boundaries: [BoundaryKind]? = nil, provenance: [String: String] = [:]) {
        self.datasetName = datasetName
        self.filter = filter
        self.precision = precision
        self.compression = compression
        self.threads = threads
        self.selection = selection
        self.vectors = vectors
        self.boundaries = boundaries
        self.provenance = provenance
    }
}

/// Turns solver snapshots (a `SampleHeader` and raw field bytes, from a member run or a server's batches) into
/// trajectory files of a `WellDatasetWriter`: selects by member, step and time, filters each field to the coarse
/// grid, and writes one file per member.
///
/// `ordered` archives (members run in this process) stream each member's snapshots straight into its file.
/// Unordered ones (a server's consumer group delivers samples in any order, possibly more than once) keep each
/// member's coarse snapshots in memory by step and write the files, in step order without duplicates, on
/// `finishAll()`.
public final class SnapshotArchiver {
    public let dataset: WellDatasetWriter
    public let options: ArchiveOptions
    private let splitOf: (UInt64) -> Split
    private let ordered: Bool
    private var members: [UInt64: MemberTrajectory] = [:]
    /// Snapshots accepted, field bytes received and written (after filtering, before compression).
    public private(set) var snapshots = 0
    public private(set) var bytesIn = 0
    public private(set) var bytesOut = 0
    /// Samples received again (unordered archives) and dropped.
    public private(set) var duplicates = 0

    public init(dataset: WellDatasetWriter, options: ArchiveOptions, ordered: Bool, split: @escaping (UInt64) -> Split) {
        self.dataset = dataset
        self.options = options
        self.ordered = ordered
        splitOf = split
    }

    /// Takes one snapshot; returns whether the selection kept it.
    @discardableResult
    public func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws -> Bool {
        guard options.selection.keeps(member: header.member),
              options.selection.keeps(step: header.step, time: header.time) else { return false }
        let trajectory: MemberTrajectory
        if let existing = members[header.member] {
            // A server may deliver a sample more than once (draws with replacement): keep the first.
            if !ordered, existing.buffered[header.step] != nil {
                duplicates += 1
                return false
            }
            trajectory = existing
        } else {
            trajectory = try MemberTrajectory(header: header, fields: fields, options: options)
            members[header.member] = trajectory
        }
        let coarse = try trajectory.coarseFields(header, fields)
        bytesIn += fields.reduce(0) { $0 + $1.count }
        bytesOut += coarse.reduce(0) { $0 + $1.count }
        snapshots += 1
        if ordered {
            if trajectory.writer == nil {
                trajectory.writer = try dataset.makeFile(member: header.member, split: splitOf(header.member), layout: trajectory.layout)
            }
            try trajectory.writer?.append(time: header.time, rawFields: coarse)
        } else if trajectory.buffered[header.step] == nil {
            trajectory.buffered[header.step] = (header.time, coarse)
        }
        return true
    }

    /// Finishes member `member`'s file (ordered archives, when the member's run ends).
    public func finish(member: UInt64) throws {
        guard let trajectory = members[member] else { return }
        try flush(member, trajectory)
        members[member] = nil
    }

    /// Writes every member still open and the dataset's `stats.yaml`. Returns the files written.
    @discardableResult
    public func finishAll() throws -> [(split: Split, path: String, snapshots: Int)] {
        for member in members.keys.sorted() {
            if let trajectory = members[member] { try flush(member, trajectory) }
        }
        members.removeAll()
        try dataset.finish()
        return dataset.files
    }

    /// Deletes the temporary files of members still open (after a failure).
    public func abandon() {
        for trajectory in members.values { trajectory.writer?.abandon() }
        members.removeAll()
    }

    /// Members seen so far and their snapshot counts (buffered or written).
    public var memberCounts: [UInt64: Int] {
        members.mapValues { $0.writer?.times.count ?? $0.buffered.count }
    }

    private func flush(_ member: UInt64, _ trajectory: MemberTrajectory) throws {
        if !ordered {
            guard !trajectory.buffered.isEmpty else { return }
            let writer = try dataset.makeFile(member: member, split: splitOf(member), layout: trajectory.layout)
            do {
                for step in trajectory.buffered.keys.sorted() {
                    if let (time, fields) = trajectory.buffered[step] { try writer.append(time: time, rawFields: fields) }
                }
            } catch {
                writer.abandon()
                throw error
            }
            trajectory.writer = writer
            trajectory.buffered.removeAll()
        }
        if let writer = trajectory.writer {
            try dataset.finish(writer, split: splitOf(member))
        }
    }
}

/// The `SampleSink` a member run writes into: every snapshot goes to the archiver, and the member's file is
/// finished (renamed into place) when the run finishes the sink.
public final class ArchiveSink: SampleSink {
    public let archiver: SnapshotArchiver
    public let member: UInt64

    public init(archiver: SnapshotArchiver, member: UInt64) {
        self.archiver = archiver
        self.member = member
    }

    public func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws {
        try archiver.write(header, fields: fields)
    }

    public func finish() throws {
        try archiver.finish(member: member)
    }
}
