import Foundation
import Server
import Studies

/// The study's accounting: for every member, its parameters, attempts, outcome, and exactly which steps the server
/// accepted (as ranges), with the planned count. Written to `accounting.json` in the work directory.
enum Accounting {
    struct Row: Codable {
        var member: Int
        var outcome: String
        var attempts: Int
        var failures: Int
        var parameters: [String: Double]
        var replacement: Int?
        var planned: Int?
        var accepted: Int?
        var acceptedSteps: [[UInt64]]?
    }

    struct Document: Codable {
        var study: String
        var members: [Row]
        var samplesIn: Int?
        var rejected: [String: Int]?
    }

    static func write(study: Study, state: StudyState, status: ServerStatus?, planned: [Int: Int], to path: String) throws -> String {
        let rows = state.members.values.sorted { $0.member < $1.member }.map { m -> Row in
            let remote = status?.members.first { $0.member == UInt64(m.member) }
            return Row(member: m.member, outcome: m.phase.rawValue, attempts: m.attempts, failures: m.failures,
                       parameters: m.parameters, replacement: m.replacement, planned: planned[m.member],
                       accepted: remote?.accepted ?? m.accepted, acceptedSteps: remote?.acceptedSteps)
        }
        let doc = Document(study: study.name, members: rows, samplesIn: status?.totals.samplesIn, rejected: status?.totals.rejected)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(doc).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }
}

/// The live progress line: members done/running/failed, rates in and out, reservoir fill, ETA.
final class LaunchProgress {
    let plain: Bool
    let quiet: Bool
    private var lastLine = Date.distantPast

    init(plain: Bool, quiet: Bool) {
        self.plain = plain
        self.quiet = quiet
    }

    func note(_ text: String) {
        guard !quiet else { return }
        if !plain { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
        print(text)
    }

    func line(_ l: StudyLauncher) -> String {
        let members = l.state.members.values
        let done = members.filter { $0.phase == .done }.count
        let failed = members.filter { $0.phase == .failed }.count
        let total = members.filter { $0.phase != .replaced }.count
        let elapsed = Date().timeIntervalSince(l.startedAt)
        let eta = done > 0 ? Double(total - done - failed) * elapsed / Double(done) : nil
        var text = String(format: "%5.0f s | members %d/%d done, %d running, %d failed, %d relaunched", elapsed, done, total,
                          l.running.count - l.queued, failed, l.relaunches)
        if l.queued > 0 { text += ", \(l.queued) queued" }
        if let s = l.lastStatus {
            let fill = s.reservoir.capacityBytes > 0 ? 100 * Double(s.reservoir.bytes) / Double(s.reservoir.capacityBytes) : 0
            text += String(format: " | in %.0f samples/s, out %.0f samples/s | fill %.0f%%", s.rates.samplesInPerS,
                           s.rates.samplesOutPerS, fill)
        }
        if let eta { text += String(format: " | ETA %.0f s", eta) }
        return text
    }

    func update(_ l: StudyLauncher) {
        guard !quiet, Date().timeIntervalSince(lastLine) >= 1 else { return }
        lastLine = Date()
        let text = line(l)
        if plain { print(text) } else { FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + text).utf8)) }
    }

    func finish(_ l: StudyLauncher) {
        guard !quiet else { return }
        if !plain { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
        print(line(l))
    }
}
