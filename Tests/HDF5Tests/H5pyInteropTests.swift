import Foundation
import HDF5
import TestSupport
import Testing

/// value(i, j, k) for every index of an n0 x n1 x n2 array, row-major.
private func grid(_ n0: Int, _ n1: Int, _ n2: Int, _ value: (Int, Int, Int) -> Float) -> [Float] {
    var values: [Float] = []
    values.reserveCapacity(n0 * n1 * n2)
    for i in 0..<n0 {
        for j in 0..<n1 {
            for k in 0..<n2 { values.append(value(i, j, k)) }
        }
    }
    return values
}

/// Reads `Fixtures/h5py_fixture.h5`, written by `Fixtures/make_h5py_fixture.py` (see its docstring for the values).
@Test func readsEveryValueOfAFileWrittenByH5py() throws {
    let url = try #require(
        Bundle.module.url(forResource: "h5py_fixture", withExtension: "h5", subdirectory: "Fixtures"))
    let file = try File(opening: url.path)

    #expect(try file.children() == ["ids", "run", "times"])
    #expect(try file.kind(of: "run/fields") == .group)
    #expect(try file.kind(of: "run/fields/u") == .dataset)
    #expect(try file.attributeNames() == [
        "domain", "dt", "fields", "fixed_label", "periodic", "scale32", "shape", "steps", "title",
    ])
    #expect(try file.attribute("title", as: String.self) == "Sluice fixture: \u{e9}t\u{e9} \u{2713}")
    #expect(try file.attribute("steps") == .integer(42))
    #expect(try file.attribute("dt") == .double(0.125))
    #expect(try file.attribute("fields") == .strings(["u", "v", "pressure"]))
    #expect(try file.attribute("periodic") == .bool(true))
    #expect(try file.attribute("domain") == .doubles([0.0, 6.25, -1.5]))
    #expect(try file.attribute("fixed_label") == .string("fixed-len"))
    #expect(try file.attribute("scale32") == .float(0.5))
    #expect(try file.attribute("shape") == .integers([3, 5, 7]))
    #expect(try file.attribute("shape", as: [Int].self) == [3, 5, 7])

    let fields = try file.openGroup("run/fields")
    #expect(try fields.children() == ["u"])
    #expect(try fields.attribute("viscosity", as: Double.self) == 1e-3)
    #expect(try fields.attribute("training") == .bool(false))

    let u = try fields.openDataset("u")
    #expect(u.path == "/run/fields/u")
    #expect(try u.shape == [3, 5, 7])
    #expect(try u.chunkShape == [1, 5, 7])
    #expect(try u.filters == [.shuffle, .deflate(level: 4)])
    #expect(try u.elementType == .float32)
    #expect(try u.attribute("units", as: String.self) == "m/s")
    let expectedU = grid(3, 5, 7) { i, j, k in Float(100 * i + 10 * j + k) + 0.25 }
    #expect(try u.read(as: Float.self) == expectedU)
    #expect(try u.read(as: Float.self, offset: [2, 4, 5], count: [1, 1, 2]) == [245.25, 246.25])

    let times = try file.openDataset("times")
    #expect(try times.elementType == .float64)
    #expect(try times.chunkShape == nil)
    #expect(try times.read(as: Double.self) == (0..<11).map { Double($0) / 8 })

    let ids = try file.openDataset("/ids")
    #expect(try ids.elementType == .int64)
    #expect(try ids.shape == [3, 4])
    #expect(try ids.read(as: Int64.self) == (-3..<9).map { Int64($0) })
    try file.close()
}

/// Writes every attribute kind and two datasets, then has h5py check them in a separate process
/// (`Fixtures/check_swift_file.py` holds the expected values).
@Test func h5pyReadsEveryValueSwiftWrites() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("from-swift.h5")

    let file = try File(creating: path)
    try AttributeSamples.write(on: file)
    try file.createGroup("run/meta").setAttribute("note", to: "nested")
    let u = try file.createDataset(
        "run/fields/u", of: Float.self, shape: [4, 33, 17], chunk: [1, 33, 17], compression: .deflate(level: 4))
    try u.write(grid(4, 33, 17) { i, j, k in Float(1000 * i + 10 * j) + Float(k) / 2 })
    try u.setAttribute("units", to: "m/s")
    try u.setAttribute("staggered", to: false)
    let energy = try file.createDataset("run/energy", of: Double.self, shape: [0], chunk: [4], maxShape: [nil])
    try energy.append([0, 0.25, 0.5])
    try energy.append([0.75, 1])
    try file.close()

    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/check_swift_file.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, path]
    let stderr = Pipe()
    process.standardError = stderr
    try process.run()
    let messages = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "check_swift_file.py failed:\n\(messages)")
}
