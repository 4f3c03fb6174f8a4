import CSluiceShims
import Foundation
import Logging
import Reservoir
import SluiceModel
import Transport
import Wire
import ZeroMQ

/// The endpoints a server actually bound (wildcard ports resolved).
public struct BoundEndpoints: Sendable, Codable, Equatable {
    public var solver: String
    public var consumer: String
    public var control: String

    /// The endpoints with `host` in place of the bound host of every tcp:// endpoint (ports kept); unchanged when
    /// `host` is nil.
    public func advertised(as host: String?) -> BoundEndpoints {
        guard let host else { return self }
        return BoundEndpoints(solver: Self.replacingHost(of: solver, with: host),
                              consumer: Self.replacingHost(of: consumer, with: host),
                              control: Self.replacingHost(of: control, with: host))
    }

    /// `tcp://0.0.0.0:5555` with host `node7` is `tcp://node7:5555`; `tcp://[::]:5555` works too. Other transports
    /// (ipc://, inproc://) and endpoints without a port come back unchanged.
    public static func replacingHost(of endpoint: String, with host: String) -> String {
        guard endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":"),
              colon > endpoint.index(endpoint.startIndex, offsetBy: 5) else { return endpoint }
        let port = endpoint[endpoint.index(after: colon)...]
        guard !port.isEmpty, port.allSatisfy({ $0.isNumber || $0 == "*" }) else { return endpoint }
        return "tcp://\(host):\(port)"
    }
}

/// The reservoir server: solvers stream samples in under credit, trainers pull batches out, admin tools read
/// status. One thread owns the sockets and the reservoir (ZeroMQ sockets are single-threaded); libzmq's I/O
/// threads move the bytes. Received payload frames become the reservoir's storage without a copy.
///
/// Use: `let server = try ReservoirServer(configuration:)`, `try server.bind()`, then `try server.run(until:)`
/// on the same thread.
public final class ReservoirServer {
    public let configuration: ServerConfiguration
    let logger: Logger
    let context: Context
    let codec: WireCodec
    let startedAt = ContinuousClock.now
    let wallStart = Date()

    var solverSocket: Socket?
    var consumerSocket: Socket?
    var controlSocket: Socket?
    /// CURVE: the ZAP handler and its socket; monitors that count failed handshakes.
    var authenticator: Authenticator?
    var zapSocket: Socket?
    var monitors: [(socket: Socket, endpoint: Endpoint)] = []
    let connectionGuard: ConnectionGuard
    let checkpointWriter = CheckpointWriter()
    var lastCheckpoint = ContinuousClock.now
    var lastGuardCheck = ContinuousClock.now
    public private(set) var endpoints: BoundEndpoints?

    var reservoir: Reservoir<StoredSample>
    var sessions: [PeerKey: Session] = [:]
    var solverKeys: [PeerKey] = []
    var trainerKeys: [PeerKey] = []
    var members: [UInt64: MemberProgress] = [:]
    /// Batch frames reused with their pages mapped (at most 32 MiB idle; part of the per-process allowance above
    /// the reservoir's bound).
    let batchBuffers = BatchBufferPool()
    var presence: [String: GroupPresence] = [:]
    var schema: StreamSchema?
    var totals = ServerStatus.Totals()
    var rates = ServerStatus.Rates()
    var rateMark: (at: ContinuousClock.Instant, totals: ServerStatus.Totals)
    /// Bytes promised by credit granted and not yet used.
    var reservedBytes = 0
    var nextSessionNumber = 0
    var creditCursor = 0
    var stopping = false
    var log = RateLimitedLog()

    /// Called for every accepted sample (the archiver's tap). Runs on the server thread: keep it short.
    public var onAccept: ((StoredSample) -> Void)?

    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "sluice.server")) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        self.codec = WireCodec(limits: configuration.limits)
        self.context = try Context(ioThreads: configuration.ioThreads)
        self.reservoir = try Reservoir(configuration: configuration.reservoir)
        self.rateMark = (ContinuousClock.now, ServerStatus.Totals())
        self.connectionGuard = ConnectionGuard(allowance: configuration.connectionAllowanceBytes,
                                               helloTimeout: .milliseconds(configuration.helloTimeoutMs),
                                               maxConnections: configuration.maxConnections)
    }

    /// Process-wide memory settings for a server process: payload buffers are large and short-lived, so glibc
    /// should always map them (and unmap them on free) rather than raise its mmap threshold and keep freed buffers
    /// in the heap, which lets RSS creep above the reservoir's bound.
    public static func tuneProcessMemory() {
        _ = csluice_set_malloc_thresholds(128 * 1024, 1 << 20)
    }

    /// Process-wide memory settings for a trainer process (the opposite trade-off): batches of the same size
    /// arrive hundreds of times a second, so glibc should keep their buffers in its heap, pages mapped, instead of
    /// mapping and faulting in every one (128 page faults per 512 KiB batch). Costs at most a few batches of idle
    /// heap. Python trainers get the same with `GLIBC_TUNABLES=glibc.malloc.mmap_threshold=67108864`.
    public static func tuneTrainerProcessMemory() {
        _ = csluice_set_malloc_thresholds(64 << 20, 256 << 20)
    }

    /// Binds the three ROUTER sockets and writes the endpoint file if one is configured.
    @discardableResult
    public func bind() throws -> BoundEndpoints {
        let c = configuration
        try restoreCheckpoint()
        if let directory = c.curveDirectory {
            let auth = try Authenticator(directory: directory, logger: logger)
            // The handler must be bound before any socket handshakes: libzmq asks it during every one.
            let zap = try Socket(context, type: .rep)
            try zap.setLinger(milliseconds: 0)
            try zap.bind(Authenticator.zapEndpoint)
            authenticator = auth
            zapSocket = zap
        }
        let solver = try Socket(context, type: .router)
        // A ROUTER must tell us when a peer is gone instead of silently dropping replies.
        try solver.setRouterMandatory(true)
        // Inbound queue per solver: its credit window plus room for control messages. Credit keeps honest
        // solvers far below it; a flooding peer is throttled by TCP once it is full.
        try solver.setReceiveHighWaterMark(c.maxCreditSamples + 64)
        try solver.setSendHighWaterMark(1000)
        // Frames above the protocol limit make libzmq drop the connection before we ever allocate them.
        try solver.setMaxMessageSize(Int64(c.limits.maxFrameBytes))
        // On shutdown, give BYE messages half a second to leave.
        try solver.setLinger(milliseconds: 500)
        let consumer = try Socket(context, type: .router)
        try consumer.setRouterMandatory(true)
        // Trainers hold at most max_prefetch batches of credit; the rest is control traffic.
        try consumer.setSendHighWaterMark(max(1000, c.maxPrefetch * 4))
        try consumer.setReceiveHighWaterMark(1000)
        try consumer.setMaxMessageSize(Int64(c.limits.maxControlBytes))
        try consumer.setLinger(milliseconds: 500)
        let control = try Socket(context, type: .router)
        try control.setRouterMandatory(true)
        try control.setMaxMessageSize(Int64(c.limits.maxControlBytes))
        try control.setLinger(milliseconds: 500)

        for (socket, endpoint) in [(solver, Endpoint.solver), (consumer, .consumer), (control, .control)] {
            if let auth = authenticator, let domain = Authenticator.domains[endpoint] {
                try socket.makeCurveServer(auth.serverKeys)
                try socket.setZAPDomain(domain)
            }
            // The kernel receive buffer is part of each connection's allowance (see ConnectionGuard).
            try socket.setKernelBuffers(send: -1, receive: c.connectionAllowanceBytes)
            // Connections come and go, and failed handshakes (a plain client, a wrong server key) never reach the
            // application: follow them on the socket's monitor.
            monitors.append((try socket.monitor(events: [.accepted, .disconnected, .closed, .handshakeFailedNoDetail,
                                                         .handshakeFailedProtocol, .handshakeFailedAuth],
                                                name: "\(endpoint)-\(ObjectIdentifier(self).hashValue)"), endpoint))
        }
        let bound = BoundEndpoints(solver: try solver.bind(c.solverEndpoint),
                                   consumer: try consumer.bind(c.consumerEndpoint),
                                   control: try control.bind(c.controlEndpoint))
        solverSocket = solver
        consumerSocket = consumer
        controlSocket = control
        endpoints = bound
        if let path = c.endpointFile { try Self.writeEndpointFile(bound.advertised(as: c.advertiseHost), to: path) }
        logger.info("listening: solvers \(bound.solver), consumers \(bound.consumer), control \(bound.control)")
        logger.info("reservoir: \(c.reservoir.policy), \(c.reservoir.capacityBytes) bytes, watermark \(c.reservoir.watermarkBytes) bytes, non-finite \(c.nonFinite.rawValue)")
        if let auth = authenticator {
            logger.info("CURVE authentication and encryption on every endpoint (\(auth.summary))")
        } else {
            for endpoint in [bound.solver, bound.consumer, bound.control] where Self.isNonLoopbackTCP(endpoint) {
                logger.warning("PLAIN MODE on non-loopback endpoint \(endpoint): connections are neither authenticated nor encrypted; use --curve-dir")
            }
        }
        return bound
    }

    static func writeEndpointFile(_ endpoints: BoundEndpoints, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(endpoints)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw ConfigurationError("cannot write the endpoint file \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func isNonLoopbackTCP(_ endpoint: String) -> Bool {
        guard endpoint.hasPrefix("tcp://") else { return false }
        let host = endpoint.dropFirst(6).split(separator: ":").first.map(String.init) ?? ""
        return !(host.hasPrefix("127.") || host == "localhost" || host == "[::1]" || host == "::1")
    }

    /// Runs the service loop until `stop` is requested, then shuts down gracefully: peers get BYE, and the final
    /// counters are returned.
    @discardableResult
    public func run(until stop: StopFlag) throws -> ServerStatus {
        if solverSocket == nil { try bind() }
        guard let solver = solverSocket, let consumer = consumerSocket, let control = controlSocket else {
            throw ConfigurationError("server sockets are not bound")
        }
        let poller = Poller()
        try poller.register(solver)
        try poller.register(consumer)
        try poller.register(control)
        let zapIndex = try zapSocket.map { try poller.register($0) }
        let monitorIndices = try monitors.map { (try poller.register($0.socket), $0.endpoint) }
        while !stop.isRequested {
            do {
                try poller.poll(timeoutMilliseconds: connectionGuard.connections.isEmpty ? 20 : 10)
                if let i = zapIndex, poller.events(at: i).contains(.readable), let zap = zapSocket {
                    try serviceZAP(zap)
                }
                for (i, endpoint) in monitorIndices where poller.events(at: i).contains(.readable) {
                    try serviceMonitor(poller.socket(at: i), endpoint: endpoint)
                }
                try drain(solver, endpoint: .solver, budget: 4096)
                try drain(consumer, endpoint: .consumer, budget: 1024)
                try drain(control, endpoint: .control, budget: 256)
                let now = ContinuousClock.now
                try serveTrainers(now: now)
                try grantCredits()
                try checkLiveness(now: now)
                expireGroups(now: now)
                guardConnections(now: now)
                checkpointIfDue(now: now)
                updateRates(now: now)
            } catch let error as ZMQError where error.kind == .terminated {
                break
            }
        }
        return shutdown()
    }

    /// The most frames a message may have (after the routing id): a SAMPLE's frame 0, header and fields, or a
    /// SAMPLES message of a few frames per sample.
    var messageFrameLimit: Int {
        max(configuration.limits.maxFields + 2, WireCodec.maxSamplesMessageFrames)
    }

    /// Receives and handles up to `budget` messages from one socket without blocking.
    func drain(_ socket: Socket, endpoint: Endpoint, budget: Int) throws {
        let maxFrames = messageFrameLimit + 1  // + the routing id
        for _ in 0..<budget {
            guard let (frames, excess) = try socket.receiveMultipart(dontWait: true, maxFrames: maxFrames) else { return }
            try handle(frames, excessFrames: excess, from: socket, endpoint: endpoint)
        }
    }

    /// Stops serving: BYE to every peer, final counters logged and returned, sockets closed.
    func shutdown() -> ServerStatus {
        stopping = true
        for session in sessions.values {
            _ = try? socket(for: session.key.endpoint)?.sendControl(.bye(Bye(reason: "shutting-down")),
                                                                   to: session.identity, dontWait: true)
        }
        checkpointNow()
        let final = status()
        logger.info("stopped: \(final.totals.samplesIn) samples in (\(final.totals.bytesIn) bytes), \(final.totals.samplesOut) out in \(final.totals.batchesOut) batches, \(final.totals.rejectedTotal) rejected")
        try? solverSocket?.close()
        try? consumerSocket?.close()
        try? controlSocket?.close()
        for m in monitors { try? m.socket.close() }
        monitors = []
        try? zapSocket?.close()
        zapSocket = nil
        solverSocket = nil
        consumerSocket = nil
        controlSocket = nil
        return final
    }

    /// Answers pending ZAP requests.
    func serviceZAP(_ zap: Socket) throws {
        while let frames = try zap.receiveMultipart(dontWait: true, maxFrames: 16)?.frames {
            guard let auth = authenticator else { return }
            if let counter = try auth.answer(frames, on: zap) { totals.rejected[counter, default: 0] += 1 }
        }
    }

    /// Follows connections and counts failed handshakes reported by a monitor (ZAP refusals are counted by the
    /// handler already).
    func serviceMonitor(_ monitor: Socket, endpoint: Endpoint) throws {
        while let frames = try monitor.receiveMultipart(dontWait: true, maxFrames: 4)?.frames {
            guard let event = MonitorEvent(frames: frames) else { continue }
            let fd = Int32(bitPattern: event.value)
            if event.kind == .accepted {
                if !connectionGuard.accepted(fd, on: endpoint, now: .now) {
                    totals.rejected["too-many-connections", default: 0] += 1
                    log.warning(logger, key: "too-many|\(endpoint)", "refused a connection to \(event.endpoint): max_connections (\(configuration.maxConnections)) reached")
                    connectionGuard.cut(fd)
                }
                continue
            }
            if event.kind == .disconnected || event.kind == .closed {
                connectionGuard.closed(fd)
                continue
            }
            if event.kind == .handshakeFailedAuth { continue }
            if event.kind == .handshakeFailedNoDetail || event.kind == .handshakeFailedProtocol {
                totals.rejected["handshake-failed", default: 0] += 1
                log.warning(logger, key: "handshake|\(event.endpoint)", "a connection to \(event.endpoint) failed its handshake (wrong mechanism or key)")
            }
        }
    }

    /// Cuts connections that hold more than their allowance, or never said HELLO (checked every 10 ms: a flood at
    /// line rate overshoots the allowance by at most 10 ms of traffic).
    func guardConnections(now: ContinuousClock.Instant) {
        guard now - lastGuardCheck >= .milliseconds(10) else { return }
        lastGuardCheck = now
        let violations = connectionGuard.violations(now: now) { key in
            guard let s = self.sessions[key], s.role == .solver else { return 0 }
            return Int64(s.credit + 1) * Int64(s.sampleBytes)
        }
        for (fd, code, why) in violations {
            totals.rejected[code, default: 0] += 1
            log.warning(logger, key: "\(code)|\(fd)", "cut connection (descriptor \(fd)): \(why)")
            if let key = connectionGuard.connections[fd]?.session { dropSession(key, now: now) }
            connectionGuard.cut(fd)
        }
    }

    func socket(for endpoint: Endpoint) -> Socket? {
        switch endpoint {
        case .solver: solverSocket
        case .consumer: consumerSocket
        case .control: controlSocket
        }
    }
}
