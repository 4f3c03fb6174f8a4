import HDF5
import TestSupport
import Testing

/// The little-endian bytes of `values`, the layout HDF5 stores unfiltered float32 chunks in.
private func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Test func rawChunkWrittenWithFiltersSkippedReadsBackThroughNormalReads() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("chunks.h5")
    let top = (0..<16).map { Float($0) }  // rows 0...1, written through HDF5's filters
    let bottom = (16..<32).map { Float($0) * -0.5 }  // rows 2...3, written as a raw chunk
    do {
        let file = try File(creating: path)
        let u = try file.createDataset(
            "u", of: Float.self, shape: [4, 8], chunk: [2, 8], compression: .deflate(level: 6))
        try u.write(top, offset: [0, 0], count: [2, 8])
        try u.writeChunk(littleEndianBytes(bottom), at: [2, 0], filterMask: .allFiltersSkipped)
        try file.close()
    }

    let file = try File(opening: path)
    let u = try file.openDataset("u")
    #expect(try u.read(as: Float.self) == top + bottom)
    #expect(try u.read(as: Float.self, offset: [2, 6], count: [2, 2]) == [-11, -11.5, -15, -15.5])

    let raw = try #require(try u.readChunk(at: [2, 0]))
    #expect(raw.filterMask == .allFiltersSkipped)
    #expect(raw.bytes == littleEndianBytes(bottom))
    // The chunk HDF5 wrote went through shuffle and deflate: all filters applied, bytes not the raw elements.
    let filtered = try #require(try u.readChunk(at: [0, 0]))
    #expect(filtered.filterMask == [])
    #expect(filtered.bytes != littleEndianBytes(top))
    #expect(!filtered.bytes.isEmpty)
}

@Test func rawChunkWritesCheckOffsetAndSize() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try File(creating: directory.path("chunk-arguments.h5"))
    let u = try file.createDataset("u", of: Float.self, shape: [4, 8], chunk: [2, 8], compression: .deflate())
    #expect(try u.readChunk(at: [0, 0]) == nil)
    let misaligned = #expect(throws: HDF5Error.self) {
        try u.writeChunk(littleEndianBytes(Array(repeating: 1, count: 16)), at: [1, 0], filterMask: .allFiltersSkipped)
    }
    #expect(misaligned?.description.contains("does not start a chunk") == true)
    let short = #expect(throws: HDF5Error.self) {
        try u.writeChunk([1, 2, 3], at: [0, 0], filterMask: .allFiltersSkipped)
    }
    #expect(short?.description.contains("must be 64 bytes") == true)
    let contiguous = try file.createDataset("v", of: Float.self, shape: [4])
    #expect(throws: HDF5Error.self) { try contiguous.readChunk(at: [0]) }
}

@Test(arguments: [Compression.deflate(level: 1), .deflate(level: 6, shuffle: false), .deflate(level: 4), .none])
func chunksEncodedOutsideHDF5ReadBackThroughItsFilters(compression: Compression) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("encoded.h5")
    let values: [Float] = (0..<(3 * 64)).map { Float(($0 * 37) % 101) * 0.25 - 7 }
    let encoder = ChunkEncoder(compression: compression, elementSize: 4)
    do {
        let file = try File(creating: path)
        let u = try file.createDataset("u", of: Float.self, shape: [3, 64], chunk: [1, 64], compression: compression)
        for row in 0..<3 {
            let bytes = littleEndianBytes(Array(values[(row * 64)..<((row + 1) * 64)]))
            let stored = try bytes.withUnsafeBytes { try encoder.encode($0) }
            if compression != .none { #expect(stored != bytes) }
            #expect(try encoder.decode(stored, rawCount: bytes.count) == bytes)
            try u.writeChunk(stored, at: [row, 0])
        }
        try file.close()
    }
    let file = try File(opening: path)
    #expect(try file.openDataset("u").read(as: Float.self) == values)
}

@Test func shuffleMatchesHDF5sByteOrder() {
    let raw: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    let shuffled = raw.withUnsafeBytes { ChunkEncoder.shuffle($0, elementSize: 4) }
    #expect(shuffled == [1, 5, 2, 6, 3, 7, 4, 8, 9])
    #expect(shuffled.withUnsafeBytes { ChunkEncoder.unshuffle($0, elementSize: 4) } == raw)
}

@Test func scalarDatasetsHoldOneElement() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("scalar.h5")
    do {
        let file = try File(creating: path)
        let value = try file.createDataset("scalars/nu", of: Double.self, shape: [])
        try value.write([1.5e-3])
        #expect(throws: HDF5Error.self) { try file.createDataset("bad", of: Float.self, shape: [], chunk: [1]) }
        try file.close()
    }
    let file = try File(opening: path)
    let nu = try file.openDataset("scalars/nu")
    #expect(try nu.shape == [])
    #expect(try nu.read(as: Double.self) == [1.5e-3])
}
