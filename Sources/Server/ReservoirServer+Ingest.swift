import Logging
import Reservoir
import SluiceModel
import Transport
import Wire
import ZeroMQ

extension ReservoirServer {
    /// Accepts or refuses one SAMPLE. Every check runs before the sample enters the reservoir, so a refused sample
    /// leaves no trace but a counter; an accepted one is stored as received (its frames become the storage).
    func ingest(_ header: SampleHeader, payload: [Message], from session: Session, socket: Socket) throws {
        let identity = session.identity
        func refuse(_ code: String, _ message: String) {
            reject(.init(code: code, message: message, member: header.member, step: header.step),
                   to: identity, on: socket, peer: session.label)
        }
        guard session.credit > 0 else {
            return refuse("no-credit", "SAMPLE step \(header.step) arrived without credit; wait for CREDIT")
        }
        session.credit -= 1
        reservedBytes -= session.sampleBytes
        let bytes = payload.reduce(0) { $0 + $1.count }
        guard bytes <= session.sampleBytes else {
            return refuse("oversized", "sample of \(bytes) bytes exceeds the sample_bytes \(session.sampleBytes) declared in HELLO")
        }
        if let declared = session.hello.member, declared != header.member {
            return refuse("forbidden", "this session streams member \(declared), not member \(header.member)")
        }
        // Never hold a copy of the member's record past this expression: a live copy shares its set of accepted
        // steps, and `record` below would then copy the whole set on every sample (O(steps) per sample; profiled
        // at 70 us per sample after some thousand steps).
        guard members[header.member]?.acceptedSteps.contains(header.step) != true else {
            return refuse("duplicate", "member \(header.member) step \(header.step) was already accepted")
        }
        if let problem = checkSchema(header) { return refuse("shape-mismatch", problem) }
        if header.geometry != .triangleMesh, let first = members[header.member]?.shapes {
            let shapes = header.fields.map(\.shape)
            if first != shapes {
                return refuse("shape-mismatch", "member \(header.member) step \(header.step) has field shapes \(shapes), but its first sample had \(first)")
            }
        }
        var stored = header
        if configuration.nonFinite != .ignore, let bad = firstNonFiniteField(header, payload) {
            if configuration.nonFinite == .reject {
                return refuse("non-finite", "member \(header.member) step \(header.step) field '\(bad)' contains NaN or Inf")
            }
            stored.flags.insert(.nonFinite)
            totals.flaggedNonFinite += 1
        }
        let sample = StoredSample(header: stored, payload: payload)
        switch reservoir.insert(sample, bytes: sample.bytes) {
        case .stored, .discarded:
            break
        case .full:
            return refuse("reservoir-full", "the reservoir has no room for member \(header.member) step \(header.step); resend after CREDIT")
        case .tooLarge:
            return refuse("oversized", "a sample of \(sample.bytes) bytes exceeds the reservoir capacity \(reservoir.capacityBytes)")
        }
        if schema == nil { schema = Self.schema(of: header) }
        members[header.member, default: MemberProgress()].record(header)
        totals.samplesIn += 1
        totals.bytesIn += sample.bytes
        onAccept?(sample)
    }

    static func schema(of header: SampleHeader) -> StreamSchema {
        StreamSchema(geometry: header.geometry.rawValue, spatialDims: header.spatialDims,
                     fields: header.fields.map { .init(name: $0.name, dtype: $0.dtype.rawValue, role: $0.role.rawValue) },
                     parameterNames: header.parameters.map(\.name))
    }

    /// Why a sample does not fit the server's stream schema, or nil if it does.
    func checkSchema(_ header: SampleHeader) -> String? {
        guard let schema else { return nil }
        let mine = Self.schema(of: header)
        if mine == schema { return nil }
        let expected = schema.fields.map { "\($0.name):\(DType(rawValue: $0.dtype)?.name ?? "?")" }.joined(separator: ", ")
        let got = mine.fields.map { "\($0.name):\(DType(rawValue: $0.dtype)?.name ?? "?")" }.joined(separator: ", ")
        if mine.parameterNames != schema.parameterNames {
            return "parameters \(mine.parameterNames) differ from this server's stream \(schema.parameterNames)"
        }
        return "fields [\(got)] (geometry \(mine.geometry), \(mine.spatialDims)-D) differ from this server's stream [\(expected)] (geometry \(schema.geometry), \(schema.spatialDims)-D)"
    }

    func firstNonFiniteField(_ header: SampleHeader, _ payload: [Message]) -> String? {
        for (field, frame) in zip(header.fields, payload) where field.dtype.isFloatingPoint {
            if frame.withUnsafeBytes({ NonFiniteScan.containsNonFinite($0, dtype: field.dtype) }) { return field.name }
        }
        return nil
    }

    /// Grants credit to solvers against the reservoir's room: free bytes (after reclaiming evictable ones under
    /// the policy) minus what earlier credit promised. Stored plus in-flight bytes thus never exceed the bound.
    func grantCredits() throws {
        guard !solverKeys.isEmpty, !stopping else { return }
        // A snapshot: sending CREDIT can drop a session whose peer has gone (ROUTER_MANDATORY), which removes its
        // key from `solverKeys` in the middle of this loop.
        let keys = solverKeys
        let count = keys.count
        creditCursor = (creditCursor + 1) % count
        for offset in 0..<count {
            let key = keys[(creditCursor + offset) % count]
            guard let session = sessions[key] else { continue }
            // Top up when the solver is at or below half its window, so CREDIT messages go out in bunches.
            guard session.credit <= session.window / 2 else { continue }
            let room = session.window - session.credit
            var grant = 0
            while grant < room, try budget(for: session.sampleBytes) {
                grant += 1
                reservedBytes += session.sampleBytes
            }
            guard grant > 0 else { continue }
            session.credit += grant
            if let socket = solverSocket {
                try send(.credit(Credit(samples: grant)), to: session.identity, on: socket, session: session)
            }
        }
    }

    /// Whether `bytes` more can be promised; reclaims evictable samples when that makes the room.
    func budget(for bytes: Int) throws -> Bool {
        let free = reservoir.freeBytes - reservedBytes
        if free >= bytes { return true }
        switch reservoir.policy {
        case .fifo, .firo:
            return false
        case .reservoir:
            // Evict seen samples now rather than when the new one arrives, so in-flight bytes have real room.
            guard free + reservoir.reclaimableBytes >= bytes else { return false }
            _ = reservoir.reclaim(bytes: bytes - free)
            return reservoir.freeBytes - reservedBytes >= bytes
        case .uniform:
            // Algorithm R decides at insertion whether a sample replaces another, so its room cannot be freed in
            // advance; in-flight samples may use an allowance of 1/16 of the bound beyond the free bytes.
            return free + reservoir.capacityBytes / 16 >= bytes
        }
    }
}
