/// The role a peer declares in HELLO; each role may send only its own commands.
public enum PeerRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Streams samples (SAMPLE).
    case solver
    /// Consumes batches (CREDIT for batches).
    case trainer
    /// Reads status and administers the server.
    case admin
}

/// HELLO: the first message of every peer.
public struct Hello: Sendable, Hashable, Codable {
    public var role: PeerRole
    /// Protocol version the peer speaks (also in frame 0).
    public var protocolVersion: Int
    /// A human-readable peer name, for logs and status ("ns2d member 3").
    public var peer: String
    /// Capabilities the peer supports (e.g. "ragged-batch"); unknown ones are ignored.
    public var capabilities: [String]
    /// Solver: the study and member it runs, and which attempt this is.
    public var study: String?
    public var member: UInt64?
    public var attempt: UInt32?
    /// Solver: the largest payload (sum of field bytes) of one of its samples; the server reserves this much
    /// memory per credit it grants, so the byte bound holds.
    public var sampleBytes: Int?
    /// Trainer: consumer group, rank in the group and group size, samples per batch.
    public var group: String?
    public var rank: Int?
    public var worldSize: Int?
    public var batchSize: Int?

    public init(role: PeerRole, peer: String, capabilities: [String] = [], study: String? = nil,
                member: UInt64? = nil, attempt: UInt32? = nil, sampleBytes: Int? = nil, group: String? = nil,
                rank: Int? = nil, worldSize: Int? = nil, batchSize: Int? = nil) {
        self.role = role
        self.protocolVersion = Int(Envelope.version)
        self.peer = peer
        self.capabilities = capabilities
        self.study = study
        self.member = member
        self.attempt = attempt
        self.sampleBytes = sampleBytes
        self.group = group
        self.rank = rank
        self.worldSize = worldSize
        self.batchSize = batchSize
    }
}

/// READY: the server accepted a HELLO.
public struct Ready: Sendable, Hashable, Codable {
    public var protocolVersion: Int
    /// The server's name.
    public var server: String
    /// An identifier of this session (peer connection), for logs.
    public var session: String
    /// Interval at which the peer should send HEARTBEAT when otherwise silent, in milliseconds; the server
    /// considers a peer gone after three intervals without traffic.
    public var heartbeatMs: Int
    /// Largest payload frame the server accepts.
    public var maxFrameBytes: Int
    /// Solver: steps of this member the server already accepted (a relaunched member skips them).
    public var acceptedSteps: [UInt64]?

    public init(server: String, session: String, heartbeatMs: Int, maxFrameBytes: Int, acceptedSteps: [UInt64]? = nil) {
        self.protocolVersion = Int(Envelope.version)
        self.server = server
        self.session = session
        self.heartbeatMs = heartbeatMs
        self.maxFrameBytes = maxFrameBytes
        self.acceptedSteps = acceptedSteps
    }
}

/// CREDIT: permission to send more. Server -> solver grants `samples`; trainer -> server grants `batches`.
public struct Credit: Sendable, Hashable, Codable {
    public var samples: Int?
    public var batches: Int?
    public init(samples: Int? = nil, batches: Int? = nil) {
        self.samples = samples
        self.batches = batches
    }
}

/// BYE: an orderly goodbye; `reason` is "done" when a solver finished its member.
public struct Bye: Sendable, Hashable, Codable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// ERROR: a refusal, with a stable code and a sentence.
public struct ErrorReport: Sendable, Hashable, Codable {
    /// A stable, kebab-case code (the decoder's `WireError.Code`, or a server code such as "duplicate",
    /// "shape-mismatch", "non-finite", "no-credit", "forbidden", "not-ready").
    public var code: String
    public var message: String
    /// True when the server drops the peer's session after this error (the peer must HELLO again).
    public var fatal: Bool
    /// The sample concerned, when there is one.
    public var member: UInt64?
    public var step: UInt64?

    public init(code: String, message: String, fatal: Bool = false, member: UInt64? = nil, step: UInt64? = nil) {
        self.code = code
        self.message = message
        self.fatal = fatal
        self.member = member
        self.step = step
    }
}

/// STATUS: a request (usually an empty JSON object) or the server's counters, as a JSON object kept verbatim.
public struct StatusBody: Sendable, Hashable {
    /// The UTF-8 JSON text of the body.
    public var json: [UInt8]
    public init(json: [UInt8]) { self.json = json }
    /// The empty request `{}`.
    public static let request = StatusBody(json: Array("{}".utf8))
}
