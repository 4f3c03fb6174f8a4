import CHDF5

/// Something inside an HDF5 file that carries attributes: a file's root group (`File`), a `Group` or a `Dataset`.
///
/// Each object owns one HDF5 identifier. Close it with `close()` to see failures; `deinit` closes it as a safety
/// net. An object keeps its file open for as long as it lives, so dropping the `File` first is safe. `File.close()`
/// closes every object still open in that file first; using one of them afterwards throws a `.closed` error.
///
/// Not `Sendable`: one thread uses a file and its objects (see `HDF5Library` on threads).
public class Object {
    /// The absolute path of this object inside its file: "/" for the root group, "/fields/u" for a dataset.
    public let path: String
    /// The file this object lives in; its HDF5 file identifier stays open while this object lives.
    let openFile: OpenFile
    /// The object's HDF5 identifier, or -1 once closed.
    private var rawID: hid_t

    init(id: hid_t, path: String, in openFile: OpenFile) {
        self.rawID = id
        self.path = path
        self.openFile = openFile
        openFile.register(self)
    }

    deinit {
        if rawID >= 0 {
            HDF5Library.release(rawID, with: H5Oclose)
        }
        openFile.unregister(ObjectIdentifier(self))
    }

    /// The file system path of the file this object lives in.
    public var filePath: String { openFile.path }

    /// Whether this object (and its file) is still open.
    public var isOpen: Bool { rawID >= 0 }

    /// Closes this object's HDF5 identifier, throwing if HDF5 reports a failure. Closing twice does nothing.
    public func close() throws {
        guard rawID >= 0 else { return }
        let id = rawID
        rawID = -1
        openFile.unregister(ObjectIdentifier(self))
        try HDF5Library.checked("H5Oclose", site) { H5Oclose(id) }
    }

    // MARK: Internal helpers

    /// Where errors about this object happened.
    var site: CallSite { CallSite(file: filePath, object: path) }

    /// Where errors about the object at `relativePath` (from this one) happened.
    func site(for relativePath: String) -> CallSite {
        CallSite(file: filePath, object: Object.join(path, relativePath))
    }

    /// This object's identifier, or a `.closed` error naming it.
    func identifier() throws -> hid_t {
        guard rawID >= 0 else { throw HDF5Error.closed(site: site) }
        return rawID
    }

    /// Runs one checked HDF5 call on this object's identifier; errors name `relativePath` when given.
    @discardableResult
    func call<Result: SignedInteger>(
        _ name: String, on relativePath: String? = nil, _ body: (hid_t) throws -> Result
    ) throws -> Result {
        let id = try identifier()
        let callSite = relativePath.map { site(for: $0) } ?? site
        return try HDF5Library.checked(name, callSite) { try body(id) }
    }

    /// Marks this object closed after its file closed it (or is about to), returning the identifier to close.
    func detachIdentifier() -> hid_t? {
        guard rawID >= 0 else { return nil }
        defer { rawID = -1 }
        return rawID
    }

    /// The absolute, normalized path of `relative` seen from `base` ("/a" + "b/c" is "/a/b/c"; "/x" stays "/x").
    static func join(_ base: String, _ relative: String) -> String {
        let full = relative.hasPrefix("/") ? relative : base + "/" + relative
        let parts = full.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}

/// One open HDF5 file identifier, shared by the `File` and every object opened from it, which keep it alive.
/// It knows the objects still open so that closing the file can close them first: HDF5 would otherwise keep the
/// file open (unflushed) behind a successful `H5Fclose` until the last object closed.
final class OpenFile {
    /// The file system path.
    let path: String
    /// The HDF5 file identifier, or -1 once closed.
    private var rawID: hid_t
    /// Objects opened from this file and not yet closed, held weakly.
    private var openObjects: [ObjectIdentifier: WeakObject] = [:]

    init(id: hid_t, path: String) {
        self.rawID = id
        self.path = path
    }

    deinit {
        if rawID >= 0 {
            HDF5Library.release(rawID, with: H5Fclose)
        }
    }

    var isOpen: Bool { rawID >= 0 }

    func identifier() throws -> hid_t {
        guard rawID >= 0 else { throw HDF5Error.closed(site: CallSite(file: path)) }
        return rawID
    }

    func register(_ object: Object) {
        openObjects[ObjectIdentifier(object)] = WeakObject(object: object)
    }

    func unregister(_ id: ObjectIdentifier) {
        openObjects[id] = nil
    }

    /// Closes every object still open from this file, then the file. All are attempted; the first failure is thrown.
    func close() throws {
        guard rawID >= 0 else { return }
        var firstError: (any Error)?
        let objects = openObjects.values.compactMap(\.object)
        openObjects.removeAll()
        for object in objects {
            guard let id = object.detachIdentifier() else { continue }
            do {
                try HDF5Library.checked("H5Oclose", object.site) { H5Oclose(id) }
            } catch {
                firstError = firstError ?? error
            }
        }
        let id = rawID
        rawID = -1
        do {
            try HDF5Library.checked("H5Fclose", CallSite(file: path)) { H5Fclose(id) }
        } catch {
            firstError = firstError ?? error
        }
        if let firstError { throw firstError }
    }

    private struct WeakObject {
        weak var object: Object?
    }
}
