import Foundation

/// `--set name=value` overrides of a case's study parameters, applied to any `Codable` parameter struct by name:
/// the struct is encoded to a snake_case JSON object, the named keys replaced, and the object decoded back, so a
/// solver's parameter type needs no override code of its own and the decoder validates types (`seed=1.5` fails
/// for an integer seed).
public struct ParameterOverrides: Sendable, Hashable {
    /// Name and value text, in command-line order.
    public let assignments: [(name: String, value: String)]

    public static func == (a: ParameterOverrides, b: ParameterOverrides) -> Bool {
        a.assignments.map(\.name) == b.assignments.map(\.name) && a.assignments.map(\.value) == b.assignments.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        for (n, v) in assignments {
            hasher.combine(n)
            hasher.combine(v)
        }
    }

    public init() { assignments = [] }

    /// Parses `name=value` strings.
    ///
    /// - Throws: ``SolverRuntimeError`` for an item without `=` or with an empty name, or a value that is not a
    ///   number.
    public init(_ items: [String]) throws {
        assignments = try items.map { item in
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw SolverRuntimeError.badOverride("--set '\(item)' is not name=value")
            }
            let name = String(item[..<eq]).trimmingCharacters(in: .whitespaces)
            let value = String(item[item.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            guard Double(value) != nil else {
                throw SolverRuntimeError.badOverride("--set \(name)=\(value): '\(value)' is not a number")
            }
            return (name, value)
        }
    }

    /// Whether `name` is overridden.
    public func contains(_ name: String) -> Bool { assignments.contains { $0.name == name } }

    /// `parameters` with every override applied, in order.
    ///
    /// - Throws: ``SolverRuntimeError`` naming an unknown parameter (with the known ones) or an assignment whose
    ///   value does not fit the parameter's type (a fractional or negative `seed`).
    public func apply<P: Codable>(to parameters: P) throws -> P {
        var result = parameters
        for (name, value) in assignments {
            result = try Self.assign(name, value, to: result)
        }
        return result
    }

    private static func assign<P: Codable>(_ name: String, _ value: String, to parameters: P) throws -> P {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard var object = try JSONSerialization.jsonObject(with: encoder.encode(parameters)) as? [String: Any] else {
            throw SolverRuntimeError.badOverride("the case's parameters are not a set of named values")
        }
        guard object[name] != nil else {
            throw SolverRuntimeError.badOverride("--set \(name)=\(value): the case has no parameter '\(name)'; its parameters are \(object.keys.sorted().joined(separator: ", "))")
        }
        if let integer = Int64(value) {
            object[name] = integer
        } else if let number = Double(value) {
            object[name] = number
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(P.self, from: JSONSerialization.data(withJSONObject: object))
        } catch {
            throw SolverRuntimeError.badOverride("--set \(name)=\(value): '\(value)' does not fit the type of \(name) (seeds are non-negative integers, the other parameters numbers)")
        }
    }
}
