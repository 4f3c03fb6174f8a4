import CHDF5

/// Facts about the HDF5 library this build links, and the one lock every HDF5 call goes through.
///
/// # Threads
///
/// The HDF5 library is global state, and the common "serial" builds are not thread-safe at all: two threads calling
/// into it at once, even on two different files, can corrupt it. Every HDF5 call this module makes therefore runs
/// while holding one process-wide lock (`HDF5Library+Call.swift`). Calls are serialized, not parallel: to use several
/// cores, compress outside HDF5 and store finished chunks with `Dataset.writeChunk(_:at:filterMask:)`.
///
/// `File`, `Group` and `Dataset` are not `Sendable`: one thread (or task) uses one file and the objects opened from
/// it. Different threads may use different files.
///
/// # Errors
///
/// HDF5's automatic printing of its error stack to stderr is switched off; each failing call's stack is read and
/// thrown as an `HDF5Error` that names the call, the file and the object.
public enum HDF5Library {
    /// The linked library's version, "major.minor.release".
    public static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        let result = locked { H5get_libversion(&major, &minor, &release) }
        return result < 0 ? "unknown" : "\(major).\(minor).\(release)"
    }
}
