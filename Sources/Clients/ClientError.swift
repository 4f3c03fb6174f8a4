import Wire

/// Why a client call failed, in a sentence that names the endpoint and what was waited for.
public struct ClientError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Kind: Hashable, Sendable {
        fileprivate let code: Int
        /// Nothing arrived in time (server absent, or no data).
        public static let timedOut = Kind(code: 0)
        /// The server refused us (fatal ERROR); `report` says why.
        public static let refused = Kind(code: 1)
        /// The client was closed or its background thread stopped.
        public static let closed = Kind(code: 2)
        /// A local failure (socket, encoding).
        public static let failed = Kind(code: 3)
    }

    public let kind: Kind
    public let description: String
    /// The server's ERROR, for `.refused`.
    public let report: ErrorReport?

    init(_ kind: Kind, _ description: String, report: ErrorReport? = nil) {
        self.kind = kind
        self.description = description
        self.report = report
    }
}
