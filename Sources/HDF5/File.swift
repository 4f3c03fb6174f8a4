import CHDF5
import Foundation

/// An open HDF5 file, which is also its root group: create groups and datasets in it, put attributes on it.
///
/// ```swift
/// let file = try File(creating: "/tmp/run.h5")
/// let u = try file.createDataset("fields/u", of: Float.self, shape: [0, 64, 64], chunk: [1, 64, 64],
///                                maxShape: [nil, 64, 64], compression: .deflate(level: 1))
/// try u.append(slab)
/// try file.setAttribute("dt", to: 0.01)
/// try file.close()
/// ```
///
/// Call `close()` to flush and close the file and see any failure; it first closes every group and dataset still
/// open from it. Objects opened from the file keep it open until they are gone, so the file's `deinit` never pulls
/// the file out from under them. Not `Sendable`: see `HDF5Library` on threads.
public final class File: Container {
    /// How a file is opened.
    public enum AccessMode: Sendable, Hashable {
        case readOnly, readWrite
    }

    /// Whether this file may be written.
    public let mode: AccessMode

    /// Creates a file at `path` and opens it for reading and writing. With `overwrite` (the default) an existing
    /// file is truncated; without, an existing file is an error.
    public convenience init(creating path: String, overwrite: Bool = true) throws {
        let flags = overwrite ? chdf5_f_acc_trunc() : chdf5_f_acc_excl()
        let defaultList = HDF5Library.defaultList
        let fileID = try Self.retryingWhileLocked("H5Fcreate", CallSite(file: path)) {
            H5Fcreate(path, flags, defaultList, defaultList)
        }
        try self.init(OpenFile(id: fileID, path: path), mode: .readWrite)
    }

    /// Opens an existing file. A missing file throws a `.notFound` error; a file that is not HDF5 throws a
    /// `.libraryCall` error whose message is HDF5's ("file signature not found"); both name `path`. A file that
    /// another process holds open for writing is locked by HDF5: that fails after about half a second.
    public convenience init(opening path: String, mode: AccessMode = .readOnly) throws {
        let flags = mode == .readOnly ? chdf5_f_acc_rdonly() : chdf5_f_acc_rdwr()
        let site = CallSite(file: path)
        let fileID: hid_t
        do {
            fileID = try Self.retryingWhileLocked("H5Fopen", site) { H5Fopen(path, flags, HDF5Library.defaultList) }
        } catch let error as HDF5Error where !FileManager.default.fileExists(atPath: path) {
            throw HDF5Error.notFound(site: site, "no such file", stack: error.stack)
        }
        try self.init(OpenFile(id: fileID, path: path), mode: mode)
    }

    private init(_ openFile: OpenFile, mode: AccessMode) throws {
        let fileID = try openFile.identifier()
        try Self.keepOutOfChildProcesses(fileID, CallSite(file: openFile.path))
        let rootID = try HDF5Library.checked("H5Gopen2", CallSite(file: openFile.path, object: "/")) {
            H5Gopen2(fileID, "/", HDF5Library.defaultList)
        }
        self.mode = mode
        super.init(id: rootID, path: "/", in: openFile)
    }

    /// Runs `H5Fopen` or `H5Fcreate`, retrying for about half a second while HDF5 finds the file locked.
    ///
    /// HDF5 holds an `flock` on every open file. While any thread of this process starts a child process,
    /// the child briefly holds copies of all of this process's descriptors (Foundation's `Process` closes them one
    /// by one before `exec`), and with them the lock of a file this process has just closed; opening that file
    /// again in those few milliseconds fails with "unable to lock file". A file another process really has open
    /// stays locked past the retries, and that error is thrown.
    private static func retryingWhileLocked(
        _ call: String, _ site: CallSite, _ open: () -> hid_t
    ) throws -> hid_t {
        var delay = 0.001  // doubling: 1, 2, 4, ... 256 ms, 0.5 s in all
        while true {
            do {
                return try HDF5Library.checked(call, site, open)
            } catch let error as HDF5Error
                where delay < 0.3 && error.stack.contains(where: { $0.contains("unable to lock file") })
            {
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
            }
        }
    }

    /// Marks the file's descriptor close-on-exec. HDF5's default (sec2) driver opens files without `O_CLOEXEC` and
    /// holds an `flock` on them; a child process started with plain `fork`/`exec` while the file is open (a solver,
    /// an MPI launcher) would keep the descriptor, and the lock, after this process closes the file, so that opening
    /// it again fails with "unable to lock file". Files on other drivers are left as they are.
    private static func keepOutOfChildProcesses(_ fileID: hid_t, _ site: CallSite) throws {
        let accessList = try HDF5Library.checked("H5Fget_access_plist", site) { H5Fget_access_plist(fileID) }
        defer { HDF5Library.release(accessList, with: H5Pclose) }
        let driver = try HDF5Library.checked("H5Pget_driver", site) { H5Pget_driver(accessList) }
        guard driver == chdf5_fd_sec2() else { return }
        var handle: UnsafeMutableRawPointer?
        try HDF5Library.checked("H5Fget_vfd_handle", site) { H5Fget_vfd_handle(fileID, accessList, &handle) }
        // For sec2 the handle points at the driver's `int` file descriptor.
        guard let descriptor = handle?.load(as: Int32.self) else { return }
        let flags = fcntl(descriptor, F_GETFD)
        guard flags >= 0, fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) >= 0 else {
            let reason = String(cString: strerror(errno))
            throw HDF5Error.libraryCall("fcntl(F_SETFD, FD_CLOEXEC)", site: site, stack: [reason])
        }
    }

    /// Writes everything buffered for this file to disk, keeping it open.
    public func flush() throws {
        let fileID = try openFile.identifier()
        try HDF5Library.checked("H5Fflush", CallSite(file: filePath)) { H5Fflush(fileID, H5F_SCOPE_GLOBAL) }
    }

    /// Closes every group and dataset still open from this file, then the file itself, so that the data is on disk
    /// when this returns. Every close is attempted; the first failure is thrown. Closing twice does nothing.
    public override func close() throws {
        try openFile.close()
    }
}
