import HDF5
import Testing

/// One attribute of every kind the wrapper writes, with the values `Fixtures/check_swift_file.py` expects on the
/// root group. Written through the typed API so that every `AttributeConvertible` conformance is exercised.
enum AttributeSamples {
    static let title = "Sluice run: \u{e9}t\u{e9} \u{2713}"

    static func write(on object: Object) throws {
        try object.setAttribute("title", to: title)
        try object.setAttribute("steps", to: 1000)
        try object.setAttribute("seed", to: Int64(-123_456_789_012))
        try object.setAttribute("dt", to: 0.01)
        try object.setAttribute("nu", to: Float(0.25))
        try object.setAttribute("domain", to: [0.0, 6.25, -1.5])
        try object.setAttribute("counts", to: [Int64(1), -2, 3])
        try object.setAttribute("weights", to: [Float(0.5), 0.25, 1.0])
        try object.setAttribute("empty", to: [Double]())
        try object.setAttribute("fields", to: ["u", "v", "pressure"])
        try object.setAttribute("periodic", to: true)
        try object.setAttribute("normalized", to: false)
    }

    static let names = [
        "counts", "domain", "dt", "empty", "fields", "normalized", "nu", "periodic", "seed", "steps", "title",
        "weights",
    ]

    /// Checks both the stored kind (`AttributeValue`) and the typed read of every sample.
    static func expectAll(on object: Object) throws {
        #expect(try object.attributeNames() == names)
        #expect(try object.attribute("title") == .string(title))
        #expect(try object.attribute("steps") == .integer(1000))
        #expect(try object.attribute("seed") == .integer(-123_456_789_012))
        #expect(try object.attribute("dt") == .double(0.01))
        #expect(try object.attribute("nu") == .float(0.25))
        #expect(try object.attribute("domain") == .doubles([0.0, 6.25, -1.5]))
        #expect(try object.attribute("counts") == .integers([1, -2, 3]))
        #expect(try object.attribute("weights") == .floats([0.5, 0.25, 1.0]))
        #expect(try object.attribute("empty") == .doubles([]))
        #expect(try object.attribute("fields") == .strings(["u", "v", "pressure"]))
        #expect(try object.attribute("periodic") == .bool(true))
        #expect(try object.attribute("normalized") == .bool(false))

        #expect(try object.attribute("title", as: String.self) == title)
        #expect(try object.attribute("steps", as: Int.self) == 1000)
        #expect(try object.attribute("seed", as: Int64.self) == -123_456_789_012)
        #expect(try object.attribute("dt", as: Double.self) == 0.01)
        #expect(try object.attribute("nu", as: Float.self) == 0.25)
        #expect(try object.attribute("domain", as: [Double].self) == [0.0, 6.25, -1.5])
        #expect(try object.attribute("counts", as: [Int64].self) == [1, -2, 3])
        #expect(try object.attribute("weights", as: [Float].self) == [0.5, 0.25, 1.0])
        #expect(try object.attribute("fields", as: [String].self) == ["u", "v", "pressure"])
        #expect(try object.attribute("periodic", as: Bool.self) == true)
        #expect(try object.attribute("normalized", as: Bool.self) == false)
        #expect(try object.hasAttribute("dt"))
        #expect(try !object.hasAttribute("dx"))
    }
}
