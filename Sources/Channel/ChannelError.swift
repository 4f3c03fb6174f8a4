/// A channel case that cannot be run, with a message naming the offending values.
public struct ChannelError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case invalidCase, numerics, initialCondition }
    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// A value of the case or its parameters is out of range.
    public static func invalidCase(_ text: String) -> ChannelError { ChannelError(.invalidCase, text) }
    /// A numerical building block (FFT plan, eigen-decomposition) failed.
    public static func numerics(_ text: String) -> ChannelError { ChannelError(.numerics, text) }
    /// The initial condition cannot be built.
    public static func initialCondition(_ text: String) -> ChannelError { ChannelError(.initialCondition, text) }
}
