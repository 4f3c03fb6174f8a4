import Foundation
import ZeroMQ

/// Why a key file or key directory cannot be used, naming the file.
public struct KeyError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// CurveZMQ key files.
///
/// A secret key file (`NAME.key`, mode 0600) holds both keys as `public = Z85` and `secret = Z85` lines; a public
/// key file (`NAME.pub`) holds the `public =` line. Files with a secret key that others can read are refused.
public enum CurveKeyFile {
    /// Reads a secret key file, refusing one readable or writable by group or others.
    public static func readSecret(_ path: String) throws -> CurveKeyPair {
        var info = stat()
        guard stat(path, &info) == 0 else { throw KeyError("cannot read key file \(path): \(String(cString: strerror(errno)))") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw KeyError("key file \(path) has permissions \(String(mode, radix: 8)) but holds a secret key; run: chmod 600 \(path)")
        }
        let fields = try fields(of: path)
        guard let secret = fields["secret"] else { throw KeyError("key file \(path) has no 'secret = ...' line") }
        do {
            let pair = try CurveKeyPair.fromSecretKey(secret)
            if let pub = fields["public"], pub != pair.publicKey {
                throw KeyError("key file \(path): its public key does not belong to its secret key")
            }
            return pair
        } catch let error as ZMQError {
            throw KeyError("key file \(path) holds an invalid secret key (\(error))")
        }
    }

    /// Reads the public key from a `.pub` or `.key` file.
    public static func readPublic(_ path: String) throws -> String {
        guard let key = try fields(of: path)["public"], CurveKeyPair.isValidKey(key) else {
            throw KeyError("key file \(path) has no valid 'public = ...' line (40 Z85 characters)")
        }
        return key
    }

    static func fields(of path: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KeyError("cannot read key file \(path)")
        }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }

    /// Writes `pair` as NAME.key (0600) and NAME.pub (0644) in `directory`, each atomically.
    public static func write(_ pair: CurveKeyPair, name: String, comment: String, in directory: String) throws {
        try writeAtomically("# \(comment)\npublic = \(pair.publicKey)\nsecret = \(pair.secretKey)\n",
                            to: "\(directory)/\(name).key", mode: 0o600)
        try writeAtomically("# \(comment)\npublic = \(pair.publicKey)\n", to: "\(directory)/\(name).pub", mode: 0o644)
    }

    static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else { throw KeyError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, mode)
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw KeyError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// A server's key directory: `server.key`/`server.pub`, one allow-list per role in `allow/ROLE.keys`, a
/// `revoked.keys` list, and the peers' key pairs as `NAME.key`/`NAME.pub` (kept here by `sluice keys generate`;
/// copy a peer's `.key` to where it runs). List lines are `Z85-PUBLIC-KEY NAME`.
public struct KeyDirectory: Sendable {
    public static let roles = ["solver", "trainer", "admin"]
    public let path: String

    public init(_ path: String) { self.path = path }

    public var serverKeyPath: String { "\(path)/server.key" }
    public var serverPublicKeyPath: String { "\(path)/server.pub" }
    public func allowListPath(_ role: String) -> String { "\(path)/allow/\(role).keys" }
    public var revokedPath: String { "\(path)/revoked.keys" }

    /// Creates the directory (0700) and the server key pair if they do not exist yet.
    public func initialise() throws {
        for dir in [path, "\(path)/allow"] {
            if !FileManager.default.fileExists(atPath: dir) {
                guard mkdir(dir, 0o700) == 0 else { throw KeyError("cannot create \(dir): \(String(cString: strerror(errno)))") }
            }
        }
        if !FileManager.default.fileExists(atPath: serverKeyPath) {
            try CurveKeyFile.write(try CurveKeyPair.generate(), name: "server", comment: "sluice server key", in: path)
        }
        for role in Self.roles where !FileManager.default.fileExists(atPath: allowListPath(role)) {
            try CurveKeyFile.writeAtomically("", to: allowListPath(role), mode: 0o644)
        }
        if !FileManager.default.fileExists(atPath: revokedPath) {
            try CurveKeyFile.writeAtomically("", to: revokedPath, mode: 0o644)
        }
    }

    /// Generates a key pair for a peer of `role`, writes NAME.key/NAME.pub, and allows it.
    @discardableResult
    public func generate(name: String, role: String) throws -> CurveKeyPair {
        guard Self.roles.contains(role) else { throw KeyError("role '\(role)' is not one of \(Self.roles.joined(separator: ", "))") }
        guard !name.isEmpty, name != "server", name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw KeyError("key name '\(name)' must be letters, digits, '-', '_' or '.', and not 'server'")
        }
        try initialise()
        guard !FileManager.default.fileExists(atPath: "\(path)/\(name).key") else {
            throw KeyError("a key named '\(name)' already exists in \(path)")
        }
        let pair = try CurveKeyPair.generate()
        try CurveKeyFile.write(pair, name: name, comment: "sluice \(role) key '\(name)'", in: path)
        try append("\(pair.publicKey) \(name)", to: allowListPath(role))
        return pair
    }

    /// Removes a key (by name or public key) from every allow-list and adds it to the revoked list. Returns the
    /// revoked entries.
    @discardableResult
    public func revoke(_ nameOrKey: String) throws -> [(key: String, name: String)] {
        let lists = try load()
        var found: [(String, String)] = []
        for role in Self.roles {
            let entries = lists.allowed[role] ?? [:]
            let matching = entries.filter { $0.key == nameOrKey || $0.value == nameOrKey }
            guard !matching.isEmpty else { continue }
            found += matching.map { ($0.key, $0.value) }
            let kept = entries.filter { !matching.keys.contains($0.key) }.map { "\($0.key) \($0.value)" }.sorted()
            try CurveKeyFile.writeAtomically(kept.map { $0 + "\n" }.joined(), to: allowListPath(role), mode: 0o644)
        }
        guard !found.isEmpty else { throw KeyError("no allowed key named or equal to '\(nameOrKey)' in \(path)") }
        for (key, name) in found { try append("\(key) \(name)", to: revokedPath) }
        return found
    }

    /// The allow-lists (role -> key -> name) and the revoked keys (key -> name).
    public func load() throws -> (allowed: [String: [String: String]], revoked: [String: String]) {
        var allowed: [String: [String: String]] = [:]
        for role in Self.roles { allowed[role] = try entries(allowListPath(role)) }
        return (allowed, try entries(revokedPath))
    }

    func entries(_ file: String) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: file) else { return [:] }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw KeyError("cannot read \(file)") }
        var out: [String: String] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            guard CurveKeyPair.isValidKey(parts[0]) else { throw KeyError("\(file) line \(number + 1): '\(parts[0])' is not a Z85 public key") }
            out[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return out
    }

    func append(_ line: String, to file: String) throws {
        let existing = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let text = existing.isEmpty || existing.hasSuffix("\n") ? existing + line + "\n" : existing + "\n" + line + "\n"
        try CurveKeyFile.writeAtomically(text, to: file, mode: 0o644)
    }

    /// The latest modification time of the lists, to notice edits.
    public var listsStamp: Double {
        (Self.roles.map(allowListPath) + [revokedPath]).reduce(0) { latest, file in
            var info = stat()
            guard stat(file, &info) == 0 else { return latest }
            return max(latest, Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) * 1e-9)
        }
    }
}
