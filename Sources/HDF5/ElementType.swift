import CHDF5

/// The numeric element types a dataset can hold through this wrapper. Files store them little-endian (as h5py
/// does); memory uses the machine's native layout, and HDF5 converts between the two.
public enum ElementType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32, float64
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .int8, .uint8: 1
        case .int16, .uint16: 2
        case .float32, .int32, .uint32: 4
        case .float64, .int64, .uint64: 8
        }
    }

    public var description: String { rawValue }

    /// The HDF5 type for this element in memory (`H5T_NATIVE_*`; predefined, never closed).
    var nativeTypeID: hid_t {
        switch self {
        case .float32: chdf5_native_float()
        case .float64: chdf5_native_double()
        case .int8: chdf5_native_int8()
        case .uint8: chdf5_native_uint8()
        case .int16: chdf5_native_int16()
        case .uint16: chdf5_native_uint16()
        case .int32: chdf5_native_int32()
        case .uint32: chdf5_native_uint32()
        case .int64: chdf5_native_int64()
        case .uint64: chdf5_native_uint64()
        }
    }

    /// The HDF5 type for this element in a file (little-endian standard types; predefined, never closed).
    var fileTypeID: hid_t {
        switch self {
        case .float32: chdf5_ieee_f32le()
        case .float64: chdf5_ieee_f64le()
        case .int8: chdf5_std_i8le()
        case .uint8: chdf5_std_u8le()
        case .int16: chdf5_std_i16le()
        case .uint16: chdf5_std_u16le()
        case .int32: chdf5_std_i32le()
        case .uint32: chdf5_std_u32le()
        case .int64: chdf5_std_i64le()
        case .uint64: chdf5_std_u64le()
        }
    }

    /// The element type matching an HDF5 datatype's class, size and sign, or nil for anything else (strings,
    /// compounds, enums, half floats, ...). Must be called with `HDF5Library.lock` held.
    init?(typeID: hid_t) {
        let typeClass = H5Tget_class(typeID)
        let size = H5Tget_size(typeID)
        switch typeClass {
        case H5T_FLOAT:
            switch size {
            case 4: self = .float32
            case 8: self = .float64
            default: return nil
            }
        case H5T_INTEGER:
            let signed = H5Tget_sign(typeID) == H5T_SGN_2
            switch (size, signed) {
            case (1, true): self = .int8
            case (1, false): self = .uint8
            case (2, true): self = .int16
            case (2, false): self = .uint16
            case (4, true): self = .int32
            case (4, false): self = .uint32
            case (8, true): self = .int64
            case (8, false): self = .uint64
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// A Swift number type that maps to one HDF5 native type, so arrays of it can be read and written directly.
/// Implemented by `Float`, `Double`, `Int8`, `UInt8`, `Int16`, `UInt16`, `Int32`, `UInt32`, `Int64` and `UInt64`.
///
/// Reading or writing a dataset whose stored type differs lets HDF5 convert (as h5py does); out-of-range values are
/// clipped by HDF5. Query `Dataset.elementType` to read in the stored type.
public protocol HDF5Scalar: BitwiseCopyable, Sendable {
    /// The element type this Swift type is read and written as; its `byteCount` is `MemoryLayout<Self>.size`.
    static var elementType: ElementType { get }
}

extension Float: HDF5Scalar { public static var elementType: ElementType { .float32 } }
extension Double: HDF5Scalar { public static var elementType: ElementType { .float64 } }
extension Int8: HDF5Scalar { public static var elementType: ElementType { .int8 } }
extension UInt8: HDF5Scalar { public static var elementType: ElementType { .uint8 } }
extension Int16: HDF5Scalar { public static var elementType: ElementType { .int16 } }
extension UInt16: HDF5Scalar { public static var elementType: ElementType { .uint16 } }
extension Int32: HDF5Scalar { public static var elementType: ElementType { .int32 } }
extension UInt32: HDF5Scalar { public static var elementType: ElementType { .uint32 } }
extension Int64: HDF5Scalar { public static var elementType: ElementType { .int64 } }
extension UInt64: HDF5Scalar { public static var elementType: ElementType { .uint64 } }

extension HDF5Scalar {
    /// The native HDF5 type for `Self`, after checking that a conformance outside this module got the size right.
    static var nativeTypeID: hid_t {
        precondition(
            MemoryLayout<Self>.size == elementType.byteCount,
            "\(Self.self) is \(MemoryLayout<Self>.size) bytes but claims HDF5 element type \(elementType)"
        )
        return elementType.nativeTypeID
    }
}
