import CHDF5

/// The stored bytes of one chunk, as `Dataset.readChunk(at:)` returns them.
public struct RawChunk: Sendable, Hashable {
    /// The bytes as stored: compressed by whichever filters `filterMask` does not mark as skipped.
    public var bytes: [UInt8]
    /// Which filters of the pipeline were skipped for this chunk.
    public var filterMask: FilterMask

    public init(bytes: [UInt8], filterMask: FilterMask) {
        self.bytes = bytes
        self.filterMask = filterMask
    }
}

/// Direct chunk I/O: bytes go to and from the file as they are, bypassing HDF5's filters and type conversion. This
/// lets an exporter compress chunks on several threads itself (HDF5 calls are serialized, see `HDF5Library`) and
/// hand HDF5 only the finished bytes.
extension Dataset {
    /// Stores `bytes` as the chunk whose first element is at `offset` (a multiple of `chunkShape` on every axis,
    /// inside the current `shape`), replacing what was there.
    ///
    /// The bytes must be what the filters in `filters` would produce, except for those `filterMask` marks as
    /// skipped; with every filter skipped (`.allFiltersSkipped`, or a dataset with no filters) they must be the
    /// chunk's elements, little-endian, row-major: exactly `chunkShape` elements of `elementType`, which is checked.
    /// Edge chunks are always full-size; elements beyond `shape` are ignored.
    public func writeChunk(_ bytes: UnsafeRawBufferPointer, at offset: [Int], filterMask: FilterMask = []) throws {
        let chunkBytes = try checkedChunkByteCount(at: offset)
        guard let address = bytes.baseAddress, !bytes.isEmpty else {
            throw HDF5Error.invalidArgument(site: site, "a chunk needs at least one byte")
        }
        if filterMask.skipsAll(of: try filters.count), bytes.count != chunkBytes {
            throw HDF5Error.invalidArgument(
                site: site,
                "an unfiltered chunk must be \(chunkBytes) bytes "
                    + "(chunk \(try chunkShape ?? []) of \(try elementType)), not \(bytes.count)")
        }
        let start = offset.map { hsize_t($0) }
        try call("H5Dwrite_chunk") {
            H5Dwrite_chunk($0, HDF5Library.defaultList, filterMask.rawValue, start, bytes.count, address)
        }
    }

    /// Stores `bytes` as the chunk at `offset`; see `writeChunk(_:at:filterMask:)`.
    public func writeChunk(_ bytes: [UInt8], at offset: [Int], filterMask: FilterMask = []) throws {
        try bytes.withUnsafeBytes { try writeChunk($0, at: offset, filterMask: filterMask) }
    }

    /// The stored bytes and filter mask of the chunk at `offset` (a multiple of `chunkShape` inside `shape`), or nil
    /// if that chunk was never written.
    public func readChunk(at offset: [Int]) throws -> RawChunk? {
        _ = try checkedChunkByteCount(at: offset)
        let start = offset.map { hsize_t($0) }
        var storedSize: hsize_t = 0
        try call("H5Dget_chunk_storage_size") { H5Dget_chunk_storage_size($0, start, &storedSize) }
        guard storedSize > 0 else { return nil }
        guard let size = Int(exactly: storedSize), size < 1 << 32 else {
            throw HDF5Error.unsupportedType(site: site, "the chunk at \(offset) claims \(storedSize) bytes")
        }
        var mask: UInt32 = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let address = buffer.baseAddress else { return }
            try call("H5Dread_chunk") { H5Dread_chunk($0, HDF5Library.defaultList, start, &mask, address) }
            initialized = size
        }
        return RawChunk(bytes: bytes, filterMask: FilterMask(rawValue: mask))
    }

    /// The byte size of a full unfiltered chunk, after checking that `offset` starts a chunk inside the dataset.
    private func checkedChunkByteCount(at offset: [Int]) throws -> Int {
        guard let chunk = try chunkShape else {
            throw HDF5Error.invalidArgument(site: site, "the dataset is not chunked")
        }
        let shape = try self.shape
        guard offset.count == chunk.count,
            zip(zip(offset, chunk), shape).allSatisfy({ start, size in
                start.1 > 0 && start.0 >= 0 && start.0 < size && start.0 % start.1 == 0
            })
        else {
            throw HDF5Error.invalidArgument(
                site: site, "offset \(offset) does not start a chunk of shape \(chunk) inside shape \(shape)")
        }
        return try HDF5Library.product(of: chunk + [elementType.byteCount], site)
    }
}
