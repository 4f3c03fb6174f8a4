/// The element type of a field's raw bytes (always little-endian on the wire and in memory on the platforms
/// Sluice supports).
public enum DType: UInt8, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case float32 = 1
    case float64 = 2
    case int32 = 3
    case int64 = 4
    case uint8 = 5

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .uint8: 1
        }
    }

    /// Whether values of this type can be NaN or infinite.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Short name used in specs, configs and NumPy (`f32` is NumPy's `<f4`).
    public var name: String {
        switch self {
        case .float32: "f32"
        case .float64: "f64"
        case .int32: "i32"
        case .int64: "i64"
        case .uint8: "u8"
        }
    }

    /// Parses a short name (`f32`, `f64`, `i32`, `i64`, `u8`) or a long one (`float32`, ...).
    public init?(name: String) {
        switch name.lowercased() {
        case "f32", "float32", "float": self = .float32
        case "f64", "float64", "double": self = .float64
        case "i32", "int32": self = .int32
        case "i64", "int64": self = .int64
        case "u8", "uint8": self = .uint8
        default: return nil
        }
    }

    public var description: String { name }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = DType(name: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "unknown dtype '\(text)'; expected one of f32, f64, i32, i64, u8"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// Swift element types that map to a `DType`.
public protocol FieldElement: Sendable, BitwiseCopyable {
    static var dtype: DType { get }
}

extension Float: FieldElement { public static var dtype: DType { .float32 } }
extension Double: FieldElement { public static var dtype: DType { .float64 } }
extension Int32: FieldElement { public static var dtype: DType { .int32 } }
extension Int64: FieldElement { public static var dtype: DType { .int64 } }
extension UInt8: FieldElement { public static var dtype: DType { .uint8 } }
