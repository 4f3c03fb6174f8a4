import Foundation
import SluiceModel

/// One decoded Sluice message. `Frame` is the type of the payload frames (a received ZeroMQ message, or
/// `[UInt8]`): data messages keep them as they arrived, so field bytes are never copied to be parsed.
public enum WireMessage<Frame: WireFrame> {
    case hello(Hello)
    case ready(Ready)
    case credit(Credit)
    case heartbeat
    case bye(Bye)
    case error(ErrorReport)
    case status(StatusBody)
    /// A sample: its header and one payload frame per field, in header order, sizes already checked.
    case sample(SampleHeader, payload: [Frame])
    /// A batch: its header and one payload frame per field, sizes already checked.
    case batch(BatchHeader, payload: [Frame])
    /// Several samples, each with its payload frames, sizes already checked.
    case samples([(SampleHeader, payload: [Frame])])

    public var command: Command {
        switch self {
        case .hello: .hello
        case .ready: .ready
        case .credit: .credit
        case .heartbeat: .heartbeat
        case .bye: .bye
        case .error: .error
        case .status: .status
        case .sample: .sample
        case .batch: .batch
        case .samples: .samples
        }
    }
}

/// Encodes and decodes Sluice messages (schemas/wire/PROTOCOL.md). Pure: no sockets.
///
/// Control bodies are canonical JSON: UTF-8, keys in snake_case sorted by code point, no insignificant
/// whitespace, absent optionals omitted, "/" not escaped. Both the Swift and Python sides produce exactly these
/// bytes, so fixtures re-encode byte for byte.
public struct WireCodec: Sendable {
    public var limits: WireLimits

    public init(limits: WireLimits = .standard) { self.limits = limits }

    // MARK: Decoding

    /// Decodes the frames of one message (without any ROUTER identity frame).
    public func decode<Frame: WireFrame>(_ frames: [Frame]) throws(WireError) -> WireMessage<Frame> {
        guard let first = frames.first else { throw WireError(.frameCount, "a message needs at least frame 0") }
        let command = try Envelope.parse(first)
        switch command {
        case .heartbeat:
            guard frames.count == 1 else { throw WireError(.frameCount, "HEARTBEAT has 1 frame, got \(frames.count)") }
            return .heartbeat
        case .hello: return .hello(try body(Hello.self, command, frames))
        case .ready: return .ready(try body(Ready.self, command, frames))
        case .credit: return .credit(try body(Credit.self, command, frames))
        case .bye: return .bye(try body(Bye.self, command, frames))
        case .error: return .error(try body(ErrorReport.self, command, frames))
        case .status:
            let json = try controlBytes(command, frames)
            guard (try? JSONSerialization.jsonObject(with: Data(json))) is [String: Any] else {
                throw WireError(.badBody, "STATUS body is not a JSON object")
            }
            return .status(StatusBody(json: json))
        case .sample:
            guard frames.count >= 2 else { throw WireError(.frameCount, "SAMPLE needs a header frame") }
            let header = try SampleHeader(decoding: frames[1], limits: limits)
            let payload = Array(frames.dropFirst(2))
            try checkPayload(payload, declared: header.fields.map { ($0.name, $0.byteCount) }, command: command)
            return .sample(header, payload: payload)
        case .samples:
            return .samples(try decodeSamples(frames))
        case .batch:
            guard frames.count >= 2 else { throw WireError(.frameCount, "BATCH needs a header frame") }
            let header = try BatchHeader(decoding: frames[1], limits: limits)
            let payload = Array(frames.dropFirst(2))
            try checkPayload(payload, declared: header.fields.map { ($0.name, $0.frameBytes(samples: header.count)) },
                             command: command)
            return .batch(header, payload: payload)
        }
    }

    /// The most frames a SAMPLES message may have in all (frame 0 and the count frame included).
    public static let maxSamplesMessageFrames = 4096

    /// SAMPLES: frame 1 is the sample count N (u32 little-endian, 1 to `maxBatchSamples`); then N times a SAMPLE
    /// header frame followed by its field frames. Every frame is accounted for.
    private func decodeSamples<Frame: WireFrame>(_ frames: [Frame]) throws(WireError) -> [(SampleHeader, payload: [Frame])] {
        guard frames.count >= 2 else { throw WireError(.frameCount, "SAMPLES needs a count frame") }
        guard frames.count <= Self.maxSamplesMessageFrames else {
            throw .limit("SAMPLES frames", frames.count, max: Self.maxSamplesMessageFrames)
        }
        let count: Int = frames[1].withUnsafeBytes { raw in
            raw.count == 4 ? Int(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self))) : -1
        }
        guard count >= 0 else { throw WireError(.invalidValue, "SAMPLES count frame must be 4 bytes, got \(frames[1].count)") }
        guard count >= 1, count <= limits.maxBatchSamples else { throw .limit("SAMPLES count", count, max: limits.maxBatchSamples) }
        var out: [(SampleHeader, payload: [Frame])] = []
        out.reserveCapacity(count)
        var i = 2
        for k in 0..<count {
            guard i < frames.count else {
                throw WireError(.frameCount, "SAMPLES declares \(count) samples but ends after \(k)")
            }
            let header = try SampleHeader(decoding: frames[i], limits: limits)
            let n = header.fields.count
            guard i + 1 + n <= frames.count else {
                throw WireError(.frameCount, "SAMPLES sample \(k) declares \(n) fields but the message ends first")
            }
            let payload = Array(frames[(i + 1)..<(i + 1 + n)])
            try checkPayload(payload, declared: header.fields.map { ($0.name, $0.byteCount) }, command: .samples)
            out.append((header, payload))
            i += 1 + n
        }
        guard i == frames.count else {
            throw WireError(.frameCount, "SAMPLES has \(frames.count - i) frames after its \(count) samples")
        }
        return out
    }

    private func checkPayload<Frame: WireFrame>(_ payload: [Frame], declared: [(String, Int?)], command: Command) throws(WireError) {
        guard payload.count == declared.count else {
            throw WireError(.frameCount, "\(command) declares \(declared.count) fields but carries \(payload.count) payload frames")
        }
        for (frame, (name, bytes)) in zip(payload, declared) {
            guard let bytes else { throw .invalid("\(command) field '\(name)' has an overflowing shape") }
            guard frame.count <= limits.maxFrameBytes else { throw .limit("frame of field '\(name)'", frame.count, max: limits.maxFrameBytes) }
            guard frame.count == bytes else {
                throw WireError(.frameSize, "\(command) field '\(name)' declares \(bytes) bytes but its frame has \(frame.count)")
            }
        }
    }

    private func controlBytes<Frame: WireFrame>(_ command: Command, _ frames: [Frame]) throws(WireError) -> [UInt8] {
        guard frames.count == 2 else { throw WireError(.frameCount, "\(command) has 2 frames, got \(frames.count)") }
        guard frames[1].count <= limits.maxControlBytes else {
            throw .limit("\(command) body bytes", frames[1].count, max: limits.maxControlBytes)
        }
        return frames[1].withUnsafeBytes { Array($0) }
    }

    private func body<T: Decodable, Frame: WireFrame>(_: T.Type, _ command: Command, _ frames: [Frame]) throws(WireError) -> T {
        let json = try controlBytes(command, frames)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(json))
        } catch {
            throw WireError(.badBody, "\(command) body is not valid: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c): "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.valueNotFound(_, let c): "null at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let c): c.debugDescription
        default: "\(error)"
        }
    }

    // MARK: Encoding

    /// The canonical JSON of a control body.
    public static func canonicalJSON<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs cannot fail (no non-finite floats are representable in them except
        // through a caller's NaN, which JSONEncoder rejects: fall back to an empty object in that case).
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }

    /// The frames of a control message (everything but SAMPLE and BATCH, whose payload the caller appends).
    public func encode(_ message: WireMessage<[UInt8]>) throws(WireError) -> [[UInt8]] {
        let frame0 = Envelope.frame(message.command)
        switch message {
        case .heartbeat: return [frame0]
        case .hello(let b): return [frame0, Self.canonicalJSON(b)]
        case .ready(let b): return [frame0, Self.canonicalJSON(b)]
        case .credit(let b): return [frame0, Self.canonicalJSON(b)]
        case .bye(let b): return [frame0, Self.canonicalJSON(b)]
        case .error(let b): return [frame0, Self.canonicalJSON(b)]
        case .status(let b): return [frame0, b.json]
        case .sample(let header, let payload): return [frame0, try header.encoded(limits: limits)] + payload
        case .batch(let header, let payload): return [frame0, try header.encoded(limits: limits)] + payload
        case .samples(let list):
            guard (1...limits.maxBatchSamples).contains(list.count) else { throw .limit("SAMPLES count", list.count, max: limits.maxBatchSamples) }
            var frames = [frame0, withUnsafeBytes(of: UInt32(list.count).littleEndian) { Array($0) }]
            for (header, payload) in list { frames.append(try header.encoded(limits: limits)); frames += payload }
            guard frames.count <= Self.maxSamplesMessageFrames else {
                throw .limit("SAMPLES frames", frames.count, max: Self.maxSamplesMessageFrames)
            }
            return frames
        }
    }
}
