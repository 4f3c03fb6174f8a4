import Foundation

/// A child process for end-to-end tests: the real `sluice` binary (or python3), with its output captured in files
/// so a failing test can show it.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: Foundation.Process is used from the test's thread only.
    public let process = Process()
    public let name: String
    public let stdoutPath: String
    public let stderrPath: String

    public init(_ executable: String, _ arguments: [String], name: String? = nil, environment: [String: String] = [:],
                directory: TemporaryDirectory) throws {
        self.name = name ?? URL(fileURLWithPath: executable).lastPathComponent
        let tag = "\(self.name)-\(UUID().uuidString.prefix(6))".replacingOccurrences(of: " ", with: "_")
        stdoutPath = directory.path("\(tag).out")
        stderrPath = directory.path("\(tag).err")
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGINT, SIGTERM, SIGKILL...).
    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for exit up to `seconds`; returns the exit status, or nil if still running (then it is killed).
    @discardableResult
    public func wait(seconds: Double = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Both outputs, for failure messages.
    public var output: String { "--- \(name) stdout ---\n\(stdout)\n--- \(name) stderr ---\n\(stderr)" }

    deinit {
        if process.isRunning { signal(SIGKILL) }
    }
}

/// The `sluice` binary under test: $SLUICE_BIN, else next to the test bundle, else .build/debug/sluice.
public func sluiceBinary() -> String {
    if let path = ProcessInfo.processInfo.environment["SLUICE_BIN"] { return path }
    let me = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    for candidate in [me.appendingPathComponent("sluice").path,
                      me.deletingLastPathComponent().appendingPathComponent("sluice").path] where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    return repositoryRoot() + "/.build/debug/sluice"
}

/// Reads a JSON file (an endpoint file, a report), waiting up to `seconds` for it to appear.
public func readJSON(_ path: String, waitSeconds: Double = 10) throws -> Any {
    _ = waitUntil(seconds: waitSeconds) { FileManager.default.fileExists(atPath: path) }
    return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
}
