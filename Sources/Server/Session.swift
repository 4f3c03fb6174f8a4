import SluiceModel
import Transport
import Wire
import ZeroMQ

/// Which of the server's sockets a peer is connected to.
enum Endpoint: Int, Hashable, Sendable {
    case solver, consumer, control
}

/// A peer's routing id on one of the server's sockets (ids of different sockets are separate name spaces).
struct PeerKey: Hashable {
    let endpoint: Endpoint
    let id: [UInt8]
}

/// Server-side state of one peer that completed HELLO.
final class Session {
    let key: PeerKey
    /// The routing-id frame, reused (shared) for every reply.
    let identity: Message
    let hello: Hello
    let sessionID: String
    var liveness: Liveness<ContinuousClock.Instant>

    // Solver state.
    /// Credit granted and not yet used.
    var credit = 0
    /// The most credit this solver holds at once.
    let window: Int
    /// Bytes reserved per credit (the solver's declared largest sample).
    let sampleBytes: Int

    // Trainer state.
    /// Batches the trainer asked for and has not received.
    var wantedBatches = 0
    /// Since when the trainer has been waiting for a batch it asked for.
    var waitingSince: ContinuousClock.Instant?
    /// Next batch sequence number.
    var sequence: UInt64 = 0
    /// A batch that could not be queued (the trainer's pipe was full); sent before any other.
    var pendingBatch: (BatchHeader, [Message], samples: Int, bytes: Int)?

    init(key: PeerKey, identity: Message, hello: Hello, sessionID: String, liveness: Liveness<ContinuousClock.Instant>,
         window: Int, sampleBytes: Int) {
        self.key = key
        self.identity = identity
        self.hello = hello
        self.sessionID = sessionID
        self.liveness = liveness
        self.window = window
        self.sampleBytes = sampleBytes
    }

    var role: PeerRole { hello.role }
    var group: String { hello.group ?? "default" }
    var rank: Int { hello.rank ?? 0 }
    var worldSize: Int { hello.worldSize ?? 1 }
    var batchSize: Int { hello.batchSize ?? 1 }
    var label: String { "\(hello.peer) [\(sessionID)]" }
}

/// A consumer group's trainers and when the last one left (for the grace period).
struct GroupPresence {
    var trainers = 0
    var emptySince: ContinuousClock.Instant?
    var batches = 0
    var samples = 0
}

/// What the server knows of each member.
struct MemberProgress {
    var attempt: UInt32 = 0
    var acceptedSteps: Set<UInt64> = []
    var lastStep: UInt64?
    var lastTime: Double?
    var done = false
    var connected = 0
    /// Field shapes of the member's first accepted sample; later samples must match (grids).
    var shapes: [[Int]]?
    /// When its last sample was accepted (for launchers that detect hung members).
    var lastAcceptedAt: ContinuousClock.Instant?

    /// Notes an accepted sample (mutated in place inside the members dictionary, never copied out).
    mutating func record(_ header: SampleHeader) {
        lastAcceptedAt = .now
        acceptedSteps.insert(header.step)
        lastStep = header.step
        lastTime = header.time
        attempt = max(attempt, header.attempt)
        if shapes == nil { shapes = header.fields.map(\.shape) }
        if header.flags.contains(.final) { done = true }
    }
}

/// The field names, dtypes, roles, geometry and parameter names that every sample on this server shares, fixed by
/// the first accepted sample, so that batches can be stacked.
struct StreamSchema: Equatable {
    var geometry: GeometryKindCode
    var spatialDims: Int
    var fields: [FieldKey]
    var parameterNames: [String]

    struct FieldKey: Equatable {
        var name: String
        var dtype: UInt8
        var role: UInt8
    }
    typealias GeometryKindCode = UInt8
}
