import Foundation
import Reservoir
import Testing

@Suite("Reservoir configuration")
struct ReservoirConfigurationTests {
    @Test("a watermark above the capacity is rejected with both values named")
    func watermarkAboveCapacity() throws {
        let configuration = ReservoirConfiguration(policy: .reservoir, capacityBytes: 1_000_000, watermarkBytes: 2_000_000)
        #expect(throws: ReservoirError.watermarkExceedsCapacity(watermark: 2_000_000, capacity: 1_000_000)) {
            try configuration.validate()
        }
        do {
            _ = try Reservoir<Int>(configuration: configuration)
            Issue.record("an invalid configuration built a reservoir")
        } catch {
            #expect(error.description == "watermark 2000000 exceeds capacity 1000000")
        }
    }

    @Test("capacity must be positive and the watermark non-negative")
    func boundsChecked() throws {
        #expect(throws: ReservoirError.nonPositiveCapacity(0)) {
            try ReservoirConfiguration(policy: .fifo, capacityBytes: 0).validate()
        }
        #expect(throws: ReservoirError.negativeWatermark(-1)) {
            try ReservoirConfiguration(policy: .fifo, capacityBytes: 10, watermarkBytes: -1).validate()
        }
        try ReservoirConfiguration(policy: .fifo, capacityBytes: 10, watermarkBytes: 10).validate()
        try ReservoirConfiguration(policy: .uniform, capacityBytes: 1).validate()
    }

    @Test("policies encode as their lowercase names")
    func policyStrings() throws {
        let encoded = try JSONEncoder().encode(ReservoirPolicy.allCases)
        #expect(String(decoding: encoded, as: UTF8.self) == #"["fifo","firo","reservoir","uniform"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ReservoirPolicy.self, from: Data(#""lifo""#.utf8))
        }
    }

    @Test("a configuration round-trips through JSON, and missing optional keys take their defaults")
    func codable() throws {
        let full = ReservoirConfiguration(policy: .uniform, capacityBytes: 4096, watermarkBytes: 1024, seed: 99)
        let decoded = try JSONDecoder().decode(ReservoirConfiguration.self, from: JSONEncoder().encode(full))
        #expect(decoded == full)
        let minimal = try JSONDecoder().decode(
            ReservoirConfiguration.self, from: Data(#"{"policy": "firo", "capacityBytes": 100}"#.utf8))
        #expect(minimal == ReservoirConfiguration(policy: .firo, capacityBytes: 100, watermarkBytes: 0, seed: 0))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ReservoirConfiguration.self, from: Data(#"{"policy": "firo"}"#.utf8))
        }
    }
}
