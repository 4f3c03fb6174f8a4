import HDF5
import TestSupport
import Testing

/// u[i, j, k] for the 4x33x17 round-trip field: ordinary values of varied magnitude and sign, plus, in the first
/// four elements, the ones a lossy or converting path would change (-0, a NaN payload, infinity, a subnormal).
private func field(_ i: Int, _ j: Int, _ k: Int) -> Float {
    let special: [Float] = [-0.0, Float(bitPattern: 0x7FC0_1234), .infinity, .leastNonzeroMagnitude]
    let flat = (i * 33 + j) * 17 + k
    if flat < special.count { return special[flat] }
    return Float(i) * 1.5 + Float(j).squareRoot() - Float(k) / 3
}

@Test func compressedFloatDatasetRoundTripsByteForByteWithEveryAttributeKind() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("round-trip.h5")
    let shape = [4, 33, 17]
    var values: [Float] = []
    for i in 0..<4 {
        for j in 0..<33 {
            for k in 0..<17 { values.append(field(i, j, k)) }
        }
    }

    do {
        let file = try File(creating: path)
        let u = try file.createDataset(
            "run/fields/u", of: Float.self, shape: shape, chunk: [2, 11, 17], compression: .deflate(level: 4))
        try u.write(values)
        try AttributeSamples.write(on: file)
        try AttributeSamples.write(on: u)
        let fields = try file.openGroup("run/fields")
        try AttributeSamples.write(on: fields)
        try file.close()
        #expect(!u.isOpen && !fields.isOpen && !file.isOpen)
    }

    let file = try File(opening: path)
    #expect(file.mode == .readOnly)
    let u = try file.openDataset("run/fields/u")
    #expect(u.path == "/run/fields/u")
    #expect(try u.shape == shape)
    #expect(try u.maxShape == [4, 33, 17])
    #expect(try u.chunkShape == [2, 11, 17])
    #expect(try u.filters == [.shuffle, .deflate(level: 4)])
    #expect(try u.elementType == .float32)
    let back = try u.read(as: Float.self)
    #expect(back.map(\.bitPattern) == values.map(\.bitPattern))

    try AttributeSamples.expectAll(on: file)
    try AttributeSamples.expectAll(on: u)
    try AttributeSamples.expectAll(on: try file.openGroup("/run/fields"))
    #expect(try file.children() == ["run"])
    #expect(try file.openGroup("run").children() == ["fields"])
    #expect(try file.kind(of: "run/fields") == .group)
    #expect(try file.kind(of: "/run/fields/u") == .dataset)
    #expect(try file.exists("run/fields/u"))
    #expect(try !file.exists("run/fields/v"))
    #expect(try !file.exists("run/fields/u/deeper"))
    try file.close()
}

@Test func settingAnAttributeAgainReplacesItsTypeAndShape() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try File(creating: directory.path("replace.h5"))
    try file.setAttribute("x", to: [1.0, 2.0])
    try file.setAttribute("x", to: "now a string")
    #expect(try file.attribute("x") == .string("now a string"))
    try file.removeAttribute("x")
    #expect(try !file.hasAttribute("x"))
    #expect(try file.attributeNames() == [])
}

@Test func hyperslabWriteChangesOnlyItsBox() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try File(creating: directory.path("box.h5"))
    let grid = try file.createDataset("grid", of: Double.self, shape: [5, 6])
    try grid.write([Double](repeating: -1, count: 30))
    try grid.write([1, 2, 3, 4, 5, 6, 7, 8, 9], offset: [1, 2], count: [3, 3])

    var expected = [Double](repeating: -1, count: 30)
    for row in 0..<3 {
        for column in 0..<3 { expected[(row + 1) * 6 + column + 2] = Double(row * 3 + column + 1) }
    }
    #expect(try grid.read(as: Double.self) == expected)
    #expect(try grid.read(as: Double.self, offset: [2, 3], count: [2, 2]) == [5, 6, 8, 9])
    #expect(try grid.chunkShape == nil)
    #expect(try grid.filters == [])
}

/// Writes 0, 1, ... as `T` into a 3x5 dataset of `T`, reads them back and checks the stored element type.
private func roundTrip<T: HDF5Scalar & BinaryInteger>(_ type: T.Type, in file: File) throws {
    let values = (0..<15).map { T($0) }
    let dataset = try file.createDataset("\(T.elementType)", of: T.self, shape: [3, 5], chunk: [2, 5],
                                         compression: .deflate(level: 1, shuffle: false))
    try dataset.write(values)
    #expect(try dataset.elementType == T.elementType)
    #expect(try dataset.read(as: T.self) == values)
    #expect(try dataset.filters == [.deflate(level: 1)])
}

private func roundTrip<T: HDF5Scalar & BinaryFloatingPoint>(_ type: T.Type, in file: File) throws {
    let values = (0..<15).map { T($0) / 4 }
    let dataset = try file.createDataset("\(T.elementType)", of: T.self, shape: [3, 5])
    try dataset.write(values)
    #expect(try dataset.elementType == T.elementType)
    #expect(try dataset.read(as: T.self) == values)
}

@Test(arguments: ElementType.allCases)
func everyElementTypeRoundTrips(_ type: ElementType) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try File(creating: directory.path("\(type).h5"))
    switch type {
    case .float32: try roundTrip(Float.self, in: file)
    case .float64: try roundTrip(Double.self, in: file)
    case .int8: try roundTrip(Int8.self, in: file)
    case .uint8: try roundTrip(UInt8.self, in: file)
    case .int16: try roundTrip(Int16.self, in: file)
    case .uint16: try roundTrip(UInt16.self, in: file)
    case .int32: try roundTrip(Int32.self, in: file)
    case .uint32: try roundTrip(UInt32.self, in: file)
    case .int64: try roundTrip(Int64.self, in: file)
    case .uint64: try roundTrip(UInt64.self, in: file)
    }
    // HDF5 converts on read when asked for another type: every type here holds 0...14 exactly.
    let step = type.isFloat ? 0.25 : 1
    #expect(try file.openDataset("\(type)").read(as: Double.self).prefix(3) == [0, step, 2 * step])
    try file.close()
}

extension ElementType {
    fileprivate var isFloat: Bool { self == .float32 || self == .float64 }
}
