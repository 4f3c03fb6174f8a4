@testable import Training
import Testing

@Suite struct PNGImageTests {
    @Test("CRC-32 and Adler-32 match their published check values")
    func checksums() {
        // The CRC of the bytes "IEND" ends every PNG file: AE 42 60 82. "123456789": CBF43926 (the CRC catalogue's
        // check value); Adler-32 of "Wikipedia" is 11E60398 (RFC 1950's example, as Wikipedia gives it).
        #expect(PNGImage.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGImage.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGImage.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test("a PNG's stored zlib stream inflates back to the filtered rows")
    func storedBlocksRoundTrip() throws {
        var image = PNGImage(width: 300, height: 120)  // 300 * 3 + 1 = 901 bytes a row: several 64 KiB blocks
        image.set(5, 7, (255, 0, 0))
        let png = image.encoded(.stored)
        #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Walk the chunks, checking every CRC, and inflate IDAT's stored blocks.
        var offset = 8
        var types: [String] = [], idat: [UInt8] = []
        while offset + 12 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(png[(offset + 8)..<(offset + 8 + length)])
            let crc = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(crc == PNGImage.crc32(Array(type.utf8) + body), "CRC of \(type)")
            types.append(type)
            if type == "IDAT" { idat += body }
            offset += 12 + length
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
        var raw: [UInt8] = [], p = 2, final = false
        while !final {
            final = idat[p] & 1 == 1
            #expect(idat[p] >> 1 == 0, "stored block")
            let n = Int(idat[p + 1]) | Int(idat[p + 2]) << 8
            #expect(UInt16(n) == ~(UInt16(idat[p + 3]) | UInt16(idat[p + 4]) << 8))
            raw += idat[(p + 5)..<(p + 5 + n)]
            p += 5 + n
        }
        #expect(raw.count == 120 * 901)
        #expect(PNGImage.adler32(raw) == idat[p..<(p + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        #expect(raw[7 * 901] == 0 && Array(raw[(7 * 901 + 1 + 15)..<(7 * 901 + 1 + 18)]) == [255, 0, 0])
        #expect(Array(raw[1..<4]) == [255, 255, 255])
    }

    @Test("a loss plot draws its curves in their colours")
    func plot() {
        let plot = LossPlot(title: "loss", series: [
            .init(name: "train", points: (0..<100).map { (Double($0), 1 / Double($0 + 1)) }, color: (200, 0, 0)),
        ])
        let image = plot.render()
        var red = 0
        for i in 0..<(image.width * image.height) where image.pixels[3 * i] == 200 && image.pixels[3 * i + 1] == 0 { red += 1 }
        #expect(red > 500)  // a two-pixel line across most of the 710-pixel-wide plot area, plus the legend
    }

    @Test("the fixed-Huffman stream inflates to the same rows as the stored one, and is much smaller")
    func fixedHuffmanRoundTrip() throws {
        var image = LossPlot(title: "check", series: [
            .init(name: "a", points: (0..<50).map { (Double($0), 1 / Double($0 + 1)) }, color: (200, 10, 30)),
        ]).render()
        for x in 0..<37 { image.set(x * 7 % image.width, (x * 13) % image.height, (UInt8(x), 255 - UInt8(x), 77)) }
        let stored = image.encoded(.stored), compressed = image.encoded(.fixedHuffman)
        #expect(compressed.count * 20 < stored.count, "\(compressed.count) vs \(stored.count) bytes")
        let raw = try Self.idat(stored), zlib = try Self.idat(compressed)
        #expect(Array(zlib[0..<2]) == [0x78, 0x01])
        let inflated = try InflateFixed.inflate(Array(zlib[2..<(zlib.count - 4)]))
        let expected = try InflateFixed.storedPayload(raw)
        #expect(inflated == expected)
        #expect(PNGImage.adler32(inflated) == zlib[(zlib.count - 4)...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// The IDAT chunk's bytes.
    static func idat(_ png: [UInt8]) throws -> [UInt8] {
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            if String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self) == "IDAT" {
                return Array(png[(offset + 8)..<(offset + 8 + length)])
            }
            offset += 12 + length
        }
        throw InflateFixed.Failure(description: "no IDAT")
    }
}

/// A reference inflater for the test: stored blocks and the fixed Huffman code only (RFC 1951, 3.2.5-3.2.6).
enum InflateFixed {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func storedPayload(_ zlib: [UInt8]) throws -> [UInt8] {
        var raw: [UInt8] = [], p = 2, final = false
        while !final {
            guard p + 5 <= zlib.count else { throw Failure(description: "truncated stored block") }
            final = zlib[p] & 1 == 1
            let n = Int(zlib[p + 1]) | Int(zlib[p + 2]) << 8
            raw += zlib[(p + 5)..<(p + 5 + n)]
            p += 5 + n
        }
        return raw
    }

    static func inflate(_ data: [UInt8]) throws -> [UInt8] {
        var bit = 0
        func bits(_ n: Int) throws -> Int {
            var v = 0
            for k in 0..<n {
                guard bit / 8 < data.count else { throw Failure(description: "ran out of bits") }
                v |= Int((data[bit / 8] >> UInt8(bit % 8)) & 1) << k
                bit += 1
            }
            return v
        }
        func code(_ n: Int) throws -> Int {  // Huffman codes arrive most significant bit first
            var v = 0
            for _ in 0..<n { v = v << 1 | (try bits(1)) }
            return v
        }
        guard try bits(1) == 1, try bits(2) == 1 else { throw Failure(description: "expected one final fixed block") }
        var out: [UInt8] = []
        while true {
            var c = try code(7), symbol: Int
            if c <= 0x17 { symbol = 256 + c } else {
                c = c << 1 | (try bits(1))
                if c >= 0x30 && c <= 0xBF { symbol = c - 0x30 } else if c >= 0xC0 && c <= 0xC7 { symbol = 280 + c - 0xC0 } else {
                    c = c << 1 | (try bits(1))
                    symbol = 144 + c - 0x190
                }
            }
            if symbol < 256 { out.append(UInt8(symbol)); continue }
            if symbol == 256 { return out }
            let k = symbol - 257
            let length = FixedHuffmanDeflate.lengthBase[k] + (try bits(FixedHuffmanDeflate.lengthExtra[k]))
            let dk = try code(5)
            let distance = FixedHuffmanDeflate.distanceBase[dk] + (try bits(FixedHuffmanDeflate.distanceExtra[dk]))
            guard distance <= out.count else { throw Failure(description: "distance \(distance) before the start") }
            for _ in 0..<length { out.append(out[out.count - distance]) }
        }
    }
}
