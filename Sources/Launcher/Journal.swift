import Foundation

/// The launcher's journal: one JSON object per line, appended and flushed to disk for every state change, so that
/// `sluice launch` run again after its own crash (or a kill) resumes the study where it stopped.
public final class Journal {
    public struct Entry: Codable, Sendable, Equatable {
        public enum Event: String, Codable, Sendable {
            case studyStart = "study-start"
            case serverStart = "server-start"
            case memberStart = "member-start"
            case memberExit = "member-exit"
            case memberDone = "member-done"
            case memberFailed = "member-failed"
            case memberReplaced = "member-replaced"
            case consumerStart = "consumer-start"
            case studyEnd = "study-end"
        }

        public var event: Event
        public var time: Double
        public var member: Int?
        public var attempt: Int?
        public var pid: Int32?
        /// The scheduler's job id (Slurm: "1234", "1234_5" for an array task); absent for local processes.
        public var job: String?
        public var status: Int32?
        public var reason: String?
        public var replacement: Int?
        public var parameters: [String: Double]?
        public var accepted: Int?
        public var name: String?

        public init(_ event: Event, member: Int? = nil, attempt: Int? = nil, pid: Int32? = nil, job: String? = nil,
                    status: Int32? = nil, reason: String? = nil, replacement: Int? = nil,
                    parameters: [String: Double]? = nil, accepted: Int? = nil, name: String? = nil) {
            self.event = event
            self.time = Date().timeIntervalSince1970
            self.member = member
            self.attempt = attempt
            self.pid = pid
            self.job = job
            self.status = status
            self.reason = reason
            self.replacement = replacement
            self.parameters = parameters
            self.accepted = accepted
            self.name = name
        }
    }

    public let path: String
    private let handle: FileHandle

    /// Opens (creating if needed) the journal for appending.
    public init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw LaunchError("cannot create the journal \(path)")
            }
        }
        guard let h = FileHandle(forUpdatingAtPath: path) else { throw LaunchError("cannot open the journal \(path)") }
        h.seekToEndOfFile()
        handle = h
    }

    deinit { try? handle.close() }

    /// Appends an entry and makes it durable (fsync) before returning.
    public func append(_ entry: Entry) throws {
        var entry = entry
        // A local job's id is its pid, already recorded; only a scheduler's own job ids are worth a field.
        if entry.job != nil, entry.job == entry.pid.map({ "\($0)" }) { entry.job = nil }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }

    /// Every entry written so far. A torn last line (a crash mid-write) is ignored; any other bad line is an error
    /// naming it.
    public static func read(_ path: String) throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
        var entries: [Entry] = []
        for (i, line) in lines.enumerated() {
            do {
                entries.append(try decoder.decode(Entry.self, from: Data(line)))
            } catch {
                if i == lines.count - 1 && data.last != 0x0A { break }
                throw LaunchError("journal \(path) line \(i + 1) is not valid: \(error)")
            }
        }
        return entries
    }
}

/// A launcher failure, in a sentence.
public struct LaunchError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
