import CZeroMQ

/// Facts about the libzmq this build links.
public enum ZeroMQLibrary {
    /// The linked library's version, "major.minor.patch".
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    /// Whether the library was built with CURVE security (libsodium or tweetnacl).
    public static var hasCurve: Bool { zmq_has("curve") != 0 }
}
