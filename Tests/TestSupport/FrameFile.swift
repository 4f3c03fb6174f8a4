import Foundation

/// The container of the golden wire fixtures (schemas/wire/fixtures/*.bin): a multipart message stored as
/// frames one after the other, each as a little-endian u32 byte count followed by its bytes.
public enum FrameFile {
    public static func encode(_ frames: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for f in frames {
            withUnsafeBytes(of: UInt32(f.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: f)
        }
        return out
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public static func decode(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            guard i + 4 <= bytes.count else { throw FormatError(description: "truncated frame length at byte \(i)") }
            let n = Int(UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
            i += 4
            guard i + n <= bytes.count else { throw FormatError(description: "frame of \(n) bytes at byte \(i) runs past the end") }
            frames.append(Array(bytes[i..<(i + n)]))
            i += n
        }
        return frames
    }

    public static func read(_ path: String) throws -> [[UInt8]] {
        try decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    public static func write(_ frames: [[UInt8]], to path: String) throws {
        try Data(encode(frames)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// The repository root, found from this source file's location.
public func repositoryRoot(_ file: String = #filePath) -> String {
    var url = URL(fileURLWithPath: file)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}

/// Little-endian bytes of an array of fixed-width values (a field's raw payload).
public func littleEndianBytes<T: BitwiseCopyable>(_ values: [T]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }
}
