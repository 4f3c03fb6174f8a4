import Foundation
import Logging
import Reservoir
import SluiceModel
import Transport
import Wire
import ZeroMQ

extension ReservoirServer {
    /// Sends batches to trainers that asked for them: a full batch as soon as the trainer's rank has `batch_size`
    /// samples available, or a partial one after `partial_batch_after_ms` of waiting.
    func serveTrainers(now: ContinuousClock.Instant) throws {
        guard let socket = consumerSocket, !stopping else { return }
        let partialAfter = Duration.milliseconds(configuration.partialBatchAfterMs)
        for key in trainerKeys {
            guard let session = sessions[key] else { continue }
            while session.wantedBatches > 0 {
                if let pending = session.pendingBatch {
                    guard try sendBatch(pending, to: session, on: socket) else { break }
                    session.pendingBatch = nil
                    continue
                }
                let available = try reservoir.available(group: session.group, rank: session.rank)
                let full = available >= session.batchSize
                let waited = session.waitingSince.map { now - $0 >= partialAfter } ?? false
                guard full || (configuration.partialBatchAfterMs > 0 && available > 0 && waited) else { break }
                let drawn = try reservoir.draw(group: session.group, rank: session.rank, count: session.batchSize)
                guard !drawn.isEmpty else { break }
                let (header, frames) = try BatchAssembler.assemble(drawn, sequence: session.sequence, pool: batchBuffers)
                session.sequence += 1
                let bytes = frames.reduce(0) { $0 + $1.count }
                presence[session.group]?.batches += 1
                presence[session.group]?.samples += drawn.count
                let batch = (header, frames, samples: drawn.count, bytes: bytes)
                if try !sendBatch(batch, to: session, on: socket) {
                    session.pendingBatch = batch
                    break
                }
            }
        }
    }

    /// Queues one batch without blocking; false if the trainer's pipe is full (keep it and retry).
    func sendBatch(_ batch: (BatchHeader, [Message], samples: Int, bytes: Int), to session: Session, on socket: Socket) throws -> Bool {
        do {
            guard try socket.sendBatch(batch.0, payload: batch.1, to: session.identity, dontWait: true,
                                       limits: configuration.limits) else { return false }
        } catch let error as ZMQError where error.kind == .unroutable {
            dropSession(session.key, now: ContinuousClock.now)
            return false
        }
        session.liveness.sent(at: ContinuousClock.now)
        session.wantedBatches -= 1
        session.waitingSince = session.wantedBatches > 0 ? ContinuousClock.now : nil
        totals.batchesOut += 1
        totals.samplesOut += batch.samples
        totals.bytesOut += batch.bytes
        return true
    }

    /// Heartbeats to quiet peers; peers silent for three intervals lose their session.
    func checkLiveness(now: ContinuousClock.Instant) throws {
        for (key, session) in sessions {
            switch session.liveness.check(at: now) {
            case .none:
                break
            case .sendHeartbeat:
                if let socket = socket(for: key.endpoint) {
                    try send(.heartbeat, to: session.identity, on: socket, session: session)
                }
            case .peerLost:
                log.warning(logger, key: "lost|\(session.label)", "\(session.role.rawValue) \(session.label) went silent; dropping its session")
                totals.rejected["peer-lost", default: 0] += 1
                dropSession(key, now: now)
                // Its connection may still hold batches queued for it (a trainer that stopped reading): cut it.
                if let fd = connectionGuard.descriptor(of: key) { connectionGuard.cut(fd) }
            }
        }
    }

    /// Groups whose last trainer left more than `group_grace_ms` ago leave the reservoir.
    func expireGroups(now: ContinuousClock.Instant) {
        let grace = Duration.milliseconds(configuration.groupGraceMs)
        for (name, state) in presence where state.trainers == 0 {
            if let since = state.emptySince, now - since >= grace {
                reservoir.leave(group: name)
                presence.removeValue(forKey: name)
                logger.info("consumer group '\(name)' left (no trainer for \(configuration.groupGraceMs) ms)")
            }
        }
    }

    func updateRates(now: ContinuousClock.Instant) {
        let elapsed = (now - rateMark.at).seconds
        guard elapsed >= 1 else { return }
        let before = rateMark.totals
        rates = ServerStatus.Rates(samplesInPerS: Double(totals.samplesIn - before.samplesIn) / elapsed,
                                   bytesInPerS: Double(totals.bytesIn - before.bytesIn) / elapsed,
                                   samplesOutPerS: Double(totals.samplesOut - before.samplesOut) / elapsed,
                                   bytesOutPerS: Double(totals.bytesOut - before.bytesOut) / elapsed)
        rateMark = (now, totals)
    }

    /// The counters as `sluice status` shows them; `acceptedSteps` adds every member's accepted steps as ranges.
    public func status(acceptedSteps: Bool = false) -> ServerStatus {
        let stats = reservoir.statistics
        let info = ServerStatus.ServerInfo(
            name: configuration.name, version: SluiceVersion.string,
            uptimeS: (ContinuousClock.now - startedAt).seconds,
            solverEndpoint: endpoints?.solver ?? configuration.solverEndpoint,
            consumerEndpoint: endpoints?.consumer ?? configuration.consumerEndpoint,
            controlEndpoint: endpoints?.control ?? configuration.controlEndpoint,
            security: authenticator.map { "curve (\($0.summary))" }
                ?? ([endpoints?.solver, endpoints?.consumer, endpoints?.control].contains { $0.map(Self.isNonLoopbackTCP) ?? false }
                    ? "PLAIN on a non-loopback address: NOT authenticated or encrypted" : "plain (loopback/ipc)"),
            nonFinite: configuration.nonFinite.rawValue, stopping: stopping)
        var creditByMember: [UInt64: Int] = [:]
        for key in solverKeys {
            if let s = sessions[key], let m = s.hello.member { creditByMember[m, default: 0] += s.credit }
        }
        let now = ContinuousClock.now
        let memberRows = members.keys.sorted().compactMap { m -> ServerStatus.Member? in
            guard let p = members[m] else { return nil }
            return .init(member: m, attempt: p.attempt, accepted: p.acceptedSteps.count, lastStep: p.lastStep,
                         lastTime: p.lastTime, done: p.done, connected: p.connected > 0,
                         idleS: p.lastAcceptedAt.map { (now - $0).seconds }, credit: creditByMember[m],
                         acceptedSteps: acceptedSteps ? Self.ranges(p.acceptedSteps) : nil)
        }
        let groupRows = stats.groups.map { g in
            ServerStatus.Group(name: g.name, worldSize: g.worldSize, trainers: presence[g.name]?.trainers ?? 0,
                               batches: presence[g.name]?.batches ?? 0, samples: g.drawn, distinctSamples: g.distinctDrawn)
        }
        let roles = sessions.values.map(\.role)
        return ServerStatus(
            server: info, totals: totals, rates: rates, reservoir: stats, members: memberRows, groups: groupRows,
            sessions: .init(solvers: roles.filter { $0 == .solver }.count, trainers: roles.filter { $0 == .trainer }.count,
                            admins: roles.filter { $0 == .admin }.count),
            credit: .init(outstandingSamples: solverKeys.compactMap { sessions[$0]?.credit }.reduce(0, +),
                          reservedBytes: reservedBytes))
    }

    /// Sorted values as inclusive [first, last] ranges.
    static func ranges(_ steps: Set<UInt64>) -> [[UInt64]] {
        var out: [[UInt64]] = []
        for step in steps.sorted() {
            if let last = out.last?.last, step == last + 1 { out[out.count - 1][1] = step } else { out.append([step, step]) }
        }
        return out
    }

    func statusJSON(acceptedSteps: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(status(acceptedSteps: acceptedSteps))
    }
}
