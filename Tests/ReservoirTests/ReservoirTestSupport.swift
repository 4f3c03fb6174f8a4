import Reservoir
import SluiceModel
import Testing

/// A reservoir of `Int` tokens (the tests' stand-in for message buffers), built from a valid configuration.
func makeReservoir(
    _ policy: ReservoirPolicy, capacity: Int, watermark: Int = 0, seed: UInt64 = 0
) throws -> Reservoir<Int> {
    try Reservoir(configuration: ReservoirConfiguration(
        policy: policy, capacityBytes: capacity, watermarkBytes: watermark, seed: seed))
}

/// Collects failed checks from hot loops, where a `#expect` per check would be slow; report with
/// `#expect(failures.isEmpty, failures.summary)`.
struct Failures {
    private(set) var messages: [String] = []
    private(set) var total = 0

    var isEmpty: Bool { total == 0 }

    mutating func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard !condition else { return }
        total += 1
        if messages.count < 20 {
            messages.append(message())
        }
    }

    var summary: Comment {
        Comment(rawValue: "\(total) failed checks; first ones:\n" + messages.joined(separator: "\n"))
    }
}

extension InsertOutcome {
    /// The outcome's case name, for traces and messages.
    var kind: String {
        switch self {
        case .stored: "stored"
        case .discarded: "discarded"
        case .full: "full"
        case .tooLarge: "tooLarge"
        }
    }
}

extension Reservoir {
    /// Inserts and returns the stored id, recording a failure if the sample was not stored.
    mutating func mustStore(_ element: Element, bytes: Int, _ failures: inout Failures) -> SampleID? {
        let outcome = insert(element, bytes: bytes)
        failures.check(outcome.storedID != nil, "expected \(bytes) bytes to be stored, got \(outcome.kind)")
        return outcome.storedID
    }
}

/// Seeds shared by the property-style tests.
let propertySeeds: [UInt64] = Array(1...200)
