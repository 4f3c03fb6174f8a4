import Foundation
import Logging
import Reservoir
import SluiceModel
import Synchronization
import Transport
import ZeroMQ

/// Runs checkpoint writes on a background thread, one at a time.
final class CheckpointWriter: Sendable {
    private let state = Mutex<(busy: Bool, lastError: String?, written: Int)>((false, nil, 0))

    var isBusy: Bool { state.withLock { $0.busy } }
    var written: Int { state.withLock { $0.written } }

    /// Starts writing unless a write is in progress; returns whether it started.
    func start(_ meta: Checkpoint, samples: [StoredSample], path: String, logger: Logger) -> Bool {
        let began = state.withLock { s -> Bool in
            if s.busy { return false }
            s.busy = true
            return true
        }
        guard began else { return false }
        Thread { [self] in
            let start = ContinuousClock.now
            do {
                try Checkpoint.write(meta, samples: samples, to: path)
                let seconds = (ContinuousClock.now - start).seconds
                logger.info("checkpoint: \(samples.count) samples written to \(path) in \(String(format: "%.2f", seconds)) s")
                state.withLock { $0 = (false, nil, $0.written + 1) }
            } catch {
                logger.error("checkpoint failed: \(error)")
                state.withLock { $0 = (false, "\(error)", $0.written) }
            }
        }.start()
        return true
    }

    /// Waits until no write is in progress.
    func wait() {
        while isBusy { Thread.sleep(forTimeInterval: 0.01) }
    }
}

extension ReservoirServer {
    /// The metadata and samples of a checkpoint of the current state.
    func checkpointSnapshot() -> (Checkpoint, [StoredSample]) {
        let samples = reservoir.storedIDs.compactMap { reservoir[$0] }
        let memberRows = members.map { m, p in
            Checkpoint.Member(member: m, attempt: p.attempt, acceptedSteps: p.acceptedSteps.sorted(), lastStep: p.lastStep,
                              lastTime: p.lastTime, done: p.done, shapes: p.shapes)
        }.sorted { $0.member < $1.member }
        return (Checkpoint(written: Date(), totals: totals, members: memberRows, sampleCount: samples.count), samples)
    }

    /// Starts a background checkpoint if one is due.
    func checkpointIfDue(now: ContinuousClock.Instant) {
        guard let path = configuration.checkpointFile, configuration.checkpointIntervalS > 0,
              now - lastCheckpoint >= .milliseconds(Int(configuration.checkpointIntervalS * 1000)) else { return }
        let (meta, samples) = checkpointSnapshot()
        if checkpointWriter.start(meta, samples: samples, path: path, logger: logger) { lastCheckpoint = now }
    }

    /// Writes a checkpoint and waits for it (at shutdown).
    func checkpointNow() {
        guard let path = configuration.checkpointFile else { return }
        checkpointWriter.wait()
        let (meta, samples) = checkpointSnapshot()
        _ = checkpointWriter.start(meta, samples: samples, path: path, logger: logger)
        checkpointWriter.wait()
    }

    /// Restores the reservoir and counters from the checkpoint file, if there is one.
    func restoreCheckpoint() throws {
        guard let path = configuration.checkpointFile, FileManager.default.fileExists(atPath: path) else { return }
        let (meta, samples) = try Checkpoint.read(path, limits: configuration.limits)
        var restored = 0
        for (header, payload) in samples {
            let sample = StoredSample(header: header, payload: try payload.map { bytes in
                try bytes.withUnsafeBytes { try Message(copying: $0) }
            })
            switch reservoir.insert(sample, bytes: sample.bytes) {
            case .stored: restored += 1
            default: break
            }
            if schema == nil { schema = Self.schema(of: header) }
        }
        for m in meta.members {
            members[m.member] = MemberProgress(attempt: m.attempt, acceptedSteps: Set(m.acceptedSteps), lastStep: m.lastStep,
                                               lastTime: m.lastTime, done: m.done, connected: 0, shapes: m.shapes)
        }
        totals = meta.totals
        logger.notice("restored checkpoint \(path) from \(meta.written): \(restored) of \(samples.count) samples, \(meta.members.count) members")
    }
}
