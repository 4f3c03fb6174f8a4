/// An error of `sluice train` that a user can act on: which sample, field, parameter or file, and what was
/// expected.
public struct TrainingError: Error, CustomStringConvertible, Sendable {
    enum Code: Sendable { case data, configuration, allreduce, file }
    let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func data(_ message: String) -> TrainingError { TrainingError(.data, message) }
    static func configuration(_ message: String) -> TrainingError { TrainingError(.configuration, message) }
    static func allreduce(_ message: String) -> TrainingError { TrainingError(.allreduce, message) }
    static func file(_ message: String) -> TrainingError { TrainingError(.file, message) }
}
