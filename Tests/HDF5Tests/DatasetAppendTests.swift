import HDF5
import TestSupport
import Testing

/// series[row, j, k] = 100 row + 10 j + k, for a series with rows of shape 3x4.
private func rows(_ range: Range<Int>) -> [Int32] {
    box(rows: range, j: 0..<3, k: 0..<4)
}

/// series[row, j, k] over a box of indices, row-major.
private func box(rows: Range<Int>, j: Range<Int>, k: Range<Int>) -> [Int32] {
    var values: [Int32] = []
    for row in rows {
        for j in j {
            for k in k { values.append(Int32(100 * row + 10 * j + k)) }
        }
    }
    return values
}

@Test func appendingSlabsGrowsTheFirstAxisAndKeepsEarlierRows() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("append.h5")

    do {
        let file = try File(creating: path)
        let series = try file.createDataset(
            "series", of: Int32.self, shape: [0, 3, 4], chunk: [1, 3, 4], maxShape: [nil, 3, 4],
            compression: .deflate(level: 1))
        #expect(try series.shape == [0, 3, 4])
        #expect(try series.read(as: Int32.self) == [])
        // Three slabs of 1, 2 and 3 rows, one call each.
        #expect(try series.append(rows(0..<1)) == 0..<1)
        #expect(try series.shape == [1, 3, 4])
        #expect(try series.append(rows(1..<3)) == 1..<3)
        #expect(try series.append(rows(3..<6)) == 3..<6)
        try file.close()
    }

    let file = try File(opening: path)
    let series = try file.openDataset("series")
    #expect(try series.shape == [6, 3, 4])
    #expect(try series.maxShape == [nil, 3, 4])
    #expect(try series.chunkShape == [1, 3, 4])
    #expect(try series.read(as: Int32.self) == rows(0..<6))
    // Rows 1...4, j in 1...2, k in 0...2.
    let part = try series.read(as: Int32.self, offset: [1, 1, 0], count: [4, 2, 3])
    #expect(part == box(rows: 1..<5, j: 1..<3, k: 0..<3))
    #expect(part.first == 110 && part.last == 422)
}

@Test func extendAndAppendRefuseWhatDoesNotFit() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try File(creating: directory.path("limits.h5"))
    let bounded = try file.createDataset("bounded", of: Float.self, shape: [1, 2], chunk: [1, 2], maxShape: [3, 2])
    try bounded.append([Float](repeating: 1, count: 4))
    #expect(try bounded.shape == [3, 2])
    let tooFar = #expect(throws: HDF5Error.self) { try bounded.append([Float](repeating: 1, count: 2)) }
    #expect(tooFar?.kind == .invalidArgument)
    #expect(tooFar?.description.contains("maxShape") == true)
    let ragged = #expect(throws: HDF5Error.self) { try bounded.append([Float](repeating: 1, count: 3)) }
    #expect(ragged?.kind == .invalidArgument)
    #expect(try bounded.shape == [3, 2])
    let fixed = #expect(throws: HDF5Error.self) {
        try file.createDataset("growable", of: Float.self, shape: [0, 2], maxShape: [nil, 2])
    }
    #expect(fixed?.description.contains("needs a chunk shape") == true)
}
