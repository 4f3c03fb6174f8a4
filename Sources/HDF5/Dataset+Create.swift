import CHDF5

extension Container {
    /// Creates a dataset of `T` at `path`, creating missing intermediate groups.
    ///
    /// - Parameters:
    ///   - shape: the initial size along each axis (sizes may be 0, e.g. `[0, 64, 64]` for a dataset that grows
    ///     with `Dataset.append(_:)`); `[]` makes a scalar dataset of one element (h5py's `shape=()`).
    ///   - chunk: the chunk size along each axis (each at least 1), or nil for contiguous storage. Required with
    ///     compression or a `maxShape` larger than `shape`.
    ///   - maxShape: the largest size each axis may grow to, nil for an unlimited axis (h5py's `maxshape=(None, …)`).
    ///     Nil (the default) fixes the dataset at `shape`.
    ///   - compression: the chunk filters; see `Compression`.
    public func createDataset<T: HDF5Scalar>(
        _ path: String, of type: T.Type, shape: [Int], chunk: [Int]? = nil, maxShape: [Int?]? = nil,
        compression: Compression = .none
    ) throws -> Dataset {
        try createDataset(
            path, elementType: T.elementType, shape: shape, chunk: chunk, maxShape: maxShape,
            compression: compression)
    }

    /// Creates a dataset whose element type is chosen at run time; see
    /// `createDataset(_:of:shape:chunk:maxShape:compression:)` for the parameters.
    public func createDataset(
        _ path: String, elementType: ElementType, shape: [Int], chunk: [Int]? = nil, maxShape: [Int?]? = nil,
        compression: Compression = .none
    ) throws -> Dataset {
        let callSite = site(for: path)
        try Self.validateLayout(shape: shape, chunk: chunk, maxShape: maxShape, compression: compression, callSite)

        let space = try shape.isEmpty
            ? HDF5Library.createScalarDataspace(callSite)
            : HDF5Library.createDataspace(shape: shape, maxShape: maxShape, callSite)
        defer { HDF5Library.release(space, with: H5Sclose) }
        let creationList = try HDF5Library.checked("H5Pcreate", callSite) { H5Pcreate(chdf5_p_dataset_create()) }
        defer { HDF5Library.release(creationList, with: H5Pclose) }
        if let chunk {
            let dims = chunk.map { hsize_t($0) }
            try HDF5Library.checked("H5Pset_chunk", callSite) { H5Pset_chunk(creationList, Int32(dims.count), dims) }
        }
        try compression.apply(to: creationList, callSite)
        let linkList = try HDF5Library.createLinkCreationList(callSite)
        defer { HDF5Library.release(linkList, with: H5Pclose) }

        let id = try call("H5Dcreate2", on: path) {
            H5Dcreate2($0, path, elementType.fileTypeID, space, linkList, creationList, HDF5Library.defaultList)
        }
        return Dataset(id: id, path: Object.join(self.path, path), in: openFile)
    }

    /// Checks the arguments of `createDataset` so that mistakes read as sentences rather than HDF5 internals.
    private static func validateLayout(
        shape: [Int], chunk: [Int]?, maxShape: [Int?]?, compression: Compression, _ site: CallSite
    ) throws {
        func fail(_ message: String) -> HDF5Error { HDF5Error.invalidArgument(site: site, message) }
        guard (0...32).contains(shape.count) else {
            throw fail("shape \(shape) must have 0 to 32 axes")
        }
        if shape.isEmpty, chunk != nil || maxShape != nil {
            throw fail("a scalar dataset (shape []) cannot be chunked or extendible")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("shape \(shape) has a negative size")
        }
        _ = try HDF5Library.product(of: shape, site)
        var growable = false
        if let maxShape {
            guard maxShape.count == shape.count else {
                throw fail("maxShape \(maxShape) has \(maxShape.count) axes but shape \(shape) has \(shape.count)")
            }
            for (size, limit) in zip(shape, maxShape) {
                guard let limit else {
                    growable = true
                    continue
                }
                guard limit >= size else { throw fail("maxShape \(maxShape) is smaller than shape \(shape)") }
                growable = growable || limit > size
            }
        }
        guard let chunk else {
            if growable { throw fail("an extendible dataset (maxShape \(maxShape ?? [])) needs a chunk shape") }
            if compression != .none { throw fail("compression \(compression) needs a chunk shape") }
            return
        }
        guard chunk.count == shape.count else {
            throw fail("chunk \(chunk) has \(chunk.count) axes but shape \(shape) has \(shape.count)")
        }
        guard chunk.allSatisfy({ $0 >= 1 }) else {
            throw fail("chunk \(chunk) has a size below 1")
        }
        _ = try HDF5Library.product(of: chunk, site)
    }
}
