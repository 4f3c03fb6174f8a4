import Foundation
import Logging
import Reservoir
import SluiceModel
import Transport
import Wire
import ZeroMQ

extension ReservoirServer {
    /// Handles one message received on a ROUTER: frame 0 is the peer's routing id.
    func handle(_ frames: [Message], excessFrames: Int, from socket: Socket, endpoint: Endpoint) throws {
        guard frames.count >= 2 else { return }  // a bare routing id carries nothing to answer
        let identity = frames[0]
        let key = PeerKey(endpoint: endpoint, id: identity.bytes)
        let now = ContinuousClock.now
        let session = sessions[key]
        session?.liveness.received(at: now)
        let fd = frames[1].sourceFileDescriptor
        if let fd {
            connectionGuard.received(fd, bytes: frames.dropFirst().reduce(0) { $0 + $1.count }, frames: frames.count - 1 + excessFrames)
        }
        if excessFrames > 0 {
            reject(.init(code: WireError.Code.limitExceeded.rawValue,
                         message: "message has \(frames.count - 1 + excessFrames) frames, above the limit of \(messageFrameLimit)"),
                   to: identity, on: socket, peer: session?.label ?? "unknown peer")
            return
        }
        let message: WireMessage<Message>
        do {
            message = try codec.decode(Array(frames.dropFirst()))
        } catch {
            reject(.init(code: error.code.rawValue, message: error.message), to: identity, on: socket,
                   peer: session?.label ?? "unknown peer")
            return
        }
        switch message {
        case .hello(let hello):
            try handleHello(hello, identity: identity, key: key, socket: socket, now: now)
            if let fd, sessions[key] != nil { connectionGuard.attach(fd, to: key) }
        case .status(let request):
            let detail = (try? JSONSerialization.jsonObject(with: Data(request.json)) as? [String: Any])?["accepted_steps"] as? Bool ?? false
            let reply = Array(try statusJSON(acceptedSteps: detail))
            try send(.status(StatusBody(json: reply)), to: identity, on: socket)
        case .heartbeat:
            if session == nil {
                reject(.init(code: "not-ready", message: "send HELLO first", fatal: true), to: identity, on: socket, peer: "unknown peer")
            }
        case .bye(let bye):
            if let session {
                if session.role == .solver, bye.reason == "done", let m = session.hello.member { members[m]?.done = true }
                logger.info("\(session.label) said goodbye: \(bye.reason)")
                try send(.bye(Bye(reason: "ok")), to: identity, on: socket)
                dropSession(key, now: now)
            } else {
                try send(.bye(Bye(reason: "ok")), to: identity, on: socket)
            }
        case .credit(let credit):
            guard let session, session.role == .trainer else {
                return reject(.init(code: session == nil ? "not-ready" : "forbidden",
                                    message: session == nil ? "send HELLO first" : "only trainers send CREDIT"),
                              to: identity, on: socket, peer: session?.label ?? "unknown peer")
            }
            let asked = max(0, credit.batches ?? 0)
            session.wantedBatches = min(session.wantedBatches + asked, configuration.maxPrefetch)
            if session.waitingSince == nil, session.wantedBatches > 0 { session.waitingSince = now }
        case .sample(let header, let payload):
            guard let session, session.role == .solver else {
                return reject(.init(code: session == nil ? "not-ready" : "forbidden",
                                    message: session == nil ? "send HELLO first" : "only solvers send SAMPLE",
                                    member: header.member, step: header.step),
                              to: identity, on: socket, peer: session?.label ?? "unknown peer")
            }
            try ingest(header, payload: payload, from: session, socket: socket)
        case .samples(let list):
            guard let session, session.role == .solver else {
                return reject(.init(code: session == nil ? "not-ready" : "forbidden",
                                    message: session == nil ? "send HELLO first" : "only solvers send SAMPLES"),
                              to: identity, on: socket, peer: session?.label ?? "unknown peer")
            }
            for (header, payload) in list { try ingest(header, payload: payload, from: session, socket: socket) }
        case .error(let report):
            log.warning(logger, key: "peer-error-\(session?.label ?? "?")",
                        "\(session?.label ?? "unknown peer") reported \(report.code): \(report.message)")
        case .ready, .batch:
            reject(.init(code: WireError.Code.unknownCommand.rawValue, message: "\(message.command) is sent by the server, not to it"),
                   to: identity, on: socket, peer: session?.label ?? "unknown peer")
        }
    }

    /// Answers HELLO with READY (or a fatal ERROR), creating the session.
    func handleHello(_ hello: Hello, identity: Message, key: PeerKey, socket: Socket, now: ContinuousClock.Instant) throws {
        if sessions[key] != nil { dropSession(key, now: now) }
        func refuse(_ code: String, _ message: String) {
            reject(.init(code: code, message: message, fatal: true), to: identity, on: socket, peer: hello.peer)
        }
        guard hello.protocolVersion == Int(Envelope.version) else {
            return refuse("unsupported-version", "protocol version \(hello.protocolVersion) is not supported; this server speaks \(Envelope.version)")
        }
        if stopping { return refuse("shutting-down", "the server is stopping") }
        let expected: PeerRole = key.endpoint == .solver ? .solver : key.endpoint == .consumer ? .trainer : .admin
        guard hello.role == expected || (key.endpoint == .control && hello.role == .admin) else {
            return refuse("forbidden", "role \(hello.role.rawValue) cannot connect to the \(expected.rawValue) endpoint")
        }
        // Per endpoint, so that a flood of HELLOs on one endpoint cannot lock the other roles out.
        let onEndpoint = sessions.keys.filter { $0.endpoint == key.endpoint }.count
        guard onEndpoint < configuration.maxSessions else {
            return refuse("server-busy", "the \(expected.rawValue) endpoint already has \(onEndpoint) sessions (max_sessions)")
        }
        var window = 0
        var sampleBytes = 0
        switch hello.role {
        case .solver:
            guard let member = hello.member else { return refuse("bad-body", "a solver's HELLO needs 'member'") }
            guard let declared = hello.sampleBytes, declared >= 0 else {
                return refuse("bad-body", "a solver's HELLO needs 'sample_bytes' (its largest sample's payload bytes)")
            }
            guard declared <= reservoir.capacityBytes else {
                return refuse("oversized", "sample_bytes \(declared) exceeds the reservoir capacity \(reservoir.capacityBytes)")
            }
            sampleBytes = max(declared, 1)
            window = min(max(configuration.creditWindowBytes / sampleBytes, 1), configuration.maxCreditSamples)
            var progress = members[member] ?? MemberProgress()
            progress.attempt = max(progress.attempt, hello.attempt ?? 0)
            progress.connected += 1
            members[member] = progress
        case .trainer:
            let group = hello.group ?? "default"
            let worldSize = hello.worldSize ?? 1
            let rank = hello.rank ?? 0
            let batch = hello.batchSize ?? 1
            guard (0..<max(worldSize, 1)).contains(rank), worldSize >= 1 else {
                return refuse("bad-body", "rank \(rank) is outside 0..<\(worldSize)")
            }
            guard (1...configuration.limits.maxBatchSamples).contains(batch) else {
                return refuse("bad-body", "batch_size \(batch) must be in 1...\(configuration.limits.maxBatchSamples)")
            }
            let others = trainerKeys.compactMap { sessions[$0] }.filter { $0.group == group }
            if let other = others.first, other.worldSize != worldSize {
                return refuse("bad-body", "group '\(group)' has world size \(other.worldSize) but this trainer says \(worldSize)")
            }
            if others.contains(where: { $0.rank == rank }) {
                return refuse("bad-body", "rank \(rank) of group '\(group)' is already connected")
            }
            do {
                try reservoir.join(group: group, worldSize: worldSize)
            } catch {
                return refuse("bad-body", error.description)
            }
            presence[group, default: GroupPresence()].trainers += 1
            presence[group]?.emptySince = nil
        case .admin:
            break
        }
        nextSessionNumber += 1
        let sessionID = String(format: "s-%06d", nextSessionNumber)
        let liveness = Liveness(interval: .milliseconds(configuration.heartbeatMs), now: now)
        let session = Session(key: key, identity: identity, hello: hello, sessionID: sessionID, liveness: liveness,
                              window: window, sampleBytes: sampleBytes)
        sessions[key] = session
        switch hello.role {
        case .solver: solverKeys.append(key)
        case .trainer: trainerKeys.append(key)
        case .admin: break
        }
        var accepted: [UInt64]? = nil
        if hello.role == .solver, let m = hello.member, let steps = members[m]?.acceptedSteps, !steps.isEmpty {
            accepted = steps.sorted()
        }
        try send(.ready(Ready(server: configuration.name, session: sessionID, heartbeatMs: configuration.heartbeatMs,
                              maxFrameBytes: configuration.limits.maxFrameBytes, acceptedSteps: accepted)),
                 to: identity, on: socket, session: session)
        logger.info("\(hello.role.rawValue) \(session.label) connected\(hello.role == .trainer ? " (group \(session.group), rank \(session.rank)/\(session.worldSize), batch \(session.batchSize))" : "")")
    }

    /// Removes a session and releases what it held (credit reservations, group presence).
    func dropSession(_ key: PeerKey, now: ContinuousClock.Instant) {
        guard let session = sessions.removeValue(forKey: key) else { return }
        switch session.role {
        case .solver:
            reservedBytes -= session.credit * session.sampleBytes
            session.credit = 0
            solverKeys.removeAll { $0 == key }
            if let m = session.hello.member { members[m]?.connected -= 1 }
        case .trainer:
            trainerKeys.removeAll { $0 == key }
            presence[session.group]?.trainers -= 1
            if presence[session.group]?.trainers == 0 { presence[session.group]?.emptySince = now }
        case .admin:
            break
        }
    }

    /// Sends a control message; a peer that vanished (unroutable) loses its session.
    func send(_ message: WireMessage<[UInt8]>, to identity: Message, on socket: Socket, session: Session? = nil) throws {
        do {
            if try socket.sendControl(message, to: identity, dontWait: true, codec: codec) {
                session?.liveness.sent(at: ContinuousClock.now)
            }
        } catch let error as ZMQError where error.kind == .unroutable {
            if let session { dropSession(session.key, now: ContinuousClock.now) }
        }
    }

    /// Refuses a message: counts it by code, answers ERROR, logs once per peer and code (rate-limited).
    func reject(_ report: ErrorReport, to identity: Message, on socket: Socket, peer: String) {
        totals.rejected[report.code, default: 0] += 1
        log.warning(logger, key: "\(report.code)|\(peer)", "rejected from \(peer): \(report.code): \(report.message)")
        _ = try? socket.sendError(report, to: identity, dontWait: true)
        if report.fatal {
            let key = sessions.keys.first { $0.id == identity.bytes }
            if let key { dropSession(key, now: ContinuousClock.now) }
        }
    }
}
