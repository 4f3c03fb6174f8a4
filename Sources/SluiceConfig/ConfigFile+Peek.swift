import Foundation
import Yams

extension ConfigFile {
    /// The string value of a top-level key of a YAML or JSON file, without decoding the rest: how a registry finds
    /// which type a file holds (a case file's `solver:`) before decoding it strictly.
    ///
    /// - Returns: nil when the key is absent or not a string.
    /// - Throws: ``LoadError`` when the file cannot be read or is not YAML.
    public static func topLevelString(_ key: String, in path: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "cannot read config file \(path): no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError(description: "config file \(path) is not UTF-8 text")
        }
        let object: Any?
        do {
            object = try Yams.load(yaml: text)
        } catch {
            throw LoadError(description: "config file \(path) is not valid YAML: \(error)")
        }
        return (object as? [String: Any])?[key] as? String
    }
}
