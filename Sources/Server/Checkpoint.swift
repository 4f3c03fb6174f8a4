import Foundation
import SluiceModel
import Wire
import ZeroMQ

/// A server checkpoint: the reservoir's samples and the server's counters, so that a server killed and restarted
/// carries on with what it held. Written atomically (temporary file, fsync, rename) by a background thread from an
/// immutable snapshot, so the service loop does not wait for the disk.
///
/// Layout: `SLUICECK` (8 bytes), version u32 = 1, then frames, each a u64 little-endian length and its bytes:
/// frame 0 is the metadata (JSON), then per sample a frame holding the count of its frames (u32) followed by its
/// SAMPLE header (wire encoding) and one frame per field. Per-group draw history is not kept: consumer groups
/// start afresh after a restore.
struct Checkpoint: Codable {
    static let magic = Array("SLUICECK".utf8)
    static let version: UInt32 = 1

    struct Member: Codable {
        var member: UInt64
        var attempt: UInt32
        var acceptedSteps: [UInt64]
        var lastStep: UInt64?
        var lastTime: Double?
        var done: Bool
        var shapes: [[Int]]?
    }

    var written: Date
    var totals: ServerStatus.Totals
    var members: [Member]
    var sampleCount: Int

    /// Writes the checkpoint and the samples to `path` atomically.
    static func write(_ meta: Checkpoint, samples: [StoredSample], to path: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else {
            throw ConfigurationError("cannot create checkpoint \(temporary): \(String(cString: strerror(errno)))")
        }
        var ok = true
        func put(_ bytes: UnsafeRawBufferPointer) {
            if ok, bytes.count > 0 { ok = fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count }
        }
        func putFrame(_ bytes: UnsafeRawBufferPointer) {
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { put($0) }
            put(bytes)
        }
        magic.withUnsafeBytes { put($0) }
        withUnsafeBytes(of: version.littleEndian) { put($0) }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = try encoder.encode(meta)
        json.withUnsafeBytes { putFrame($0) }
        for sample in samples {
            let header = try sample.header.encoded()
            withUnsafeBytes(of: UInt32(sample.payload.count + 1).littleEndian) { putFrame($0) }
            header.withUnsafeBytes { putFrame($0) }
            for frame in sample.payload { frame.withUnsafeBytes { putFrame($0) } }
        }
        ok = ok && fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ConfigurationError("cannot write checkpoint \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads a checkpoint; every length is checked against the file, and each sample's header is decoded and
    /// validated as if it had arrived from the network.
    static func read(_ path: String, limits: WireLimits) throws -> (Checkpoint, [(SampleHeader, [[UInt8]])]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read checkpoint \(path)")
        }
        let bytes = [UInt8](data)
        func fail(_ why: String) -> ConfigurationError { ConfigurationError("checkpoint \(path) is damaged: \(why)") }
        guard bytes.count >= 12, Array(bytes[0..<8]) == magic else { throw fail("it does not start with SLUICECK") }
        let version = bytes[8..<12].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        guard version == Self.version else { throw fail("version \(version), this build reads \(Self.version)") }
        var offset = 12
        func frame() throws -> ArraySlice<UInt8> {
            guard offset + 8 <= bytes.count else { throw fail("truncated at byte \(offset)") }
            let n = bytes[offset..<(offset + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            offset += 8
            guard n <= UInt64(bytes.count - offset) else { throw fail("a frame at byte \(offset) runs past the end") }
            defer { offset += Int(n) }
            return bytes[offset..<(offset + Int(n))]
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let meta: Checkpoint
        do { meta = try decoder.decode(Checkpoint.self, from: Data(try frame())) } catch let e as ConfigurationError { throw e } catch {
            throw fail("its metadata is not valid: \(error)")
        }
        var samples: [(SampleHeader, [[UInt8]])] = []
        while offset < bytes.count {
            let countFrame = try frame()
            guard countFrame.count == 4 else { throw fail("bad frame count at byte \(offset)") }
            let count = Int(countFrame.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
            guard count >= 1, count <= limits.maxFields + 1 else { throw fail("a sample with \(count) frames") }
            let headerBytes = Array(try frame())
            let header: SampleHeader
            do { header = try SampleHeader(decoding: headerBytes, limits: limits) } catch { throw fail("a sample header: \(error)") }
            var payload: [[UInt8]] = []
            for _ in 1..<count { payload.append(Array(try frame())) }
            guard payload.count == header.fields.count,
                  zip(header.fields, payload).allSatisfy({ $0.byteCount == $1.count }) else {
                throw fail("member \(header.member) step \(header.step): payload sizes do not match the header")
            }
            samples.append((header, payload))
        }
        guard samples.count == meta.sampleCount else { throw fail("\(samples.count) samples, metadata says \(meta.sampleCount)") }
        return (meta, samples)
    }
}
