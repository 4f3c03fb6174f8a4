import Foundation
import SluiceModel

/// How one study parameter is distributed: a unit-interval coordinate u in [0, 1) maps to its value.
public struct ParameterDistribution: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// low + u (high - low).
        case uniform
        /// exp(log low + u (log high - log low)); both bounds positive (viscosities, diffusivities).
        case logUniform = "log-uniform"
        /// An integer in low...high, each equally likely (seeds, mode numbers).
        case integer
        /// One of `values`, each equally likely.
        case choice
    }

    public var distribution: Kind
    public var low: Double?
    public var high: Double?
    public var values: [Double]?

    public init(_ distribution: Kind, low: Double? = nil, high: Double? = nil, values: [Double]? = nil) {
        self.distribution = distribution
        self.low = low
        self.high = high
        self.values = values
    }

    /// Checks the bounds; the message names the parameter and the values.
    public func validate(name: String) throws {
        func fail(_ why: String) -> ParameterSpaceError { ParameterSpaceError("parameter '\(name)': \(why)") }
        switch distribution {
        case .uniform, .logUniform, .integer:
            guard let low, let high, low.isFinite, high.isFinite else { throw fail("\(distribution.rawValue) needs finite 'low' and 'high'") }
            guard low <= high else { throw fail("low \(low) is above high \(high)") }
            if distribution == .logUniform, low <= 0 { throw fail("log-uniform needs low > 0, got \(low)") }
            if distribution == .integer, low.rounded() != low || high.rounded() != high {
                throw fail("integer bounds must be whole numbers, got \(low) and \(high)")
            }
        case .choice:
            guard let values, !values.isEmpty else { throw fail("choice needs a non-empty 'values' list") }
        }
    }

    /// The value at unit coordinate `u` in [0, 1).
    public func value(at u: Double) -> Double {
        let u = min(max(u, 0), 0.999_999_999_999)
        switch distribution {
        case .uniform: return (low ?? 0) + u * ((high ?? 1) - (low ?? 0))
        case .logUniform:
            let a = log(low ?? 1), b = log(high ?? 1)
            return exp(a + u * (b - a))
        case .integer:
            let a = low ?? 0, b = high ?? 0
            return a + (u * (b - a + 1)).rounded(.down)
        case .choice:
            let list = values ?? [0]
            return list[min(list.count - 1, Int(u * Double(list.count)))]
        }
    }
}

/// Why a parameter space is not usable.
public struct ParameterSpaceError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The draws of a study: member k gets the values of design point k (parameters in name order).
public struct ParameterDraws: Sendable {
    public let names: [String]
    public let values: [[Double]]

    public init(parameters: [String: ParameterDistribution], design: ExperimentDesign, members: Int, seed: UInt64) throws {
        let sorted = parameters.keys.sorted()
        for name in sorted { try parameters[name]?.validate(name: name) }
        let points = design.points(count: members, dimensions: sorted.count, seed: seed)
        names = sorted
        values = points.map { point in sorted.enumerated().map { d, name in parameters[name]?.value(at: point[d]) ?? 0 } }
    }

    /// Member `k`'s draw, as (name, value) pairs.
    public func draw(_ k: Int) -> [(String, Double)] { Array(zip(names, values[k])) }
}
