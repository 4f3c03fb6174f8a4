import Foundation
import Yams

/// Loads YAML or JSON configuration files into `Codable` types: snake_case keys in the file, camelCase in Swift.
/// Unknown keys are errors (a typo must not silently fall back to a default), and every error names the file and
/// the key path.
public enum ConfigFile {
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public static func load<T: Codable>(_ type: T.Type, from path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "cannot read config file \(path): no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError(description: "config file \(path) is not UTF-8 text")
        }
        return try decode(type, from: text, source: path)
    }

    public static func decode<T: Codable>(_ type: T.Type, from text: String, source: String) throws -> T {
        let object: Any
        do {
            // Compose the node tree and convert it ourselves: Yams' untyped `load` traps on a mapping key that is
            // not a scalar (found by fuzzing), and a config file must never crash the process.
            var budget = 100_000
            object = try yaml(text).map { try plain($0, path: "", depth: 0, budget: &budget, source: source) } ?? [String: Any]()
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "config file \(source) is not valid YAML: \(error)")
        }
        let json: Data
        do {
            json = try JSONSerialization.data(withJSONObject: normalise(object), options: [.fragmentsAllowed])
        } catch {
            throw LoadError(description: "config file \(source) holds values JSON cannot represent: \(error)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let value: T
        do {
            value = try decoder.decode(T.self, from: json)
        } catch let error as DecodingError {
            var text = "config file \(source): \(describe(error))"
            if case .keyNotFound(_, let context) = error, let here = node(normalise(object), at: context.codingPath) as? [String: Any] {
                text += " (keys given there: \(here.keys.sorted().joined(separator: ", ")))"
            }
            throw LoadError(description: text)
        }
        // Unknown keys: every key of the file must appear in the full re-encoding of what was decoded.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let known = try JSONSerialization.jsonObject(with: encoder.encode(value))
        if let unknown = firstUnknownKey(normalise(object), known, path: "") {
            throw LoadError(description: "config file \(source): unknown key '\(unknown.path)'\(unknown.known.isEmpty ? "" : "; known keys there: \(unknown.known.joined(separator: ", "))")")
        }
        return value
    }

    static func yaml(_ text: String) throws -> Node? {
        try Yams.compose(yaml: text)
    }

    /// A YAML node as JSON-compatible values: mappings with string keys, sequences, strings, numbers, booleans,
    /// null. Keys that are not plain scalars are refused; nesting is limited to 64 levels and the document to
    /// 100,000 values after alias expansion (so a "billion laughs" document cannot exhaust memory).
    static func plain(_ node: Node, path: String, depth: Int, budget: inout Int, source: String) throws -> Any {
        let here = path.isEmpty ? "the top level" : "'\(path)'"
        guard depth < 64 else { throw LoadError(description: "config file \(source) nests deeper than 64 levels at \(here)") }
        budget -= 1
        guard budget >= 0 else { throw LoadError(description: "config file \(source) expands to too many values (over 100,000) at \(here)") }
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return NSNull()
            case Tag.Name.bool.rawValue: return node.bool ?? scalar.string
            // Numbers are parsed here, not by Yams: its YAML 1.1 sexagesimal integers ("1:30") overflow and trap on
            // large values (found by fuzzing).
            case Tag.Name.int.rawValue: return integer(scalar.string) ?? scalar.string
            case Tag.Name.float.rawValue: return Double(scalar.string.replacingOccurrences(of: "_", with: "")) ?? scalar.string
            default: return scalar.string
            }
        case .mapping(let mapping):
            var out: [String: Any] = [:]
            for (key, value) in mapping {
                guard case .scalar(let k) = key else {
                    throw LoadError(description: "config file \(source): a key in \(here) is not a plain string")
                }
                out[k.string] = try plain(value, path: path.isEmpty ? k.string : "\(path).\(k.string)", depth: depth + 1,
                                          budget: &budget, source: source)
            }
            return out
        case .sequence(let sequence):
            var items: [Any] = []
            for (i, item) in sequence.enumerated() {
                items.append(try plain(item, path: "\(path)[\(i)]", depth: depth + 1, budget: &budget, source: source))
            }
            return items
        case .alias:
            throw LoadError(description: "config file \(source): an unresolved YAML alias in \(here)")
        }
    }

    /// A YAML integer in decimal, 0x hex or 0o octal (underscores allowed), or nil if it does not fit an Int.
    static func integer(_ text: String) -> Int? {
        var t = text.replacingOccurrences(of: "_", with: "")
        var sign = 1
        if t.hasPrefix("-") { sign = -1; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        let magnitude: Int?
        if t.hasPrefix("0x") { magnitude = Int(t.dropFirst(2), radix: 16) }
        else if t.hasPrefix("0o") { magnitude = Int(t.dropFirst(2), radix: 8) }
        else { magnitude = Int(t) }
        guard let m = magnitude else { return nil }
        let (v, overflow) = m.multipliedReportingOverflow(by: sign)
        return overflow ? nil : v
    }

    /// The value at a coding path in a JSON-like object.
    static func node(_ root: Any, at path: [any CodingKey]) -> Any? {
        var current: Any? = root
        for key in path {
            if let i = key.intValue { current = (current as? [Any]).flatMap { i < $0.count ? $0[i] : nil } } else {
                current = (current as? [String: Any])?[snake(key.stringValue)]
            }
        }
        return current
    }

    /// YAML loads dates and other types JSON lacks; keep what JSON has, stringify the rest.
    static func normalise(_ value: Any) -> Any {
        switch value {
        case let d as [String: Any]: return d.mapValues(normalise)
        case let d as [AnyHashable: Any]:
            var out: [String: Any] = [:]
            for (k, v) in d { out["\(k)"] = normalise(v) }
            return out
        case let a as [Any]: return a.map(normalise)
        case is String, is Int, is Double, is Bool, is NSNull: return value
        case let n as NSNumber: return n
        default: return "\(value)"
        }
    }

    static func firstUnknownKey(_ given: Any, _ known: Any, path: String) -> (path: String, known: [String])? {
        if let g = given as? [String: Any] {
            guard let k = known as? [String: Any] else { return nil }
            for key in g.keys.sorted() {
                let sub = path.isEmpty ? key : "\(path).\(key)"
                guard let kv = k[key] else {
                    // Optional values left unset are absent from the encoding too; accept explicit nulls.
                    if g[key] is NSNull { continue }
                    return (sub, k.keys.sorted())
                }
                if let found = firstUnknownKey(g[key] as Any, kv, path: sub) { return found }
            }
        } else if let g = given as? [Any], let k = known as? [Any] {
            for (i, item) in g.enumerated() where i < k.count {
                if let found = firstUnknownKey(item, k[i], path: "\(path)[\(i)]") { return found }
            }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? snake($0.stringValue) }.joined(separator: ".")
            return p.isEmpty ? "the top level" : "'\(p)'"
        }
        switch error {
        case .keyNotFound(let key, let c):
            return "missing required key '\(snake(key.stringValue))' in \(path(c))"
        case .typeMismatch(let type, let c):
            return "\(path(c)) should be \(type): \(c.debugDescription)"
        case .valueNotFound(let type, let c):
            return "\(path(c)) is null but should be \(type)"
        case .dataCorrupted(let c):
            return "\(path(c)): \(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func snake(_ camel: String) -> String {
        var out = ""
        for ch in camel {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// Parses byte sizes such as `1048576`, `64KiB`, `512 MiB`, `2GiB`, `1.5GB`.
public enum ByteSize {
    public static func parse(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let kib = 1024.0
        let units: [(String, Double)] = [("KiB", kib), ("MiB", kib * kib), ("GiB", kib * kib * kib),
                                         ("TiB", kib * kib * kib * kib), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9),
                                         ("TB", 1e12), ("K", kib), ("M", kib * kib), ("G", kib * kib * kib), ("B", 1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v >= 0 else { return nil }
            return Int(v * factor)
        }
        return Int(t)
    }

    public static func format(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1_073_741_824 { return String(format: "%.2f GiB", b / 1_073_741_824) }
        if b >= 1_048_576 { return String(format: "%.1f MiB", b / 1_048_576) }
        if b >= 1024 { return String(format: "%.1f KiB", b / 1024) }
        return "\(bytes) B"
    }
}
