/// A small deflate encoder (RFC 1951) for ``PNGImage``: one block with the fixed Huffman code (BTYPE 01) and
/// LZ77 matches against two candidates only, the previous pixel (distance 3) and the same pixel of the previous
/// row (distance `rowBytes`). Plots are mostly runs of one colour, so this finds nearly every match a full
/// compressor would (an 800x500 plot: 1.2 MB raw, about 20 kB) at a few lines of code.
struct FixedHuffmanDeflate {
    private var bytes: [UInt8] = []
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    /// `data` as one final fixed-Huffman block (no zlib header).
    static func compress(_ data: [UInt8], rowBytes: Int) -> [UInt8] {
        var e = FixedHuffmanDeflate()
        e.bytes.reserveCapacity(data.count / 8 + 64)
        e.writeBits(1, count: 1)  // BFINAL
        e.writeBits(1, count: 2)  // BTYPE = 01, fixed Huffman
        let distances = [3, rowBytes].filter { $0 >= 1 && $0 <= 32768 }
        var i = 0
        while i < data.count {
            var bestLength = 0, bestDistance = 0
            for d in distances where d <= i {
                var n = 0
                while n < 258, i + n < data.count, data[i + n] == data[i + n - d] { n += 1 }
                if n > bestLength { bestLength = n; bestDistance = d }
            }
            if bestLength >= 3 {
                e.writeLength(bestLength)
                e.writeDistance(bestDistance)
                i += bestLength
            } else {
                e.writeLiteral(Int(data[i]))
                i += 1
            }
        }
        e.writeLiteral(256)  // end of block
        if e.bitCount > 0 { e.bytes.append(UInt8(truncatingIfNeeded: e.bitBuffer)) }
        return e.bytes
    }

    /// Appends `count` bits of `value`, least significant first (deflate's order for everything but Huffman codes).
    private mutating func writeBits(_ value: Int, count: Int) {
        bitBuffer |= UInt64(value) << UInt64(bitCount)
        bitCount += count
        while bitCount >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: bitBuffer))
            bitBuffer >>= 8
            bitCount -= 8
        }
    }

    /// Appends a Huffman code of `length` bits, most significant bit first.
    private mutating func writeCode(_ code: Int, length: Int) {
        var reversed = 0
        for b in 0..<length where code & (1 << b) != 0 { reversed |= 1 << (length - 1 - b) }
        writeBits(reversed, count: length)
    }

    /// A literal/length symbol in the fixed code (RFC 1951, 3.2.6).
    private mutating func writeLiteral(_ symbol: Int) {
        switch symbol {
        case 0...143: writeCode(0x30 + symbol, length: 8)
        case 144...255: writeCode(0x190 + symbol - 144, length: 9)
        case 256...279: writeCode(symbol - 256, length: 7)
        default: writeCode(0xC0 + symbol - 280, length: 8)
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                               4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private mutating func writeLength(_ length: Int) {
        var k = Self.lengthBase.count - 1
        while Self.lengthBase[k] > length { k -= 1 }
        writeLiteral(257 + k)
        writeBits(length - Self.lengthBase[k], count: Self.lengthExtra[k])
    }

    private mutating func writeDistance(_ distance: Int) {
        var k = Self.distanceBase.count - 1
        while Self.distanceBase[k] > distance { k -= 1 }
        writeCode(k, length: 5)
        writeBits(distance - Self.distanceBase[k], count: Self.distanceExtra[k])
    }
}
