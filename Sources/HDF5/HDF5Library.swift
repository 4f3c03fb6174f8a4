import CHDF5

/// Facts about the HDF5 library this build links.
public enum HDF5Library {
    /// The linked library's version, "major.minor.release".
    public static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        _ = H5get_libversion(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }
}
