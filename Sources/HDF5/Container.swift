import CHDF5

/// What an object in a file is.
public enum ObjectKind: String, Sendable, Hashable {
    case group, dataset
    /// A datatype stored in the file under a name (h5py's `f["t"] = numpy.dtype(...)`).
    case namedDatatype
}

/// An object that holds links to other objects: a `File` (its root group) or a `Group`.
///
/// Paths are relative to this object ("fields/u"), or absolute from the file's root when they start with "/".
public class Container: Object {
    /// Creates a group, and any missing groups on the way ("a/b/c" creates "a" and "a/b" too).
    /// Throws if something already exists at `path`.
    public func createGroup(_ path: String) throws -> Group {
        let linkList = try HDF5Library.createLinkCreationList(site(for: path))
        defer { HDF5Library.release(linkList, with: H5Pclose) }
        let defaultList = HDF5Library.defaultList
        let id = try call("H5Gcreate2", on: path) { H5Gcreate2($0, path, linkList, defaultList, defaultList) }
        return Group(id: id, path: Object.join(self.path, path), in: openFile)
    }

    /// Opens the group at `path`; throws a `.notFound` error naming the path if nothing is there.
    public func openGroup(_ path: String) throws -> Group {
        try requireKind(.group, at: path)
        let id = try call("H5Gopen2", on: path) { H5Gopen2($0, path, HDF5Library.defaultList) }
        return Group(id: id, path: Object.join(self.path, path), in: openFile)
    }

    /// Opens the dataset at `path`; throws a `.notFound` error naming the path if nothing is there.
    public func openDataset(_ path: String) throws -> Dataset {
        try requireKind(.dataset, at: path)
        let id = try call("H5Dopen2", on: path) { H5Dopen2($0, path, HDF5Library.defaultList) }
        return Dataset(id: id, path: Object.join(self.path, path), in: openFile)
    }

    /// The names of the links directly in this group, in name order.
    public func children() throws -> [String] {
        var info = H5G_info_t()
        try call("H5Gget_info") { H5Gget_info($0, &info) }
        return try (0..<info.nlinks).map { index in
            let length = try call("H5Lget_name_by_idx") {
                H5Lget_name_by_idx($0, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, HDF5Library.defaultList)
            }
            var buffer = [CChar](repeating: 0, count: length + 1)
            try buffer.withUnsafeMutableBufferPointer { name in
                _ = try call("H5Lget_name_by_idx") {
                    H5Lget_name_by_idx(
                        $0, ".", H5_INDEX_NAME, H5_ITER_INC, index, name.baseAddress, name.count,
                        HDF5Library.defaultList)
                }
            }
            return String(nulTerminated: buffer)
        }
    }

    /// Whether an object exists at `path`. False, not an error, when a component on the way is missing or is a
    /// dataset, or when the last link dangles.
    public func exists(_ path: String) throws -> Bool {
        let parts = path.split(separator: "/").filter { $0 != "." }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for (index, part) in parts.enumerated() {
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + part
            let linkPath = prefix
            let found = try call("H5Lexists", on: linkPath) { H5Lexists($0, linkPath, HDF5Library.defaultList) }
            guard found > 0 else { return false }
            let exists = try call("H5Oexists_by_name", on: linkPath) {
                H5Oexists_by_name($0, linkPath, HDF5Library.defaultList)
            }
            guard exists > 0 else { return false }
            if index < parts.count - 1, try storedKind(at: linkPath) != .group {
                return false
            }
        }
        return true
    }

    /// What the object at `path` is; throws a `.notFound` error if nothing is there.
    public func kind(of path: String) throws -> ObjectKind {
        guard try exists(path) else {
            throw HDF5Error.notFound(site: site(for: path), "no object at this path")
        }
        return try storedKind(at: path)
    }

    /// Removes the link at `path` (the space it used is not reclaimed by HDF5 until the file is repacked).
    public func removeLink(_ path: String) throws {
        guard try exists(path) else {
            throw HDF5Error.notFound(site: site(for: path), "no object at this path")
        }
        try call("H5Ldelete", on: path) { H5Ldelete($0, path, HDF5Library.defaultList) }
    }

    // MARK: Internal

    /// The kind of an object known to exist.
    private func storedKind(at path: String) throws -> ObjectKind {
        let objectID = try call("H5Oopen", on: path) { H5Oopen($0, path, HDF5Library.defaultList) }
        defer { HDF5Library.release(objectID, with: H5Oclose) }
        let type = try HDF5Library.checked("H5Iget_type", site(for: path), failsWhen: { $0 == H5I_BADID }) {
            H5Iget_type(objectID)
        }
        switch type {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        case H5I_DATATYPE: return .namedDatatype
        default:
            throw HDF5Error.unsupportedType(site: site(for: path), "object has HDF5 identifier type \(type.rawValue)")
        }
    }

    /// Throws `.notFound` if nothing is at `path`, `.typeMismatch` if it is not a `kind`.
    private func requireKind(_ kind: ObjectKind, at path: String) throws {
        let found = try self.kind(of: path)
        guard found == kind else {
            throw HDF5Error.typeMismatch(site: site(for: path), "expected a \(kind), found a \(found)")
        }
    }
}
