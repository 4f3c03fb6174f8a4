import Foundation
import Logging
import SluiceModel
import Transport
import Wire
import ZeroMQ

/// Streams a solver member's samples to a Sluice server under credit flow control.
///
/// `publish` sends from the caller's thread straight into the connection's DEALER (no hand-off), blocking while
/// the server grants no credit (back-pressure). A housekeeping thread keeps heartbeats going while the solver
/// computes, and reconnects with back-off (1 s to 32 s) if the server goes away.
public final class SolverPublisher {
    public struct Configuration: Sendable {
        public var connection: ConnectionOptions
        public var study: String
        public var member: UInt64
        public var attempt: UInt32
        /// The largest payload (sum of field bytes) any sample of this member will have.
        public var sampleBytes: Int
        public var peerName: String
        public var capabilities: [String] = []
        /// Samples whose payload is at most this many bytes are sent several to a SAMPLES message (0: never), so
        /// that small snapshots do not each pay a message's per-message cost. Default 16 KiB.
        public var coalesceSampleBytes = 16 << 10
        /// A SAMPLES message goes out once its payload reaches this many bytes (default 256 KiB)...
        public var coalesceMessageBytes = 256 << 10
        /// ...or it holds this many samples (default 256)...
        public var coalesceMaxSamples = 256
        /// ...or its oldest sample has waited this long (default 5 ms; checked by the housekeeping thread).
        public var coalesceLinger: Duration = .milliseconds(5)

        public init(endpoint: String, study: String = "", member: UInt64, attempt: UInt32 = 0, sampleBytes: Int,
                    peerName: String? = nil) {
            self.connection = ConnectionOptions(endpoint: endpoint)
            self.study = study
            self.member = member
            self.attempt = attempt
            self.sampleBytes = sampleBytes
            self.peerName = peerName ?? "solver member \(member)"
        }
    }

    public let configuration: Configuration
    let context: Context
    let core: ClientCore
    private var finished = false
    private let frame0: Message

    /// Connects and waits for READY (up to `connectTimeout`); throws a clear error if the server does not answer
    /// or refuses.
    public init(_ configuration: Configuration, logger: Logger = Logger(label: "sluice.publisher")) throws {
        self.configuration = configuration
        context = try Context(ioThreads: 1)
        let hello = Hello(role: .solver, peer: configuration.peerName, capabilities: configuration.capabilities,
                          study: configuration.study, member: configuration.member, attempt: configuration.attempt,
                          sampleBytes: configuration.sampleBytes)
        core = try ClientCore(context: context, options: configuration.connection, hello: hello, role: .solver, logger: logger)
        frame0 = try Message(bytes: Envelope.frame(.sample))
        core.setCoalescing(.init(sampleBytes: configuration.coalesceSampleBytes,
                                 messageBytes: max(configuration.coalesceMessageBytes, 1),
                                 maxSamples: min(max(configuration.coalesceMaxSamples, 1), WireLimits().maxBatchSamples),
                                 linger: configuration.coalesceLinger),
                           sampleFrame0: frame0, samplesFrame0: try Message(bytes: Envelope.frame(.samples)))
        try core.waitUntilReady(timeout: configuration.connection.connectTimeout, what: "member \(configuration.member)")
    }

    deinit { core.close() }

    /// Steps of this member the server already holds (from READY): a relaunched member skips them.
    public var acceptedSteps: Set<UInt64> { Set(core.snapshot.acceptedSteps) }

    /// Samples sent so far.
    public var sent: Int { core.snapshot.sent }
    /// SAMPLE and SAMPLES messages sent so far (fewer than `sent` when small samples were coalesced).
    public var messagesSent: Int { core.messagesSent }
    /// Errors the server reported, by code.
    public var errorCounts: [String: Int] { core.snapshot.errors }
    /// The last error the server reported.
    public var lastError: ErrorReport? { core.snapshot.lastError }
    /// Reconnections so far.
    public var reconnects: Int { core.snapshot.reconnects }

    /// Publishes one sample. Blocks while there is no credit. The payload frames are shared, not copied. A small
    /// sample (see `coalesceSampleBytes`) may wait up to `coalesceLinger` to share a SAMPLES message with the next
    /// ones; `flush()` and `finish()` send it at once.
    public func publish(_ header: SampleHeader, payload: [Message]) throws {
        guard !finished else { throw ClientError(.closed, "publish after finish()") }
        let encoded: [UInt8]
        do { encoded = try header.encoded() } catch {
            throw ClientError(.failed, "sample member \(header.member) step \(header.step) is not valid: \(error)")
        }
        try core.publish(header: try Message(bytes: encoded), payload: payload,
                         payloadBytes: payload.reduce(0) { $0 + $1.count })
    }

    /// Sends every sample still waiting to be coalesced (blocking while there is no credit).
    public func flush() throws { try core.flushPending() }

    /// Publishes one sample whose fields are given as byte arrays (copied once into messages).
    public func publish(_ header: SampleHeader, fields: [[UInt8]]) throws {
        try publish(header, payload: try fields.map { try Message(bytes: $0) })
    }

    /// Says BYE ("done"), waits for the server's answer (up to `timeout`), and closes the connection.
    public func finish(timeout: Duration = .seconds(30)) throws {
        guard !finished else { return }
        finished = true
        try core.finish(timeout: timeout)
    }
}

extension SolverPublisher: SampleSink {
    /// Publishes a snapshot whose field buffers belong to the caller: copied once into messages.
    public func write(_ header: SampleHeader, fields: [UnsafeRawBufferPointer]) throws {
        try publish(header, payload: try fields.map { try Message(copying: $0) })
    }

    public func finish() throws { try finish(timeout: .seconds(30)) }
}
