/// The one-byte command in frame 0 of every Sluice message.
public enum Command: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Peer -> server: who I am (role, identity, capabilities). Answered by READY or ERROR.
    case hello = 0x01
    /// Server -> peer: HELLO accepted; session parameters.
    case ready = 0x02
    /// Flow control. Server -> solver: you may send N more samples. Trainer -> server: I can take N more batches.
    case credit = 0x03
    /// Either way: I am alive. No body.
    case heartbeat = 0x04
    /// Either way: orderly goodbye. Answered by BYE.
    case bye = 0x05
    /// Either way: a request or message was refused, with a code and a sentence.
    case error = 0x06
    /// Peer -> server: request counters; server -> peer: the counters.
    case status = 0x07
    /// Solver -> server: one snapshot (binary header + one frame per field).
    case sample = 0x10
    /// Server -> trainer: B samples stacked (binary header + one frame per field).
    case batch = 0x11
    /// Solver -> server: several snapshots in one message (frame 1: their count; then each one's header and field
    /// frames), so that small samples do not each pay a message's overhead. Each consumes one credit.
    case samples = 0x12

    public var description: String {
        switch self {
        case .hello: "HELLO"
        case .ready: "READY"
        case .credit: "CREDIT"
        case .heartbeat: "HEARTBEAT"
        case .bye: "BYE"
        case .error: "ERROR"
        case .status: "STATUS"
        case .sample: "SAMPLE"
        case .batch: "BATCH"
        case .samples: "SAMPLES"
        }
    }
}

/// Frame 0: the six ASCII bytes `SLUICE`, the protocol version, and the command byte.
public enum Envelope {
    /// The protocol identifier.
    public static let protocolID: [UInt8] = Array("SLUICE".utf8)
    /// The protocol version this build speaks.
    public static let version: UInt8 = 1
    /// Size of frame 0.
    public static let size = 8

    /// Frame 0 for `command`.
    public static func frame(_ command: Command, version: UInt8 = Envelope.version) -> [UInt8] {
        protocolID + [version, command.rawValue]
    }

    /// Parses frame 0. Throws `.badProtocol`, `.unsupportedVersion` (with the version seen) or `.unknownCommand`.
    public static func parse(_ frame: some WireFrame) throws(WireError) -> Command {
        let parsed: Result<Command, WireError> = frame.withUnsafeBytes { bytes in
            guard bytes.count == size, bytes.prefix(6).elementsEqual(protocolID) else {
                let shown = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
                return .failure(WireError(.badProtocol,
                    "frame 0 must be 8 bytes starting with 'SLUICE'; got \(bytes.count) bytes [\(shown)]"))
            }
            guard bytes[6] == version else {
                return .failure(WireError(.unsupportedVersion,
                    "protocol version \(bytes[6]) is not supported; this server speaks version \(version)"))
            }
            guard let command = Command(rawValue: bytes[7]) else {
                return .failure(WireError(.unknownCommand, "unknown command byte 0x\(String(bytes[7], radix: 16))"))
            }
            return .success(command)
        }
        return try parsed.get()
    }
}
