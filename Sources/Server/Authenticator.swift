import Foundation
import Logging
import Transport
import ZeroMQ

/// The server's ZAP handler (ZeroMQ RFC 27): libzmq asks it, during every CURVE handshake, whether the client's
/// public key may connect to the endpoint (ZAP domain) it dialled. Keys come from a `KeyDirectory`'s allow-lists,
/// one per role; the solver endpoint admits solver keys, the consumer endpoint trainer keys, the control endpoint
/// admin keys. Revoked keys are refused everywhere. The lists are re-read when they change, so `sluice keys
/// revoke` takes effect on the next connection without a restart.
final class Authenticator {
    static let zapEndpoint = "inproc://zeromq.zap.01"
    static let domains: [Endpoint: String] = [.solver: "solver", .consumer: "consumer", .control: "control"]
    static let roleOfDomain = ["solver": "solver", "consumer": "trainer", "control": "admin"]

    let directory: KeyDirectory
    let serverKeys: CurveKeyPair
    private(set) var allowed: [String: [String: String]] = [:]
    private(set) var revoked: [String: String] = [:]
    private var stamp = -1.0
    private var lastCheck = ContinuousClock.now - .seconds(10)
    let logger: Logger

    init(directory: String, logger: Logger) throws {
        self.directory = KeyDirectory(directory)
        self.logger = logger
        serverKeys = try CurveKeyFile.readSecret(self.directory.serverKeyPath)
        try reload(force: true)
    }

    /// Re-reads the lists if they changed (checked at most once a second).
    func reload(force: Bool = false) throws {
        let now = ContinuousClock.now
        guard force || now - lastCheck >= .seconds(1) else { return }
        lastCheck = now
        let current = directory.listsStamp
        guard force || current != stamp else { return }
        let lists = try directory.load()
        allowed = lists.allowed
        revoked = lists.revoked
        stamp = current
        logger.info("CURVE keys: \(summary)")
    }

    var summary: String {
        let counts = KeyDirectory.roles.map { "\(allowed[$0]?.count ?? 0) \($0)" }.joined(separator: ", ")
        return "\(counts) keys allowed, \(revoked.count) revoked"
    }

    /// The decision for one ZAP request: status code, text, user id, and the rejection counter to bump.
    func decide(domain: String, mechanism: String, credentials: [UInt8]) -> (status: String, text: String, userID: String, counter: String?) {
        try? reload()
        guard mechanism == "CURVE", credentials.count == 32, let key = Z85.encode(credentials) else {
            return ("400", "CURVE required", "", "auth-no-curve")
        }
        guard let role = Self.roleOfDomain[domain] else { return ("400", "unknown domain", "", "auth-unknown-domain") }
        if let name = revoked[key] { return ("400", "key '\(name)' is revoked", "", "auth-revoked-key") }
        if let name = allowed[role]?[key] { return ("200", "OK", "\(role):\(name)", nil) }
        if KeyDirectory.roles.contains(where: { allowed[$0]?[key] != nil }) {
            return ("400", "key not allowed on the \(domain) endpoint", "", "auth-wrong-role")
        }
        return ("400", "unknown key", "", "auth-unknown-key")
    }

    /// Answers one ZAP request read from the handler socket; returns the rejection counter, if refused.
    func answer(_ frames: [Message], on socket: Socket) throws -> String? {
        // version, request id, domain, address, identity, mechanism, credentials...
        guard frames.count >= 6 else { return "auth-malformed" }
        let version = frames[0].bytes
        let requestID = frames[1]
        let domain = String(decoding: frames[2].bytes, as: UTF8.self)
        let address = String(decoding: frames[3].bytes, as: UTF8.self)
        let mechanism = String(decoding: frames[5].bytes, as: UTF8.self)
        let credentials = frames.count > 6 ? frames[6].bytes : []
        let decision = decide(domain: domain, mechanism: mechanism, credentials: credentials)
        if decision.status != "200" {
            logger.warning("refused a \(mechanism) connection from \(address) to the \(domain) endpoint: \(decision.text)")
        }
        try socket.send(multipart: [try Message(bytes: version), requestID, try Message(bytes: Array(decision.status.utf8)),
                                    try Message(bytes: Array(decision.text.utf8)), try Message(bytes: Array(decision.userID.utf8)),
                                    try Message(bytes: [])])
        return decision.counter
    }
}
