import Archive
import ArgumentParser
import Foundation

/// `sluice inspect FILE.hdf5|DIR`: what a dataset in The Well's layout holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise an HDF5 dataset in The Well's layout: fields, shapes, parameters, provenance, sizes."
    )

    @Argument(help: "A trajectory file (.hdf5) or a dataset directory (with data/{train,valid,test}).")
    var path: String

    @Flag(help: "Print the provenance attributes in full (case file contents included).")
    var full = false

    func validate() throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("\(path) does not exist") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        do {
            if exists && isDirectory.boolValue {
                try inspectDirectory()
            } else {
                print(try Self.describe(WellFileReader.read(path, values: false), full: full))
            }
        } catch let error as ArchiveError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("error: \(path): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    func inspectDirectory() throws {
        let root = URL(fileURLWithPath: path)
        var splits: [(String, [String])] = []
        for split in Split.allCases {
            let folder = root.appendingPathComponent("data/\(split.rawValue)")
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".hdf5") || $0.hasSuffix(".h5") }.sorted().map { folder.appendingPathComponent($0).path }
            splits.append((split.rawValue, files))
        }
        let all = splits.flatMap(\.1)
        guard let first = all.first else {
            throw ArchiveError("\(path) has no .hdf5 files under data/train, data/valid or data/test")
        }
        var snapshots = 0
        var bytes = 0
        var partial = 0
        for file in all {
            snapshots += (try? WellFileReader.read(file, values: false).times.count) ?? 0
            bytes += Self.size(file)
        }
        for (_, folder) in splits.map({ ($0.0, root.appendingPathComponent("data/\($0.0)").path) }) {
            partial += ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".partial") }.count
        }
        print("dataset \(path): \(all.count) files, \(snapshots) snapshots, \(Self.megabytes(bytes))")
        for (split, files) in splits {
            print("  \(split): \(files.count) files, \(Self.megabytes(files.reduce(0) { $0 + Self.size($1) }))")
        }
        let stats = root.appendingPathComponent("stats.yaml").path
        print("  stats.yaml: \(FileManager.default.fileExists(atPath: stats) ? "present" : "missing")")
        if partial > 0 { print("  \(partial) unfinished .partial files (an export still running, or one that crashed)") }
        print("first file:")
        print(try Self.describe(WellFileReader.read(first, values: false), full: full))
    }

    static func describe(_ contents: WellFileContents, full: Bool) -> String {
        var lines = ["\(contents.path): dataset '\(contents.datasetName)', \(contents.trajectories) trajectory(ies), "
                     + "\(contents.times.count) snapshots, \(megabytes(size(contents.path)))"]
        if let first = contents.times.first, let last = contents.times.last {
            lines.append("  time: \(String(format: "%.6g", first)) ... \(String(format: "%.6g", last))")
        }
        for axis in contents.axes {
            let c = axis.coordinates
            lines.append("  axis \(axis.name): \(c.count) points, \(String(format: "%.6g", c.first ?? 0)) ... \(String(format: "%.6g", c.last ?? 0)), \(axis.boundary.rawValue)")
        }
        for field in contents.fields {
            let storage = (field.chunk.map { "chunk \($0)" } ?? "contiguous") + (field.filters.isEmpty ? "" : ", " + field.filters.joined(separator: " + "))
            lines.append("  t\(field.order)_fields/\(field.name): \(field.elementType) \(field.shape) (\(storage))")
        }
        if !contents.parameters.isEmpty {
            lines.append("  parameters: " + contents.parameters.map { "\($0.name) = \(String(format: "%.6g", $0.value))" }.joined(separator: ", "))
        }
        for (key, value) in contents.provenance.sorted(by: { $0.key < $1.key }) {
            let shown = full ? value : value.split(separator: "\n").first.map { String($0.prefix(100)) + (value.count > 100 || value.contains("\n") ? " ..." : "") } ?? ""
            lines.append("  \(key): \(shown)")
        }
        return lines.joined(separator: "\n")
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.2f MB", Double(bytes) / 1e6) }
}
