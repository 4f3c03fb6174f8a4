/// An 8-bit RGB image and a minimal PNG encoder (ISO/IEC 15948): IHDR, one IDAT holding a zlib stream (RFC 1950),
/// and IEND, each with its CRC-32. The zlib stream holds either stored deflate blocks (BTYPE 00, 3 bytes a pixel)
/// or one fixed-Huffman block with run matches (``FixedHuffmanDeflate``: an 800x500 plot in about 20 kB).
public struct PNGImage: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major RGB bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (255, 255, 255)) {
        precondition(width >= 1 && height >= 1, "image size \(width)x\(height)")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { pixels[3 * i] = fill.0; pixels[3 * i + 1] = fill.1; pixels[3 * i + 2] = fill.2 }
    }

    /// Sets pixel (x, y) (origin top left); outside the image it does nothing.
    public mutating func set(_ x: Int, _ y: Int, _ color: (UInt8, UInt8, UInt8)) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = 3 * (y * width + x)
        pixels[i] = color.0; pixels[i + 1] = color.1; pixels[i + 2] = color.2
    }

    /// How IDAT's deflate stream is written.
    public enum Compression: Sendable {
        /// Stored blocks: no compression, trivially checkable.
        case stored
        /// One fixed-Huffman block with matches at one pixel and one row back.
        case fixedHuffman
    }

    /// The PNG file's bytes.
    public func encoded(_ compression: Compression = .fixedHuffman) -> [UInt8] {
        var raw = [UInt8]()
        raw.reserveCapacity(height * (1 + 3 * width))
        for y in 0..<height {
            raw.append(0)  // filter type None
            raw += pixels[(3 * y * width)..<(3 * (y + 1) * width)]
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr = [UInt8]()
        ihdr += Self.bigEndian(UInt32(width))
        ihdr += Self.bigEndian(UInt32(height))
        ihdr += [8, 2, 0, 0, 0]  // 8-bit, truecolour, deflate, adaptive filtering, no interlace
        Self.appendChunk("IHDR", ihdr, to: &png)
        let idat = compression == .stored ? Self.zlibStored(raw)
            : [0x78, 0x01] + FixedHuffmanDeflate.compress(raw, rowBytes: 1 + 3 * width) + Self.bigEndian(Self.adler32(raw))
        Self.appendChunk("IDAT", idat, to: &png)
        Self.appendChunk("IEND", [], to: &png)
        return png
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        png += bigEndian(crc32(typeBytes + data))
    }

    /// A zlib stream of stored deflate blocks (at most 65535 bytes each) with its Adler-32.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary; 0x7801 % 31 == 0
        var offset = 0
        repeat {
            let n = min(65535, data.count - offset)
            let final: UInt8 = offset + n == data.count ? 1 : 0
            out.append(final)  // BFINAL, BTYPE = 00 (stored)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        out += bigEndian(adler32(data))
        return out
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309, the PNG and zlib polynomial).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// Adler-32 (RFC 1950).
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var i = 0
        while i < bytes.count {
            let end = min(i + 5552, bytes.count)  // the largest run before the sums can overflow 32 bits
            while i < end { a += UInt32(bytes[i]); b += a; i += 1 }
            a %= 65521
            b %= 65521
        }
        return (b << 16) | a
    }
}
