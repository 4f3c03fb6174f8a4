import CHDF5

/// An n-dimensional array of numbers in an HDF5 file, stored contiguously or in chunks (optionally compressed and
/// extendible).
///
/// Element order is row-major (C order, the last index varies fastest), as in h5py and numpy. Create one with
/// `Container.createDataset(_:of:shape:chunk:maxShape:compression:)`, open one with `Container.openDataset(_:)`.
/// Whole reads and writes are here; parts (hyperslabs), growth along the first axis and raw chunks are in the
/// other `Dataset+` files. A dataset keeps its file open while it lives. Not `Sendable`: see `HDF5Library`.
public final class Dataset: Object {
    /// The current size along each axis.
    public var shape: [Int] {
        get throws { try extent().shape }
    }

    /// The largest size each axis may grow to with `extend(to:)`; nil means unlimited.
    public var maxShape: [Int?] {
        get throws { try extent().maxShape }
    }

    /// The number of elements, the product of `shape`.
    public var elementCount: Int {
        get throws { try HDF5Library.product(of: shape, site) }
    }

    /// The stored element type; throws `.unsupportedType` for anything that is not a plain number (strings,
    /// compounds, enums such as h5py's booleans, half floats).
    public var elementType: ElementType {
        get throws {
            let typeID = try call("H5Dget_type") { H5Dget_type($0) }
            defer { HDF5Library.release(typeID, with: H5Tclose) }
            guard let type = HDF5Library.locked({ ElementType(typeID: typeID) }) else {
                throw HDF5Error.unsupportedType(site: site, "the stored element type is not a plain number")
            }
            return type
        }
    }

    /// The chunk size along each axis, or nil when the dataset is not chunked (contiguous or compact).
    public var chunkShape: [Int]? {
        get throws {
            try withCreationList { list in
                let layout = try HDF5Library.checked("H5Pget_layout", site, failsWhen: { $0 == H5D_LAYOUT_ERROR }) {
                    H5Pget_layout(list)
                }
                guard layout == H5D_CHUNKED else { return nil }
                var dims = [hsize_t](repeating: 0, count: 32)  // H5S_MAX_RANK
                let rank = try HDF5Library.checked("H5Pget_chunk", site) {
                    H5Pget_chunk(list, Int32(dims.count), &dims)
                }
                return dims.prefix(Int(rank)).map { Int(clamping: $0) }
            }
        }
    }

    /// The filter pipeline applied to each chunk, in order (empty when there is none).
    public var filters: [Filter] {
        get throws {
            try withCreationList { list in
                let count = try HDF5Library.checked("H5Pget_nfilters", site) { H5Pget_nfilters(list) }
                return try (0..<UInt32(count)).map { index in try filter(at: index, in: list) }
            }
        }
    }

    // MARK: Whole reads and writes

    /// Reads every element, converted to `T` by HDF5 if the stored type differs.
    public func read<T: HDF5Scalar>(as type: T.Type = T.self) throws -> [T] {
        let count = try elementCount
        return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try read(into: buffer)
            initialized = count
        }
    }

    /// Reads every element into `buffer`, which must hold exactly `elementCount` elements.
    public func read<T: HDF5Scalar>(into buffer: UnsafeMutableBufferPointer<T>) throws {
        let count = try elementCount
        guard buffer.count == count else {
            throw HDF5Error.invalidArgument(
                site: site, "a buffer of \(buffer.count) elements cannot hold shape \(try shape) (\(count) elements)")
        }
        guard let address = buffer.baseAddress, count > 0 else { return }
        let all = chdf5_s_all()
        try call("H5Dread") { H5Dread($0, T.nativeTypeID, all, all, HDF5Library.defaultList, address) }
    }

    /// Writes every element; `values` must have exactly `elementCount` elements, in row-major order.
    public func write<T: HDF5Scalar>(_ values: [T]) throws {
        try values.withUnsafeBufferPointer { try write(from: $0) }
    }

    /// Writes every element from `buffer`, which must hold exactly `elementCount` elements, in row-major order.
    public func write<T: HDF5Scalar>(from buffer: UnsafeBufferPointer<T>) throws {
        let count = try elementCount
        guard buffer.count == count else {
            throw HDF5Error.invalidArgument(
                site: site, "\(buffer.count) values do not fill shape \(try shape) (\(count) elements)")
        }
        guard let address = buffer.baseAddress, count > 0 else { return }
        let all = chdf5_s_all()
        try call("H5Dwrite") { H5Dwrite($0, T.nativeTypeID, all, all, HDF5Library.defaultList, address) }
    }

    // MARK: Internal

    /// The dataset's current and maximum extent.
    func extent() throws -> (shape: [Int], maxShape: [Int?]) {
        let space = try call("H5Dget_space") { H5Dget_space($0) }
        defer { HDF5Library.release(space, with: H5Sclose) }
        return try HDF5Library.extent(ofDataspace: space, site)
    }

    /// Runs `body` with a copy of the dataset's creation property list.
    private func withCreationList<Result>(_ body: (hid_t) throws -> Result) throws -> Result {
        let list = try call("H5Dget_create_plist") { H5Dget_create_plist($0) }
        defer { HDF5Library.release(list, with: H5Pclose) }
        return try body(list)
    }

    /// The filter at `index` of a creation property list's pipeline.
    private func filter(at index: UInt32, in list: hid_t) throws -> Filter {
        var flags: UInt32 = 0
        var valueCount = 8
        var values = [UInt32](repeating: 0, count: valueCount)
        var name = [CChar](repeating: 0, count: 256)
        var config: UInt32 = 0
        let id = try name.withUnsafeMutableBufferPointer { nameBuffer in
            try HDF5Library.checked("H5Pget_filter2", site) {
                H5Pget_filter2(
                    list, index, &flags, &valueCount, &values, nameBuffer.count, nameBuffer.baseAddress, &config)
            }
        }
        switch id {
        case H5Z_FILTER_SHUFFLE:
            return .shuffle
        case H5Z_FILTER_DEFLATE where valueCount >= 1:
            return .deflate(level: Int(values[0]))
        default:
            return .other(id: Int(id), name: String(nulTerminated: name))
        }
    }
}
