import Foundation

/// The job templates of `sluice launch --scheduler slurm` (ops/slurm/*.sbatch): read once, rendered per job by
/// replacing `{{name}}` placeholders. A template that names a placeholder the launcher does not supply is refused,
/// with the template and the name, when it is loaded.
public struct SlurmTemplates: Sendable {
    public static let serverFile = "server.sbatch"
    public static let memberArrayFile = "member-array.sbatch"
    public static let trainerFile = "trainer.sbatch"

    /// Placeholders each template may use (ops/slurm/README.md documents them).
    static let common: Set<String> = ["job_name", "work_dir", "log"]
    static let allowed: [String: Set<String>] = [
        serverFile: common.union(["command", "advertise_host", "bind_host"]),
        memberArrayFile: common.union(["array", "task_dir"]),
        trainerFile: common.union(["command"]),
    ]

    public let directory: String
    let texts: [String: String]

    /// Reads the three templates from `directory`.
    public init(directory: String) throws {
        self.directory = directory
        var texts: [String: String] = [:]
        for (file, allowed) in Self.allowed {
            let path = "\(directory)/\(file)"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LaunchError("the Slurm template \(path) is missing (templates ship in ops/slurm/; pass --slurm-templates DIR)")
            }
            let text = String(decoding: data, as: UTF8.self)
            let unknown = Self.placeholders(in: text).subtracting(allowed)
            guard unknown.isEmpty else {
                throw LaunchError("the Slurm template \(path) uses unknown placeholders \(unknown.sorted().map { "{{\($0)}}" }.joined(separator: ", ")); "
                                  + "it may use \(allowed.sorted().map { "{{\($0)}}" }.joined(separator: ", "))")
            }
            texts[file] = text
        }
        self.texts = texts
    }

    /// The ops/slurm folder of the checkout this `sluice` binary was built in (…/.build/debug/sluice →
    /// …/ops/slurm), if there is one.
    public static func defaultDirectory(executable: String) -> String? {
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("ops/slurm").path
            if FileManager.default.fileExists(atPath: "\(candidate)/\(serverFile)") { return candidate }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// The template for `file` with every placeholder replaced.
    package func render(_ file: String, _ values: [String: String]) throws -> String {
        guard var text = texts[file] else { throw LaunchError("no Slurm template \(file) in \(directory)") }
        for name in Self.placeholders(in: text) {
            guard let value = values[name] else {
                throw LaunchError("the Slurm template \(directory)/\(file) needs {{\(name)}}, which has no value here")
            }
            text = text.replacingOccurrences(of: "{{\(name)}}", with: value)
        }
        return text
    }

    /// Names between `{{` and `}}` (letters, digits, underscores).
    static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.insert(String(name)) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// `word` quoted for a POSIX shell: 'it'\''s'.
    public static func shellQuoted(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-=:+,@%".contains($0)) }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// A job's command line, shell-quoted.
    static func commandLine(_ job: JobSpec) -> String {
        ([job.executable] + job.arguments).map(shellQuoted).joined(separator: " ")
    }
}
