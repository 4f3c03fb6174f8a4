import Reservoir
import Wire

/// What the server does with a sample whose float fields contain NaN or Inf.
public enum NonFinitePolicy: String, Sendable, Codable, CaseIterable {
    /// Refuse the sample (ERROR non-finite) and count it.
    case reject
    /// Keep the sample and set its `non-finite` flag so trainers can skip it.
    case flag
    /// Do not scan (fastest; for solvers that check their own output).
    case ignore
}

/// Settings of `sluice serve`, with defaults that work on one machine. Loaded from flags or a YAML file
/// (schemas/config/server.schema.json) and validated once, when built.
public struct ServerConfiguration: Sendable, Codable, Equatable {
    /// A name for logs and status.
    public var name: String = "sluice"
    /// Where solvers connect (ROUTER).
    public var solverEndpoint: String = "tcp://127.0.0.1:5555"
    /// Where trainers and exporters connect (ROUTER).
    public var consumerEndpoint: String = "tcp://127.0.0.1:5556"
    /// Where admin tools (`sluice status`) connect (ROUTER).
    public var controlEndpoint: String = "tcp://127.0.0.1:5557"
    /// Reservoir policy, byte bound, watermark, seed.
    public var reservoir: ReservoirConfiguration = ReservoirConfiguration(policy: .fifo, capacityBytes: 1 << 30)
    /// Decoder limits (largest frame, most fields, ...).
    public var limits: WireLimits = .standard
    /// Heartbeat interval in milliseconds; a peer silent for 3 intervals is dropped.
    public var heartbeatMs: Int = 1000
    /// Bytes of credit each solver may hold at once (its window); at least one sample, at most `maxCreditSamples`.
    public var creditWindowBytes: Int = 64 << 20
    /// Most samples of credit one solver may hold at once.
    public var maxCreditSamples: Int = 256
    /// Most batches a trainer may request ahead (its prefetch is capped here).
    public var maxPrefetch: Int = 16
    /// A trainer that waited this long gets a partial batch if at least one sample is available (0: only full
    /// batches). Lets the end of a finite stream be delivered.
    public var partialBatchAfterMs: Int = 500
    /// How long a consumer group stays active after its last trainer disconnected, so that a reconnecting trainer
    /// does not make samples lose their requirement.
    public var groupGraceMs: Int = 10_000
    /// NaN/Inf handling at ingest.
    public var nonFinite: NonFinitePolicy = .reject
    /// libzmq I/O threads (one moves about 1 GB/s).
    public var ioThreads: Int = 2
    /// Most sessions (peers that said HELLO) per endpoint at once; HELLOs beyond it are refused with `server-busy`.
    public var maxSessions: Int = 4096
    /// A file to write the bound endpoints to (JSON), for launchers and tests that bind port 0.
    public var endpointFile: String? = nil
    /// The host written into the endpoint file in place of the bound one, so that peers on other machines can
    /// connect when the server binds a wildcard (`tcp://0.0.0.0:*`): a hostname or address they can reach.
    public var advertiseHost: String? = nil
    /// Most TCP connections per endpoint; further ones are cut at once.
    public var maxConnections: Int = 256
    /// A connection that has not said HELLO after this long is cut.
    public var helloTimeoutMs: Int = 10_000
    /// Bytes a connection may have in flight beyond what its credit entitles it to (received by the kernel or
    /// libzmq but not yet a complete message); above it the connection is cut. Also the kernel receive buffer size.
    public var connectionAllowanceBytes: Int = 1 << 20
    /// Where the reservoir and counters are checkpointed (on SIGTERM and every `checkpoint_interval_s`) and
    /// restored from at start.
    public var checkpointFile: String? = nil
    /// Seconds between checkpoints (0: only at shutdown).
    public var checkpointIntervalS: Double = 60
    /// A key directory (`sluice keys generate`): when set, every endpoint requires CURVE, and only keys on the
    /// allow-list of the endpoint's role may connect.
    public var curveDirectory: String? = nil

    public init() {}

    /// Keys are camelCase here; files use snake_case, converted by the loader (and by JSON coders configured with
    /// `.convertFromSnakeCase`).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, solverEndpoint, consumerEndpoint, controlEndpoint, reservoir, limits, heartbeatMs
        case creditWindowBytes, maxCreditSamples, maxPrefetch, partialBatchAfterMs, groupGraceMs, nonFinite
        case ioThreads, maxSessions, endpointFile, curveDirectory, maxConnections, helloTimeoutMs
        case connectionAllowanceBytes, checkpointFile, checkpointIntervalS, advertiseHost
    }

    /// Decodes with defaults for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ServerConfiguration()
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        solverEndpoint = try c.decodeIfPresent(String.self, forKey: .solverEndpoint) ?? d.solverEndpoint
        consumerEndpoint = try c.decodeIfPresent(String.self, forKey: .consumerEndpoint) ?? d.consumerEndpoint
        controlEndpoint = try c.decodeIfPresent(String.self, forKey: .controlEndpoint) ?? d.controlEndpoint
        reservoir = try c.decodeIfPresent(ReservoirConfiguration.self, forKey: .reservoir) ?? d.reservoir
        limits = try c.decodeIfPresent(WireLimits.self, forKey: .limits) ?? d.limits
        heartbeatMs = try c.decodeIfPresent(Int.self, forKey: .heartbeatMs) ?? d.heartbeatMs
        creditWindowBytes = try c.decodeIfPresent(Int.self, forKey: .creditWindowBytes) ?? d.creditWindowBytes
        maxCreditSamples = try c.decodeIfPresent(Int.self, forKey: .maxCreditSamples) ?? d.maxCreditSamples
        maxPrefetch = try c.decodeIfPresent(Int.self, forKey: .maxPrefetch) ?? d.maxPrefetch
        partialBatchAfterMs = try c.decodeIfPresent(Int.self, forKey: .partialBatchAfterMs) ?? d.partialBatchAfterMs
        groupGraceMs = try c.decodeIfPresent(Int.self, forKey: .groupGraceMs) ?? d.groupGraceMs
        nonFinite = try c.decodeIfPresent(NonFinitePolicy.self, forKey: .nonFinite) ?? d.nonFinite
        ioThreads = try c.decodeIfPresent(Int.self, forKey: .ioThreads) ?? d.ioThreads
        maxSessions = try c.decodeIfPresent(Int.self, forKey: .maxSessions) ?? d.maxSessions
        endpointFile = try c.decodeIfPresent(String.self, forKey: .endpointFile)
        advertiseHost = try c.decodeIfPresent(String.self, forKey: .advertiseHost)
        curveDirectory = try c.decodeIfPresent(String.self, forKey: .curveDirectory)
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? d.maxConnections
        helloTimeoutMs = try c.decodeIfPresent(Int.self, forKey: .helloTimeoutMs) ?? d.helloTimeoutMs
        connectionAllowanceBytes = try c.decodeIfPresent(Int.self, forKey: .connectionAllowanceBytes) ?? d.connectionAllowanceBytes
        checkpointFile = try c.decodeIfPresent(String.self, forKey: .checkpointFile)
        checkpointIntervalS = try c.decodeIfPresent(Double.self, forKey: .checkpointIntervalS) ?? d.checkpointIntervalS
    }

    /// Checks every value; the message names the setting and both values.
    public func validate() throws {
        try reservoir.validate()
        func check(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw ConfigurationError(message()) }
        }
        for (key, endpoint) in [("solver_endpoint", solverEndpoint), ("consumer_endpoint", consumerEndpoint),
                                ("control_endpoint", controlEndpoint)] {
            try check(["tcp://", "ipc://", "inproc://"].contains { endpoint.hasPrefix($0) },
                      "\(key) '\(endpoint)' must start with tcp://, ipc:// or inproc://")
        }
        try check(Set([solverEndpoint, consumerEndpoint, controlEndpoint]).count == 3 || solverEndpoint.hasSuffix(":*"),
                  "solver, consumer and control endpoints must differ (got '\(solverEndpoint)', '\(consumerEndpoint)', '\(controlEndpoint)')")
        if let host = advertiseHost {
            try check(!host.isEmpty && !host.contains(where: { $0 == "/" || $0 == " " || $0 == ":" && !host.hasPrefix("[") }),
                      "advertise_host '\(host)' must be a hostname, an IPv4 address or a bracketed IPv6 address")
        }
        try check(heartbeatMs >= 10, "heartbeat_ms \(heartbeatMs) is below the minimum of 10")
        try check(creditWindowBytes > 0, "credit_window_bytes \(creditWindowBytes) must be positive")
        try check((1...65_536).contains(maxCreditSamples), "max_credit_samples \(maxCreditSamples) must be in 1...65536")
        try check((1...1024).contains(maxPrefetch), "max_prefetch \(maxPrefetch) must be in 1...1024")
        try check(partialBatchAfterMs >= 0, "partial_batch_after_ms \(partialBatchAfterMs) must not be negative")
        try check(groupGraceMs >= 0, "group_grace_ms \(groupGraceMs) must not be negative")
        try check((1...64).contains(ioThreads), "io_threads \(ioThreads) must be in 1...64")
        try check(maxSessions >= 1, "max_sessions \(maxSessions) must be at least 1")
        try check(checkpointIntervalS >= 0, "checkpoint_interval_s \(checkpointIntervalS) must not be negative")
        try check(maxConnections >= 1, "max_connections \(maxConnections) must be at least 1")
        try check(helloTimeoutMs >= 100, "hello_timeout_ms \(helloTimeoutMs) is below the minimum of 100")
        try check(connectionAllowanceBytes >= 65_536, "connection_allowance_bytes \(connectionAllowanceBytes) is below the minimum of 65536")
        try check(limits.maxFrameBytes > 0 && limits.maxFields > 0, "limits must be positive")
        try check(reservoir.capacityBytes >= 1024, "reservoir capacity_bytes \(reservoir.capacityBytes) is below 1024")
    }
}

/// A configuration value that cannot be used, with a sentence that names it.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
