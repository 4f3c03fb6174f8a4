import CHDF5

/// Reading and writing a box-shaped part of a dataset (an HDF5 hyperslab), and growing a dataset.
extension Dataset {
    /// Reads the box of `count` elements per axis starting at `offset`, in row-major order.
    public func read<T: HDF5Scalar>(as type: T.Type = T.self, offset: [Int], count: [Int]) throws -> [T] {
        let total = try HDF5Library.product(of: count, site)
        return try [T](unsafeUninitializedCapacity: total) { buffer, initialized in
            try read(into: buffer, offset: offset, count: count)
            initialized = total
        }
    }

    /// Reads the box of `count` elements per axis starting at `offset` into `buffer`, which must hold exactly the
    /// product of `count` elements.
    public func read<T: HDF5Scalar>(into buffer: UnsafeMutableBufferPointer<T>, offset: [Int], count: [Int]) throws {
        try withSelection(offset: offset, count: count, bufferCount: buffer.count) { memorySpace, fileSpace in
            guard let address = buffer.baseAddress else { return }
            try call("H5Dread") {
                H5Dread($0, T.nativeTypeID, memorySpace, fileSpace, HDF5Library.defaultList, address)
            }
        }
    }

    /// Writes `values` (row-major, exactly the product of `count` elements) into the box of `count` elements per
    /// axis starting at `offset`.
    public func write<T: HDF5Scalar>(_ values: [T], offset: [Int], count: [Int]) throws {
        try values.withUnsafeBufferPointer { try write(from: $0, offset: offset, count: count) }
    }

    /// Writes `buffer` (row-major, exactly the product of `count` elements) into the box of `count` elements per
    /// axis starting at `offset`.
    public func write<T: HDF5Scalar>(from buffer: UnsafeBufferPointer<T>, offset: [Int], count: [Int]) throws {
        try withSelection(offset: offset, count: count, bufferCount: buffer.count) { memorySpace, fileSpace in
            guard let address = buffer.baseAddress else { return }
            try call("H5Dwrite") {
                H5Dwrite($0, T.nativeTypeID, memorySpace, fileSpace, HDF5Library.defaultList, address)
            }
        }
    }

    /// Changes the dataset's shape to `newShape` (same number of axes, within `maxShape`). Growing fills the new
    /// elements with zero; shrinking discards elements.
    public func extend(to newShape: [Int]) throws {
        let (shape, maxShape) = try extent()
        guard newShape.count == shape.count, newShape.allSatisfy({ $0 >= 0 }) else {
            throw HDF5Error.invalidArgument(site: site, "cannot change shape \(shape) to \(newShape)")
        }
        for (size, limit) in zip(newShape, maxShape) where limit.map({ size > $0 }) ?? false {
            throw HDF5Error.invalidArgument(site: site, "new shape \(newShape) exceeds maxShape \(maxShape)")
        }
        let dims = newShape.map { hsize_t($0) }
        try call("H5Dset_extent") { H5Dset_extent($0, dims) }
    }

    /// Appends whole rows along the first axis: grows the dataset by `values.count / rowSize` rows (where
    /// `rowSize` is the product of `shape` without its first axis) and writes them. Returns the rows written.
    @discardableResult
    public func append<T: HDF5Scalar>(_ values: [T]) throws -> Range<Int> {
        try values.withUnsafeBufferPointer { try append(from: $0) }
    }

    /// Appends whole rows along the first axis from `buffer`; see `append(_:)`.
    @discardableResult
    public func append<T: HDF5Scalar>(from buffer: UnsafeBufferPointer<T>) throws -> Range<Int> {
        let shape = try self.shape
        let rowShape = Array(shape.dropFirst())
        let rowSize = try HDF5Library.product(of: rowShape, site)
        guard rowSize > 0, buffer.count % rowSize == 0 else {
            throw HDF5Error.invalidArgument(
                site: site, "\(buffer.count) values are not whole rows of shape \(rowShape) for shape \(shape)")
        }
        let rows = buffer.count / rowSize
        let start = shape[0]
        try extend(to: [start + rows] + rowShape)
        try write(from: buffer, offset: [start] + rowShape.map { _ in 0 }, count: [rows] + rowShape)
        return start..<(start + rows)
    }

    /// Selects the box (`offset`, `count`) in the file and a matching memory dataspace, after checking both against
    /// the dataset's shape and the caller's buffer; does nothing for an empty box.
    private func withSelection(
        offset: [Int], count: [Int], bufferCount: Int, _ body: (_ memorySpace: hid_t, _ fileSpace: hid_t) throws -> Void
    ) throws {
        let shape = try self.shape
        let total = try HDF5Library.product(of: count, site)
        guard offset.count == shape.count, count.count == shape.count,
            zip(zip(offset, count), shape).allSatisfy({ box, size in
                box.0 >= 0 && box.1 >= 0 && box.1 <= size && box.0 <= size - box.1
            })
        else {
            throw HDF5Error.invalidArgument(
                site: site, "the box at offset \(offset) of count \(count) does not fit shape \(shape)")
        }
        guard bufferCount == total else {
            throw HDF5Error.invalidArgument(
                site: site, "a buffer of \(bufferCount) elements does not match count \(count) (\(total) elements)")
        }
        guard total > 0 else { return }

        let fileSpace = try call("H5Dget_space") { H5Dget_space($0) }
        defer { HDF5Library.release(fileSpace, with: H5Sclose) }
        let start = offset.map { hsize_t($0) }
        let size = count.map { hsize_t($0) }
        try HDF5Library.checked("H5Sselect_hyperslab", site) {
            H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, size, nil)
        }
        let memorySpace = try HDF5Library.createDataspace(shape: count, site)
        defer { HDF5Library.release(memorySpace, with: H5Sclose) }
        try body(memorySpace, fileSpace)
    }
}
