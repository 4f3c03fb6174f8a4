import Foundation
import SluiceModel

/// A study: many members of one solver case, each with its own parameter draw, streamed into one server.
/// Loaded from YAML or JSON (schemas/config/study.schema.json) by `sluice launch`.
public struct Study: Codable, Sendable {
    /// The reservoir server the launcher starts (or the one it attaches to).
    public struct Server: Codable, Sendable {
        public var policy: String = "reservoir"
        public var capacityBytes: Int = 256 << 20
        public var watermarkBytes: Int = 0
        public var seed: UInt64 = 0
        /// Seconds between reservoir checkpoints (0: only when the server stops).
        public var checkpointIntervalS: Double = 30
        /// Attach to a running server instead of starting one: its solver and control endpoints.
        public var solverEndpoint: String?
        public var consumerEndpoint: String?
        public var controlEndpoint: String?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case policy, capacityBytes, watermarkBytes, seed, checkpointIntervalS, solverEndpoint, consumerEndpoint, controlEndpoint
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Server()
            policy = try c.decodeIfPresent(String.self, forKey: .policy) ?? d.policy
            capacityBytes = try c.decodeIfPresent(Int.self, forKey: .capacityBytes) ?? d.capacityBytes
            watermarkBytes = try c.decodeIfPresent(Int.self, forKey: .watermarkBytes) ?? d.watermarkBytes
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
            checkpointIntervalS = try c.decodeIfPresent(Double.self, forKey: .checkpointIntervalS) ?? d.checkpointIntervalS
            solverEndpoint = try c.decodeIfPresent(String.self, forKey: .solverEndpoint)
            consumerEndpoint = try c.decodeIfPresent(String.self, forKey: .consumerEndpoint)
            controlEndpoint = try c.decodeIfPresent(String.self, forKey: .controlEndpoint)
        }
    }

    /// When a member counts as failed.
    public struct Timeouts: Codable, Sendable {
        /// Wall-clock seconds one attempt may run (0: no limit).
        public var memberSeconds: Double = 0
        /// Seconds without an accepted sample (while the member holds credit) or without a connection, after which
        /// a running attempt is considered hung and killed.
        public var silenceSeconds: Double = 60
        public init() {}

        enum CodingKeys: String, CodingKey { case memberSeconds, silenceSeconds }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            memberSeconds = try c.decodeIfPresent(Double.self, forKey: .memberSeconds) ?? 0
            silenceSeconds = try c.decodeIfPresent(Double.self, forKey: .silenceSeconds) ?? 60
        }
    }

    /// What happens to failed members.
    public struct Retries: Codable, Sendable {
        public enum Exhaustion: String, Codable, Sendable {
            /// Give the member up (it is reported as failed).
            case fail
            /// Replace it by a new member with a fresh parameter draw (a new member index after the study's).
            case redraw
        }
        /// Attempts per member (the first run included).
        public var maxAttempts: Int = 3
        public var onExhaustion: Exhaustion = .fail
        /// Most replacement members a study may draw.
        public var maxRedraws: Int = 10
        public init() {}

        enum CodingKeys: String, CodingKey { case maxAttempts, onExhaustion, maxRedraws }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 3
            onExhaustion = try c.decodeIfPresent(Exhaustion.self, forKey: .onExhaustion) ?? .fail
            maxRedraws = try c.decodeIfPresent(Int.self, forKey: .maxRedraws) ?? 10
        }
    }

    /// A process the launcher runs against the server's consumer endpoint for the whole study: a trainer, a
    /// checking consumer. `command` is a `sluice` subcommand and its arguments; `--server ENDPOINT` is appended.
    public struct Consumer: Codable, Sendable {
        public var name: String
        public var command: [String]
    }

    /// An archive rule: `sluice export --server ENDPOINT --out OUT [--spec SPEC]` with the given arguments, for the
    /// whole study. `out` and `spec` are relative to the study file.
    public struct Archive: Codable, Sendable {
        public var out: String
        /// An export spec file (schemas/config/export.schema.json): filter, precision, compression, selection, split.
        public var spec: String?
        public var arguments: [String]?
    }

    public var name: String
    /// The case file, relative to the study file.
    public var `case`: String
    public var members: Int
    public var seed: UInt64
    public var design: ExperimentDesign
    public var parameters: [String: ParameterDistribution]
    /// Members running at once.
    public var concurrency: Int
    public var server: Server
    public var timeouts: Timeouts
    public var retries: Retries
    public var consumers: [Consumer]
    public var archive: Archive?
    /// CURVE for every connection: the launcher makes the study's keys (server, members, consumers, itself) in its
    /// work directory and hands each process its key files.
    public var curve: Bool

    enum CodingKeys: String, CodingKey {
        case name, `case`, members, seed, design, parameters, concurrency, server, timeouts, retries, consumers, archive, curve
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        `case` = try c.decode(String.self, forKey: .case)
        members = try c.decode(Int.self, forKey: .members)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        design = try c.decodeIfPresent(ExperimentDesign.self, forKey: .design) ?? .random
        parameters = try c.decodeIfPresent([String: ParameterDistribution].self, forKey: .parameters) ?? [:]
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency) ?? 2
        server = try c.decodeIfPresent(Server.self, forKey: .server) ?? Server()
        timeouts = try c.decodeIfPresent(Timeouts.self, forKey: .timeouts) ?? Timeouts()
        retries = try c.decodeIfPresent(Retries.self, forKey: .retries) ?? Retries()
        consumers = try c.decodeIfPresent([Consumer].self, forKey: .consumers) ?? []
        archive = try c.decodeIfPresent(Archive.self, forKey: .archive)
        curve = try c.decodeIfPresent(Bool.self, forKey: .curve) ?? false
    }

    /// Checks the values; messages name the key and the value.
    public func validate() throws {
        func check(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw ParameterSpaceError("study '\(name)': \(message())") }
        }
        try check(!name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) },
                  "name '\(name)' must be letters, digits, '-', '_' or '.'")
        try check((1...1_000_000).contains(members), "members \(members) must be in 1...1000000")
        try check((1...10_000).contains(concurrency), "concurrency \(concurrency) must be in 1...10000")
        try check(["fifo", "firo", "reservoir", "uniform"].contains(server.policy), "server.policy '\(server.policy)' is not fifo, firo, reservoir or uniform")
        try check(server.capacityBytes >= 1024, "server.capacity_bytes \(server.capacityBytes) is below 1024")
        try check(retries.maxAttempts >= 1, "retries.max_attempts \(retries.maxAttempts) must be at least 1")
        try check(timeouts.silenceSeconds > 0, "timeouts.silence_seconds \(timeouts.silenceSeconds) must be positive")
        try check(timeouts.memberSeconds >= 0, "timeouts.member_seconds \(timeouts.memberSeconds) must not be negative")
        let attach = [server.solverEndpoint, server.consumerEndpoint, server.controlEndpoint].compactMap { $0 }
        try check(attach.isEmpty || (server.solverEndpoint != nil && server.controlEndpoint != nil),
                  "attaching to a server needs server.solver_endpoint and server.control_endpoint")
        for (n, p) in parameters { try p.validate(name: n) }
        try check(Set(consumers.map(\.name)).count == consumers.count, "consumer names must be unique")
    }

    /// Member `k`'s parameter draw (k < members), or the draw of replacement member `k` (k >= members, from a
    /// random design seeded by the study's seed and k, so replacements are reproducible too).
    public func draw(member k: Int) throws -> [(String, Double)] {
        if k < members {
            return try ParameterDraws(parameters: parameters, design: design, members: members, seed: seed).draw(k)
        }
        return try ParameterDraws(parameters: parameters, design: .random, members: 1,
                                  seed: seed &+ 0x9E37_79B9 &* UInt64(k)).draw(0)
    }
}
