import Foundation

/// A dataset directory in The Well's layout: `DIRECTORY/data/{train,valid,test}/*.hdf5` and
/// `DIRECTORY/stats.yaml`. Hands out one `WellFileWriter` per trajectory and gathers their statistics.
public final class WellDatasetWriter {
    public let directory: String
    public let name: String
    private var statistics: [Split: DatasetStatistics] = [:]
    public private(set) var files: [(split: Split, path: String, snapshots: Int)] = []

    public init(directory: String, name: String) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ArchiveError("dataset name '\(name)' must be letters, digits, '-', '_' or '.'")
        }
        self.directory = directory
        self.name = name
        for split in Split.allCases {
            try FileManager.default.createDirectory(atPath: path(of: split), withIntermediateDirectories: true)
        }
    }

    public func path(of split: Split) -> String { "\(directory)/data/\(split.rawValue)" }

    /// The file name of a member's trajectory.
    public func fileName(member: UInt64) -> String { String(format: "%@_member%06llu.hdf5", name, member) }

    /// A writer for member `member`'s trajectory in `split`.
    public func makeFile(member: UInt64, split: Split, layout: WellFileLayout) throws -> WellFileWriter {
        try WellFileWriter(path: "\(path(of: split))/\(fileName(member: member))", layout: layout)
    }

    /// Finishes `writer` (renaming its file into place) and adds its statistics.
    public func finish(_ writer: WellFileWriter, split: Split) throws {
        let path = try writer.finish()
        var stats = statistics[split] ?? DatasetStatistics()
        for (field, fieldStatistics) in zip(writer.layout.fields, writer.statistics) { stats.merge(field.name, fieldStatistics) }
        statistics[split] = stats
        files.append((split, path, writer.times.count))
    }

    /// Writes `stats.yaml` (over the training split, or all splits when it is empty), through a temporary file.
    public func finish() throws {
        var chosen = statistics[.train] ?? DatasetStatistics()
        if chosen.isEmpty {
            for split in Split.allCases {
                for (name, s) in statistics[split]?.fields ?? [] { chosen.merge(name, s) }
            }
        }
        let target = "\(directory)/stats.yaml"
        let temporary = "\(directory)/.stats.yaml.partial"
        try Data(chosen.yaml.utf8).write(to: URL(fileURLWithPath: temporary))
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        try FileManager.default.moveItem(atPath: temporary, toPath: target)
    }
}
