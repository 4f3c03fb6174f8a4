import CHDF5

/// Attributes: small named values on a file's root group, a group or a dataset. See `AttributeValue` for how each
/// kind is stored so that h5py reads it back naturally.
extension Object {
    /// Stores `value` under `name`, replacing any attribute of that name (whatever its type or shape).
    ///
    /// `value` may be an `Int`, `Int64`, `Double`, `Float`, `String`, `Bool`, an array of one of those, or an
    /// `AttributeValue`. Strings may not contain NUL characters (HDF5 strings end at the first one).
    public func setAttribute<Value: AttributeConvertible>(_ name: String, to value: Value) throws {
        let site = attributeSite(name)
        if try hasAttribute(name) {
            try call("H5Adelete") { H5Adelete($0, name) }
        }
        switch value.attributeValue {
        case .integer(let value): try writeNumbers([value], named: name, scalar: true, .int64)
        case .integers(let values): try writeNumbers(values, named: name, scalar: false, .int64)
        case .float(let value): try writeNumbers([value], named: name, scalar: true, .float32)
        case .floats(let values): try writeNumbers(values, named: name, scalar: false, .float32)
        case .double(let value): try writeNumbers([value], named: name, scalar: true, .float64)
        case .doubles(let values): try writeNumbers(values, named: name, scalar: false, .float64)
        case .string(let value): try writeStrings([value], named: name, scalar: true, site)
        case .strings(let values): try writeStrings(values, named: name, scalar: false, site)
        case .bool(let value): try writeBooleans([value], named: name, scalar: true, site)
        case .bools(let values): try writeBooleans(values, named: name, scalar: false, site)
        }
    }

    /// The attribute `name`, in whatever supported kind it is stored; throws `.notFound` if there is none and
    /// `.unsupportedType` for kinds this wrapper does not read (compounds, references, empty attributes).
    public func attribute(_ name: String) throws -> AttributeValue {
        let site = attributeSite(name)
        guard try hasAttribute(name) else { throw HDF5Error.notFound(site: site, "no such attribute") }
        let attribute = try call("H5Aopen") { H5Aopen($0, name, HDF5Library.defaultList) }
        defer { HDF5Library.release(attribute, with: H5Aclose) }
        let storedType = try HDF5Library.checked("H5Aget_type", site) { H5Aget_type(attribute) }
        defer { HDF5Library.release(storedType, with: H5Tclose) }
        let space = try HDF5Library.checked("H5Aget_space", site) { H5Aget_space(attribute) }
        defer { HDF5Library.release(space, with: H5Sclose) }

        let spaceClass = try HDF5Library.checked(
            "H5Sget_simple_extent_type", site, failsWhen: { $0 == H5S_NO_CLASS }
        ) { H5Sget_simple_extent_type(space) }
        guard spaceClass != H5S_NULL else { throw HDF5Error.unsupportedType(site: site, "the attribute is empty") }
        let scalar = spaceClass == H5S_SCALAR
        let count = try HDF5Library.elementCount(ofDataspace: space, site)
        let reader = AttributeReader(
            attribute: attribute, storedType: storedType, space: space, count: count, scalar: scalar, site)
        let typeClass = try HDF5Library.checked("H5Tget_class", site, failsWhen: { $0 == H5T_NO_CLASS }) {
            H5Tget_class(storedType)
        }
        switch typeClass {
        case H5T_INTEGER:
            return try reader.value(reader.numbers(Int64.self), AttributeValue.integer, AttributeValue.integers)
        case H5T_FLOAT:
            let size = try HDF5Library.checked("H5Tget_size", site, failsWhen: { $0 == 0 }) {
                H5Tget_size(storedType)
            }
            if size == 4 {
                return try reader.value(reader.numbers(Float.self), AttributeValue.float, AttributeValue.floats)
            }
            return try reader.value(reader.numbers(Double.self), AttributeValue.double, AttributeValue.doubles)
        case H5T_STRING:
            return try reader.value(reader.strings(), AttributeValue.string, AttributeValue.strings)
        case H5T_ENUM:
            return try reader.value(reader.booleans(), AttributeValue.bool, AttributeValue.bools)
        default:
            throw HDF5Error.unsupportedType(site: site, "HDF5 type class \(typeClass.rawValue) is not supported")
        }
    }

    /// The attribute `name` as a `Value`; throws `.typeMismatch`, naming both kinds, if it holds something else.
    public func attribute<Value: AttributeConvertible>(_ name: String, as type: Value.Type) throws -> Value {
        let stored = try attribute(name)
        guard let value = Value(attributeValue: stored) else {
            throw HDF5Error.typeMismatch(
                site: attributeSite(name), "holds \(stored.kindDescription), not \(Value.self)")
        }
        return value
    }

    /// Whether an attribute called `name` exists.
    public func hasAttribute(_ name: String) throws -> Bool {
        try call("H5Aexists") { H5Aexists($0, name) } > 0
    }

    /// The names of all attributes, in name order.
    public func attributeNames() throws -> [String] {
        let collector = NameCollector()
        let visit: H5A_operator2_t = { _, name, _, clientData in
            guard let name, let clientData else { return 0 }
            Unmanaged<NameCollector>.fromOpaque(clientData).takeUnretainedValue().names.append(String(cString: name))
            return 0
        }
        var index: hsize_t = 0
        try withExtendedLifetime(collector) {
            let clientData = Unmanaged.passUnretained(collector).toOpaque()
            try call("H5Aiterate2") { H5Aiterate2($0, H5_INDEX_NAME, H5_ITER_INC, &index, visit, clientData) }
        }
        return collector.names
    }

    /// Deletes the attribute `name`; throws `.notFound` if there is none.
    public func removeAttribute(_ name: String) throws {
        guard try hasAttribute(name) else { throw HDF5Error.notFound(site: attributeSite(name), "no such attribute") }
        try call("H5Adelete") { H5Adelete($0, name) }
    }

    // MARK: Writing

    private func attributeSite(_ name: String) -> CallSite {
        CallSite(file: filePath, object: path, attribute: name)
    }

    private func writeNumbers<T: HDF5Scalar>(_ values: [T], named name: String, scalar: Bool, _ type: ElementType)
        throws
    {
        try values.withUnsafeBytes { bytes in
            try createAttribute(name, fileType: type.fileTypeID, memoryType: type.nativeTypeID, scalar: scalar,
                                count: values.count, bytes.baseAddress)
        }
    }

    private func writeStrings(_ values: [String], named name: String, scalar: Bool, _ site: CallSite) throws {
        guard values.allSatisfy({ !$0.utf8.contains(0) }) else {
            throw HDF5Error.invalidArgument(site: site, "HDF5 strings cannot contain NUL characters")
        }
        let type = try HDF5Library.createUTF8StringType(site)
        defer { HDF5Library.release(type, with: H5Tclose) }
        // One buffer of NUL-terminated strings, and a pointer to the start of each: HDF5's `char *` elements.
        var storage: [CChar] = []
        var starts: [Int] = []
        for value in values {
            starts.append(storage.count)
            storage.append(contentsOf: value.utf8CString)
        }
        try storage.withUnsafeBufferPointer { text in
            let pointers: [UnsafePointer<CChar>?] = starts.map { start in text.baseAddress.map { $0 + start } }
            try pointers.withUnsafeBytes { bytes in
                try createAttribute(name, fileType: type, memoryType: type, scalar: scalar, count: values.count,
                                    bytes.baseAddress)
            }
        }
    }

    private func writeBooleans(_ values: [Bool], named name: String, scalar: Bool, _ site: CallSite) throws {
        let type = try HDF5Library.createBooleanType(site)
        defer { HDF5Library.release(type, with: H5Tclose) }
        let members = values.map { Int8($0 ? 1 : 0) }
        try members.withUnsafeBytes { bytes in
            try createAttribute(name, fileType: type, memoryType: type, scalar: scalar, count: values.count,
                                bytes.baseAddress)
        }
    }

    /// Creates the attribute with a scalar or one-dimensional dataspace and writes `count` elements from `bytes`.
    private func createAttribute(
        _ name: String, fileType: hid_t, memoryType: hid_t, scalar: Bool, count: Int, _ bytes: UnsafeRawPointer?
    ) throws {
        let site = attributeSite(name)
        let space = try scalar
            ? HDF5Library.createScalarDataspace(site) : HDF5Library.createDataspace(shape: [count], site)
        defer { HDF5Library.release(space, with: H5Sclose) }
        let creationList = try HDF5Library.checked("H5Pcreate", site) { H5Pcreate(chdf5_p_attribute_create()) }
        defer { HDF5Library.release(creationList, with: H5Pclose) }
        try HDF5Library.checked("H5Pset_char_encoding", site) { H5Pset_char_encoding(creationList, H5T_CSET_UTF8) }
        let objectID = try identifier()
        let attribute = try HDF5Library.checked("H5Acreate2", site) {
            H5Acreate2(objectID, name, fileType, space, creationList, HDF5Library.defaultList)
        }
        defer { HDF5Library.release(attribute, with: H5Aclose) }
        guard count > 0, let bytes else { return }
        try HDF5Library.checked("H5Awrite", site) { H5Awrite(attribute, memoryType, bytes) }
    }
}

/// Gathers attribute names during an H5Aiterate2 walk (under `HDF5Library.lock`, on the calling thread).
private final class NameCollector {
    var names: [String] = []
}
