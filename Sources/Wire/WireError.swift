/// Why a message was rejected by the decoder. Every rejection has a stable `code` (sent back to the peer in an
/// ERROR message and used as the counter name) and a sentence that says what was wrong and where.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Frame 0 is not a Sluice protocol frame.
        public static let badProtocol = Code("bad-protocol")
        /// The protocol version is not one this build speaks.
        public static let unsupportedVersion = Code("unsupported-version")
        /// The command byte is unknown, or the command is not allowed in this direction.
        public static let unknownCommand = Code("unknown-command")
        /// A header or body ended before its declared content.
        public static let truncated = Code("truncated")
        /// Bytes left over after a complete header.
        public static let trailingBytes = Code("trailing-bytes")
        /// A count, length, rank or size exceeds a configured limit.
        public static let limitExceeded = Code("limit-exceeded")
        /// The number of frames differs from what the header declares.
        public static let frameCount = Code("frame-count")
        /// A payload frame's size differs from its declared shape and dtype.
        public static let frameSize = Code("frame-size")
        /// A value is out of range (unknown dtype, role, geometry; negative or overflowing shape; bad UTF-8).
        public static let invalidValue = Code("invalid-value")
        /// A control body is not valid JSON of the expected form.
        public static let badBody = Code("bad-body")
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    static func truncated(_ what: String, at offset: Int, need: Int, have: Int) -> WireError {
        WireError(.truncated, "\(what) at byte \(offset) needs \(need) bytes but only \(have) remain")
    }

    static func limit(_ what: String, _ value: Int, max: Int) -> WireError {
        WireError(.limitExceeded, "\(what) is \(value), above the limit of \(max)")
    }

    static func invalid(_ message: String) -> WireError { WireError(.invalidValue, message) }

    public var description: String { "\(code): \(message)" }
}
