import CHDF5

/// Reads the elements of one open attribute in the memory form each `AttributeValue` kind needs. Everything read
/// comes from disk, so counts and sizes are checked and nothing traps on a damaged file.
struct AttributeReader {
    let attribute: hid_t
    let storedType: hid_t
    let space: hid_t
    let count: Int
    /// Whether the dataspace is scalar (the value is one element, not an array).
    let scalar: Bool
    let site: CallSite

    init(attribute: hid_t, storedType: hid_t, space: hid_t, count: Int, scalar: Bool, _ site: CallSite) {
        self.attribute = attribute
        self.storedType = storedType
        self.space = space
        self.count = count
        self.scalar = scalar
        self.site = site
    }

    /// Wraps the elements as the scalar case for a scalar dataspace, the array case otherwise.
    func value<Element>(
        _ values: [Element], _ one: (Element) -> AttributeValue, _ many: ([Element]) -> AttributeValue
    ) throws -> AttributeValue {
        guard scalar else { return many(values) }
        guard values.count == 1, let value = values.first else {
            throw HDF5Error.unsupportedType(site: site, "a scalar attribute holds \(values.count) elements")
        }
        return one(value)
    }

    /// The elements converted by HDF5 to `T` (integers of any width to `Int64`, floats to `Float` or `Double`).
    func numbers<T: HDF5Scalar>(_ type: T.Type) throws -> [T] {
        try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let address = buffer.baseAddress, count > 0 {
                try HDF5Library.checked("H5Aread", site) { H5Aread(attribute, T.nativeTypeID, address) }
            }
            initialized = count
        }
    }

    /// The elements of a variable- or fixed-length string attribute, decoded as UTF-8 (ASCII is a subset; invalid
    /// bytes become U+FFFD).
    func strings() throws -> [String] {
        let variable = try HDF5Library.checked("H5Tis_variable_str", site) { H5Tis_variable_str(storedType) }
        return variable > 0 ? try variableLengthStrings() : try fixedLengthStrings()
    }

    /// The elements of h5py's FALSE/TRUE enum; other enums are `.unsupportedType`.
    func booleans() throws -> [Bool] {
        let names = try HDF5Library.enumMemberNames(of: storedType, site)
        guard Set(names) == Set(HDF5Library.booleanMemberNames), names.count == 2 else {
            throw HDF5Error.unsupportedType(
                site: site, "an enum with members \(names) is not h5py's boolean (FALSE, TRUE)")
        }
        // Reading through our own FALSE/TRUE enum makes HDF5 map the members by name, whatever the stored values.
        let memoryType = try HDF5Library.createBooleanType(site)
        defer { HDF5Library.release(memoryType, with: H5Tclose) }
        var members = [Int8](repeating: 0, count: count)
        if count > 0 {
            try members.withUnsafeMutableBytes { bytes in
                _ = try HDF5Library.checked("H5Aread", site) { H5Aread(attribute, memoryType, bytes.baseAddress) }
            }
        }
        return members.map { $0 != 0 }
    }

    // MARK: Strings

    private func variableLengthStrings() throws -> [String] {
        guard count > 0 else { return [] }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        // The stored type doubles as the memory type: strings have no byte order, and it keeps the character set.
        try pointers.withUnsafeMutableBytes { bytes in
            _ = try HDF5Library.checked("H5Aread", site) { H5Aread(attribute, storedType, bytes.baseAddress) }
        }
        let strings = pointers.map { pointer in pointer.map { String(cString: $0) } ?? "" }
        _ = try? pointers.withUnsafeMutableBytes { bytes in
            try HDF5Library.checked("H5Treclaim", site) { chdf5_reclaim_vlen(storedType, space, bytes.baseAddress) }
        }
        return strings
    }

    private func fixedLengthStrings() throws -> [String] {
        let size = try HDF5Library.checked("H5Tget_size", site, failsWhen: { $0 == 0 }) { H5Tget_size(storedType) }
        let width = Int(size)
        let padding = try HDF5Library.checked("H5Tget_strpad", site, failsWhen: { $0 == H5T_STR_ERROR }) {
            H5Tget_strpad(storedType)
        }
        var bytes = [UInt8](repeating: 0, count: try HDF5Library.product(of: [width, count], site))
        if !bytes.isEmpty {
            try bytes.withUnsafeMutableBytes { buffer in
                _ = try HDF5Library.checked("H5Aread", site) { H5Aread(attribute, storedType, buffer.baseAddress) }
            }
        }
        return (0..<count).map { index in
            var element = bytes[(index * width)..<((index + 1) * width)].prefix { $0 != 0 }
            if padding == H5T_STR_SPACEPAD {
                while element.last == UInt8(ascii: " ") { element = element.dropLast() }
            }
            return String(decoding: element, as: UTF8.self)
        }
    }
}
