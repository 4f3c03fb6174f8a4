/// An advection case that cannot be run, with a message naming the offending values.
public struct AdvectionError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case invalidCase, unsupported }
    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// A value of the case or its parameters is out of range.
    public static func invalidCase(_ text: String) -> AdvectionError { AdvectionError(.invalidCase, text) }

    /// The combination of flow and scheme is not supported.
    public static func unsupported(_ text: String) -> AdvectionError { AdvectionError(.unsupported, text) }
}
