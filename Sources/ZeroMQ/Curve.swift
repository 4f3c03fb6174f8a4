import CZeroMQ

/// A CurveZMQ key pair, both keys as 40-character Z85 text.
public struct CurveKeyPair: Sendable, Equatable {
    /// The public key (share it).
    public let publicKey: String
    /// The secret key (keep it in a file readable only by its owner).
    public let secretKey: String

    public init(publicKey: String, secretKey: String) throws {
        guard Self.isValidKey(publicKey) else { throw ZMQError.invalid("CurveKeyPair", "public key is not 40 Z85 characters") }
        guard Self.isValidKey(secretKey) else { throw ZMQError.invalid("CurveKeyPair", "secret key is not 40 Z85 characters") }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Generates a new key pair with libzmq's `zmq_curve_keypair` (libsodium's random generator).
    public static func generate() throws -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        try zmqCheck("zmq_curve_keypair") { zmq_curve_keypair(&pub, &sec) }
        return try CurveKeyPair(publicKey: text(pub), secretKey: text(sec))
    }

    /// Rebuilds a key pair from its secret key (`zmq_curve_public`).
    public static func fromSecretKey(_ secretKey: String) throws -> CurveKeyPair {
        guard isValidKey(secretKey) else { throw ZMQError.invalid("zmq_curve_public", "secret key is not 40 Z85 characters") }
        var pub = [CChar](repeating: 0, count: 41)
        try zmqCheck("zmq_curve_public") { zmq_curve_public(&pub, secretKey) }
        return try CurveKeyPair(publicKey: text(pub), secretKey: secretKey)
    }

    /// Whether `key` looks like a Z85 CurveZMQ key (40 characters of the Z85 alphabet).
    public static func isValidKey(_ key: String) -> Bool {
        let alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
        return key.count == 40 && key.allSatisfy { alphabet.contains($0) }
    }

    private static func text(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Socket {
    /// Makes this socket a CURVE server with `keys` (set before `bind`). Clients must know `keys.publicKey`.
    public func makeCurveServer(_ keys: CurveKeyPair) throws {
        try setOption(ZMQ_CURVE_SERVER, name: "ZMQ_CURVE_SERVER", int: 1)
        try setOption(ZMQ_CURVE_SECRETKEY, name: "ZMQ_CURVE_SECRETKEY", bytes: Array(keys.secretKey.utf8), redacted: true)
    }

    /// Makes this socket a CURVE client of a server with public key `serverKey` (set before `connect`).
    public func makeCurveClient(serverKey: String, keys: CurveKeyPair) throws {
        guard CurveKeyPair.isValidKey(serverKey) else {
            throw ZMQError.invalid("zmq_setsockopt(ZMQ_CURVE_SERVERKEY)", "server key is not 40 Z85 characters")
        }
        try setOption(ZMQ_CURVE_SERVERKEY, name: "ZMQ_CURVE_SERVERKEY", bytes: Array(serverKey.utf8))
        try setOption(ZMQ_CURVE_PUBLICKEY, name: "ZMQ_CURVE_PUBLICKEY", bytes: Array(keys.publicKey.utf8))
        try setOption(ZMQ_CURVE_SECRETKEY, name: "ZMQ_CURVE_SECRETKEY", bytes: Array(keys.secretKey.utf8), redacted: true)
    }
}
