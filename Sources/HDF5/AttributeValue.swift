/// The value of an HDF5 attribute, in the kinds this wrapper reads and writes.
///
/// Written as: integers `int64`, floats `float32`, doubles `float64`, strings variable-length UTF-8 (h5py's default,
/// read back in h5py as `str`), booleans as h5py's enum of `int8` with members FALSE=0 and TRUE=1 (read back in h5py
/// as `numpy.bool_`). Scalars get a scalar dataspace, arrays a one-dimensional one.
///
/// Read as: any integer type as `.integer(s)` (HDF5 clips values outside `Int64`), 4-byte floats as `.float(s)`,
/// other floats as `.double(s)`, variable- and fixed-length strings as `.string(s)`, a FALSE/TRUE enum as
/// `.bool(s)`. Multi-dimensional attributes are read flattened in row-major order.
public enum AttributeValue: Sendable, Hashable {
    case integer(Int64)
    case integers([Int64])
    case float(Float)
    case floats([Float])
    case double(Double)
    case doubles([Double])
    case string(String)
    case strings([String])
    case bool(Bool)
    case bools([Bool])

    /// A short name of the stored kind, for error messages ("an integer array").
    var kindDescription: String {
        switch self {
        case .integer: "an integer"
        case .integers(let values): "an array of \(values.count) integers"
        case .float: "a float32"
        case .floats(let values): "an array of \(values.count) float32s"
        case .double: "a float64"
        case .doubles(let values): "an array of \(values.count) float64s"
        case .string: "a string"
        case .strings(let values): "an array of \(values.count) strings"
        case .bool: "a boolean"
        case .bools(let values): "an array of \(values.count) booleans"
        }
    }
}

/// A Swift type that can be stored as an attribute (`Object.setAttribute(_:to:)`) and read back from one
/// (`Object.attribute(_:as:)`).
///
/// Reading converts where nothing is lost or a single value is unambiguous: an integer reads as `Double` when
/// exactly representable, a one-element array reads as a scalar and a scalar as a one-element array, a float64
/// reads as `Float` rounded to nearest, and the integers 0 and 1 read as `Bool` (files from tools other than h5py).
public protocol AttributeConvertible {
    /// The attribute value this Swift value is stored as.
    var attributeValue: AttributeValue { get }
    /// The Swift value read from `attributeValue`, or nil if it holds another kind.
    init?(attributeValue: AttributeValue)
}

extension AttributeValue: AttributeConvertible {
    public var attributeValue: AttributeValue { self }
    public init?(attributeValue: AttributeValue) { self = attributeValue }
}

extension Int64: AttributeConvertible {
    public var attributeValue: AttributeValue { .integer(self) }
    public init?(attributeValue: AttributeValue) {
        guard let values = [Int64](attributeValue: attributeValue), values.count == 1 else { return nil }
        self = values[0]
    }
}

extension Int: AttributeConvertible {
    public var attributeValue: AttributeValue { .integer(Int64(self)) }
    public init?(attributeValue: AttributeValue) {
        guard let value = Int64(attributeValue: attributeValue), let exact = Int(exactly: value) else { return nil }
        self = exact
    }
}

extension Double: AttributeConvertible {
    public var attributeValue: AttributeValue { .double(self) }
    public init?(attributeValue: AttributeValue) {
        guard let values = [Double](attributeValue: attributeValue), values.count == 1 else { return nil }
        self = values[0]
    }
}

extension Float: AttributeConvertible {
    public var attributeValue: AttributeValue { .float(self) }
    public init?(attributeValue: AttributeValue) {
        guard let values = [Float](attributeValue: attributeValue), values.count == 1 else { return nil }
        self = values[0]
    }
}

extension String: AttributeConvertible {
    public var attributeValue: AttributeValue { .string(self) }
    public init?(attributeValue: AttributeValue) {
        guard let values = [String](attributeValue: attributeValue), values.count == 1 else { return nil }
        self = values[0]
    }
}

extension Bool: AttributeConvertible {
    public var attributeValue: AttributeValue { .bool(self) }
    public init?(attributeValue: AttributeValue) {
        guard let values = [Bool](attributeValue: attributeValue), values.count == 1 else { return nil }
        self = values[0]
    }
}

/// An element type of array attributes: `[Int]`, `[Int64]`, `[Double]`, `[Float]`, `[String]`, `[Bool]`.
public protocol AttributeArrayElement {
    /// The attribute value an array of this element is stored as.
    static func attributeValue(of array: [Self]) -> AttributeValue
    /// The array read from `value` (a scalar reads as one element), or nil if it holds another kind.
    static func array(from value: AttributeValue) -> [Self]?
}

extension Array: AttributeConvertible where Element: AttributeArrayElement {
    public var attributeValue: AttributeValue { Element.attributeValue(of: self) }
    public init?(attributeValue: AttributeValue) {
        guard let values = Element.array(from: attributeValue) else { return nil }
        self = values
    }
}

extension Int64: AttributeArrayElement {
    public static func attributeValue(of array: [Int64]) -> AttributeValue { .integers(array) }
    public static func array(from value: AttributeValue) -> [Int64]? {
        switch value {
        case .integer(let value): [value]
        case .integers(let values): values
        default: nil
        }
    }
}

extension Int: AttributeArrayElement {
    public static func attributeValue(of array: [Int]) -> AttributeValue { .integers(array.map { Int64($0) }) }
    public static func array(from value: AttributeValue) -> [Int]? {
        guard let values = Int64.array(from: value) else { return nil }
        let exact = values.compactMap { Int(exactly: $0) }
        return exact.count == values.count ? exact : nil
    }
}

extension Double: AttributeArrayElement {
    public static func attributeValue(of array: [Double]) -> AttributeValue { .doubles(array) }
    public static func array(from value: AttributeValue) -> [Double]? {
        switch value {
        case .double(let value): return [value]
        case .doubles(let values): return values
        case .float(let value): return [Double(value)]
        case .floats(let values): return values.map { Double($0) }
        case .integer, .integers:
            let integers = Int64.array(from: value) ?? []
            let exact = integers.compactMap { Double(exactly: $0) }
            return exact.count == integers.count ? exact : nil
        default: return nil
        }
    }
}

extension Float: AttributeArrayElement {
    public static func attributeValue(of array: [Float]) -> AttributeValue { .floats(array) }
    public static func array(from value: AttributeValue) -> [Float]? {
        switch value {
        case .float(let value): return [value]
        case .floats(let values): return values
        case .double(let value): return [Float(value)]
        case .doubles(let values): return values.map { Float($0) }
        case .integer, .integers:
            let integers = Int64.array(from: value) ?? []
            let exact = integers.compactMap { Float(exactly: $0) }
            return exact.count == integers.count ? exact : nil
        default: return nil
        }
    }
}

extension String: AttributeArrayElement {
    public static func attributeValue(of array: [String]) -> AttributeValue { .strings(array) }
    public static func array(from value: AttributeValue) -> [String]? {
        switch value {
        case .string(let value): [value]
        case .strings(let values): values
        default: nil
        }
    }
}

extension Bool: AttributeArrayElement {
    public static func attributeValue(of array: [Bool]) -> AttributeValue { .bools(array) }
    public static func array(from value: AttributeValue) -> [Bool]? {
        switch value {
        case .bool(let value): return [value]
        case .bools(let values): return values
        case .integer, .integers:
            let integers = Int64.array(from: value) ?? []
            guard integers.allSatisfy({ $0 == 0 || $0 == 1 }) else { return nil }
            return integers.map { $0 == 1 }
        default: return nil
        }
    }
}
