/// Bounds-checked little-endian reads from a byte buffer. Every read checks the remaining length first and throws
/// `WireError.truncated` naming what was being read; nothing is reinterpreted by casting a pointer.
struct ByteReader: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0
    let context: String

    init(_ bytes: UnsafeRawBufferPointer, context: String) {
        self.bytes = bytes
        self.context = context
    }

    var remaining: Int { bytes.count - offset }

    private mutating func take<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(WireError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw .truncated("\(context) \(what)", at: offset, need: size, have: remaining)
        }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func u8(_ what: String) throws(WireError) -> UInt8 { try take(UInt8.self, what) }
    mutating func u16(_ what: String) throws(WireError) -> UInt16 { try take(UInt16.self, what) }
    mutating func u32(_ what: String) throws(WireError) -> UInt32 { try take(UInt32.self, what) }
    mutating func u64(_ what: String) throws(WireError) -> UInt64 { try take(UInt64.self, what) }
    mutating func f64(_ what: String) throws(WireError) -> Double { Double(bitPattern: try take(UInt64.self, what)) }

    /// A reserved field: must be zero, so that a later version can give it a meaning.
    mutating func reserved<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(WireError) {
        let at = offset
        let v = try take(T.self, what)
        guard v == 0 else { throw .invalid("\(context) \(what) at byte \(at) is reserved and must be 0, got \(v)") }
    }

    /// A length-prefixed (one byte) UTF-8 name, at most `maxBytes` long, not empty.
    mutating func name(_ what: String, maxBytes: Int) throws(WireError) -> String {
        let length = Int(try u8("\(what) length"))
        guard length > 0 else { throw .invalid("\(context) \(what) at byte \(offset - 1) is empty") }
        guard length <= maxBytes else { throw .limit("\(context) \(what) length", length, max: maxBytes) }
        guard remaining >= length else {
            throw .truncated("\(context) \(what)", at: offset, need: length, have: remaining)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw .invalid("\(context) \(what) at byte \(offset) is not valid UTF-8")
        }
        offset += length
        return text
    }

    /// Throws unless every byte was consumed.
    func finish() throws(WireError) {
        guard remaining == 0 else {
            throw WireError(.trailingBytes, "\(context) has \(remaining) unexpected bytes after byte \(offset)")
        }
    }
}

/// Little-endian writes into a growing byte array.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { append(v) }
    mutating func u32(_ v: UInt32) { append(v) }
    mutating func u64(_ v: UInt64) { append(v) }
    mutating func f64(_ v: Double) { append(v.bitPattern) }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a name as one length byte and its UTF-8 bytes. The caller has validated its length.
    mutating func name(_ text: String) {
        let utf8 = Array(text.utf8)
        precondition(!utf8.isEmpty && utf8.count <= 255, "names are validated before encoding")
        u8(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
