import Reservoir

/// The counters `sluice status` shows, as the server reports them in a STATUS reply (JSON, snake_case keys).
public struct ServerStatus: Sendable, Codable, Equatable {
    public struct ServerInfo: Sendable, Codable, Equatable {
        public var name: String
        public var version: String
        public var uptimeS: Double
        public var solverEndpoint: String
        public var consumerEndpoint: String
        public var controlEndpoint: String
        public var security: String
        public var nonFinite: String
        public var stopping: Bool
    }

    public struct Totals: Sendable, Codable, Equatable {
        public var samplesIn: Int = 0
        public var bytesIn: Int = 0
        public var samplesOut: Int = 0
        public var bytesOut: Int = 0
        public var batchesOut: Int = 0
        public var flaggedNonFinite: Int = 0
        /// Messages refused, by code (the ERROR codes of PROTOCOL.md).
        public var rejected: [String: Int] = [:]
        public var rejectedTotal: Int { rejected.values.reduce(0, +) }
    }

    public struct Rates: Sendable, Codable, Equatable {
        public var samplesInPerS: Double = 0
        public var bytesInPerS: Double = 0
        public var samplesOutPerS: Double = 0
        public var bytesOutPerS: Double = 0
    }

    public struct Member: Sendable, Codable, Equatable {
        public var member: UInt64
        public var attempt: UInt32
        public var accepted: Int
        public var lastStep: UInt64?
        public var lastTime: Double?
        public var done: Bool
        public var connected: Bool
        /// Seconds since its last sample was accepted (nil before the first, or after a restore).
        public var idleS: Double?
        /// Credit its session holds now: 0 while connected means it is held back by back-pressure, not hung.
        public var credit: Int?
        /// Accepted steps as inclusive [first, last] ranges, when the STATUS request asked for
        /// `{"accepted_steps": true}`.
        public var acceptedSteps: [[UInt64]]?
    }

    public struct Group: Sendable, Codable, Equatable {
        public var name: String
        public var worldSize: Int
        public var trainers: Int
        public var batches: Int
        public var samples: Int
        public var distinctSamples: Int
    }

    public struct Sessions: Sendable, Codable, Equatable {
        public var solvers: Int
        public var trainers: Int
        public var admins: Int
    }

    public struct Credit: Sendable, Codable, Equatable {
        public var outstandingSamples: Int
        public var reservedBytes: Int
    }

    public var server: ServerInfo
    public var totals: Totals
    public var rates: Rates
    public var reservoir: ReservoirStatistics
    public var members: [Member]
    public var groups: [Group]
    public var sessions: Sessions
    public var credit: Credit
}
