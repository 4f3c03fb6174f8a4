import Foundation
import HDF5
import TestSupport
import Testing

@Test func openingAMissingFileNamesThePath() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("missing.h5")
    let error = #expect(throws: HDF5Error.self) { try File(opening: path) }
    #expect(error?.kind == .notFound)
    #expect(error?.filePath == path)
    #expect(error?.description.contains(path) == true)
    // HDF5's own account of the failure is kept for diagnosis.
    #expect(error?.stack.contains { $0.contains("No such file or directory") } == true)
}

@Test func openingACorruptFileNamesThePathAndHDF5sReason() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("garbage.h5")
    let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
    try garbage.write(to: URL(fileURLWithPath: path))

    let error = #expect(throws: HDF5Error.self) { try File(opening: path, mode: .readWrite) }
    #expect(error?.kind == .libraryCall)
    #expect(error?.call == "H5Fopen")
    #expect(error?.description.contains(path) == true)
    #expect(error?.message.contains("file signature not found") == true)
}

@Test func openingAMissingObjectNamesItsPath() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("objects.h5")
    let file = try File(creating: path)
    let run = try file.createGroup("run")
    _ = try run.createDataset("u", of: Float.self, shape: [2])

    let missing = #expect(throws: HDF5Error.self) { try run.openDataset("fields/v") }
    #expect(missing?.kind == .notFound)
    #expect(missing?.objectPath == "/run/fields/v")
    #expect(missing?.description.contains("'/run/fields/v' in file '\(path)'") == true)

    let wrongKind = #expect(throws: HDF5Error.self) { try file.openGroup("run/u") }
    #expect(wrongKind?.kind == .typeMismatch)
    #expect(wrongKind?.description.contains("expected a group, found a dataset") == true)

    // A failure inside HDF5 names the call, the object and HDF5's innermost message.
    let duplicate = #expect(throws: HDF5Error.self) { try file.createGroup("run") }
    #expect(duplicate?.kind == .libraryCall)
    #expect(duplicate?.call == "H5Gcreate2")
    #expect(duplicate?.objectPath == "/run")
    #expect(duplicate?.message.contains("already exists") == true)

    let attribute = #expect(throws: HDF5Error.self) { try run.attribute("dt") }
    #expect(attribute?.kind == .notFound)
    #expect(attribute?.description == "attribute 'dt' of '/run' in file '\(path)': no such attribute")
}

@Test func readingAnAttributeAsTheWrongTypeSaysWhatItHolds() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try File(creating: directory.path("types.h5"))
    try file.setAttribute("name", to: "u")
    try file.setAttribute("ratio", to: 0.5)
    let error = #expect(throws: HDF5Error.self) { try file.attribute("name", as: Double.self) }
    #expect(error?.kind == .typeMismatch)
    #expect(error?.description.contains("holds a string, not Double") == true)
    // 0.5 is not an integer: no silent truncation.
    #expect(throws: HDF5Error.self) { try file.attribute("ratio", as: Int.self) }
}

@Test func writingThroughAReadOnlyFileFailsWithHDF5sReason() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("read-only.h5")
    do {
        let file = try File(creating: path)
        _ = try file.createDataset("u", of: Double.self, shape: [3])
        try file.close()
    }
    let file = try File(opening: path)
    let u = try file.openDataset("u")
    let error = #expect(throws: HDF5Error.self) { try u.write([1.0, 2, 3]) }
    #expect(error?.call == "H5Dwrite")
    #expect(error?.objectPath == "/u")
    #expect(error?.message.contains("no write intent") == true)
}

@Test func wrongCountsAndBoxesAreRefusedBeforeHDF5SeesThem() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try File(creating: directory.path("arguments.h5"))
    let u = try file.createDataset("u", of: Float.self, shape: [2, 3])
    let short = #expect(throws: HDF5Error.self) { try u.write([Float](repeating: 0, count: 5)) }
    #expect(short?.kind == .invalidArgument)
    #expect(short?.description.contains("5 values do not fill shape [2, 3] (6 elements)") == true)
    let outside = #expect(throws: HDF5Error.self) { try u.read(as: Float.self, offset: [1, 2], count: [1, 2]) }
    #expect(outside?.kind == .invalidArgument)
    let level = #expect(throws: HDF5Error.self) {
        try file.createDataset("v", of: Float.self, shape: [4], chunk: [2], compression: .deflate(level: 12))
    }
    #expect(level?.description.contains("deflate level 12 is outside 0...9") == true)
}

@Test func closingTheFileClosesItsObjectsAndLaterUseThrows() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("closed.h5")
    let file = try File(creating: path)
    let u = try file.createDataset("a/u", of: Float.self, shape: [2])
    let group = try file.openGroup("a")
    try file.close()
    #expect(!u.isOpen && !group.isOpen && !file.isOpen)
    let error = #expect(throws: HDF5Error.self) { try u.read(as: Float.self) }
    #expect(error?.kind == .closed)
    #expect(error?.description == "'/a/u' in file '\(path)': the handle was already closed")
    try file.close()  // a second close does nothing
    #expect(try File(opening: path).exists("a/u"))
}

@Test func objectsKeepTheirFileOpenAfterTheFileIsDropped() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("kept.h5")
    var file: File? = try File(creating: path)
    let u = try #require(file).createDataset("u", of: Int64.self, shape: [3])
    file = nil
    try u.write([7, 8, 9] as [Int64])
    #expect(try u.read(as: Int64.self) == [7, 8, 9])
    try u.close()
    #expect(try File(opening: path).openDataset("u").read(as: Int64.self) == [7, 8, 9])
}
