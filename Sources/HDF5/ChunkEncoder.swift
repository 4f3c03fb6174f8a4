import CHDF5

/// Produces, outside HDF5, the bytes HDF5's own shuffle and deflate filters would store for a chunk, so that an
/// exporter can compress chunks on several threads and hand the finished bytes to
/// `Dataset.writeChunk(_:at:filterMask:)` (HDF5 itself runs filters on the one thread holding its lock).
///
/// Thread-safe: it calls zlib only (never HDF5), and zlib's functions keep no global state.
public struct ChunkEncoder: Sendable, Hashable {
    public let compression: Compression
    /// Bytes per element, for the shuffle filter.
    public let elementSize: Int

    public init(compression: Compression, elementSize: Int) {
        self.compression = compression
        self.elementSize = elementSize
    }

    /// Whether the encoder changes bytes at all (false for `.none`).
    public var isIdentity: Bool { compression.deflateLevel == nil }

    /// The stored form of one chunk's raw little-endian elements: shuffled (when `compression.shuffle`), then
    /// deflated as a zlib stream at the compression's level; the raw bytes for `.none`.
    public func encode(_ raw: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard let level = compression.deflateLevel else { return Array(raw) }
        guard (0...9).contains(level) else {
            throw HDF5Error.invalidArgument(site: CallSite(file: "(chunk)"), "deflate level \(level) is outside 0...9")
        }
        if compression.shuffle && elementSize > 1 {
            let shuffled = Self.shuffle(raw, elementSize: elementSize)
            return try shuffled.withUnsafeBytes { try Self.deflate($0, level: level) }
        }
        return try Self.deflate(raw, level: level)
    }

    /// Undoes `encode` (for tests and tools that read raw chunks): inflates, then unshuffles. `rawCount` is the
    /// chunk's unfiltered size in bytes.
    public func decode(_ stored: [UInt8], rawCount: Int) throws -> [UInt8] {
        guard compression.deflateLevel != nil else { return stored }
        var output = [UInt8](repeating: 0, count: rawCount)
        var length = UInt(rawCount)
        let status = stored.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                chdf5_zlib_uncompress(target.baseAddress, &length, source.baseAddress, UInt(source.count))
            }
        }
        guard status == Z_OK, Int(length) == rawCount else {
            throw HDF5Error.invalidArgument(site: CallSite(file: "(chunk)"), "zlib uncompress failed (status \(status), \(length) of \(rawCount) bytes)")
        }
        guard compression.shuffle && elementSize > 1 else { return output }
        return output.withUnsafeBytes { Self.unshuffle($0, elementSize: elementSize) }
    }

    /// HDF5's shuffle filter: byte `b` of element `i` goes to `b * count + i`; bytes past the last whole element
    /// stay at the end.
    public static func shuffle(_ raw: UnsafeRawBufferPointer, elementSize: Int) -> [UInt8] {
        let count = raw.count / elementSize
        return [UInt8](unsafeUninitializedCapacity: raw.count) { output, initialized in
            for byte in 0..<elementSize {
                let base = byte * count
                for i in 0..<count { output[base + i] = raw[i * elementSize + byte] }
            }
            for tail in (count * elementSize)..<raw.count { output[tail] = raw[tail] }
            initialized = raw.count
        }
    }

    /// The inverse of `shuffle`.
    public static func unshuffle(_ shuffled: UnsafeRawBufferPointer, elementSize: Int) -> [UInt8] {
        let count = shuffled.count / elementSize
        return [UInt8](unsafeUninitializedCapacity: shuffled.count) { output, initialized in
            for byte in 0..<elementSize {
                let base = byte * count
                for i in 0..<count { output[i * elementSize + byte] = shuffled[base + i] }
            }
            for tail in (count * elementSize)..<shuffled.count { output[tail] = shuffled[tail] }
            initialized = shuffled.count
        }
    }

    /// zlib's `compress2` at `level`, as HDF5's deflate filter stores it.
    static func deflate(_ raw: UnsafeRawBufferPointer, level: Int) throws -> [UInt8] {
        let bound = Int(chdf5_zlib_bound(UInt(raw.count)))
        var length = UInt(bound)
        var status: Int32 = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            status = chdf5_zlib_compress(buffer.baseAddress, &length, raw.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                         UInt(raw.count), Int32(level))
            initialized = status == Z_OK ? Int(length) : 0
        }
        guard status == Z_OK else {
            throw HDF5Error.invalidArgument(site: CallSite(file: "(chunk)"), "zlib compress2 failed with status \(status)")
        }
        return output
    }
}
