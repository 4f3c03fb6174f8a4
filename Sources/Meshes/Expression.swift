#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An arithmetic expression of the position `(x, y)`, parsed from case-file text such as
/// `-4000 + 3800 / (1 + exp(-(x - 120000) / 8000))`: numbers, `x`, `y`, `pi`, `+ - * / ^` (`^` binds tightest and
/// to the right), parentheses, and the functions `exp log sqrt sin cos tan tanh abs` (one argument) and `min max`
/// (two). Parsing rejects anything else with the column and what was expected; nesting is limited to 64 levels.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    private let root: Node

    public init(_ text: String) throws {
        var parser = Parser(text: Array(text.utf8), source: text)
        root = try parser.parseAll()
        description = text
    }

    public func evaluate(x: Double, y: Double) -> Double { root.evaluate(x, y) }

    indirect enum Node: Sendable, Hashable {
        case number(Double), x, y
        case negate(Node)
        case binary(UInt8, Node, Node)
        case call(String, [Node])

        func evaluate(_ x: Double, _ y: Double) -> Double {
            switch self {
            case .number(let v): return v
            case .x: return x
            case .y: return y
            case .negate(let a): return -a.evaluate(x, y)
            case .binary(let op, let a, let b):
                let u = a.evaluate(x, y), v = b.evaluate(x, y)
                switch op {
                case UInt8(ascii: "+"): return u + v
                case UInt8(ascii: "-"): return u - v
                case UInt8(ascii: "*"): return u * v
                case UInt8(ascii: "/"): return u / v
                default: return pow(u, v)
                }
            case .call(let f, let args):
                let a = args.map { $0.evaluate(x, y) }
                switch f {
                case "exp": return exp(a[0])
                case "log": return log(a[0])
                case "sqrt": return a[0].squareRoot()
                case "sin": return sin(a[0])
                case "cos": return cos(a[0])
                case "tan": return tan(a[0])
                case "tanh": return tanh(a[0])
                case "abs": return abs(a[0])
                case "min": return min(a[0], a[1])
                default: return max(a[0], a[1])
                }
            }
        }
    }

    static let arity: [String: Int] = ["exp": 1, "log": 1, "sqrt": 1, "sin": 1, "cos": 1, "tan": 1, "tanh": 1,
                                       "abs": 1, "min": 2, "max": 2]

    struct Parser {
        let text: [UInt8]
        let source: String
        var position = 0
        var depth = 0

        func error(_ message: String) -> MeshError {
            MeshError.invalidParameter("expression '\(source)', column \(position + 1): \(message)")
        }

        mutating func skipSpaces() { while position < text.count, text[position] == 32 || text[position] == 9 { position += 1 } }

        mutating func peek() -> UInt8? { skipSpaces(); return position < text.count ? text[position] : nil }

        mutating func parseAll() throws -> Node {
            let node = try parseSum()
            if let c = peek() { throw error("unexpected '\(String(UnicodeScalar(c)))'") }
            return node
        }

        mutating func nest() throws {
            depth += 1
            guard depth <= 64 else { throw error("nested more than 64 levels deep") }
        }

        mutating func parseSum() throws -> Node {
            try nest(); defer { depth -= 1 }
            var node = try parseProduct()
            while let c = peek(), c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                position += 1
                node = .binary(c, node, try parseProduct())
            }
            return node
        }

        mutating func parseProduct() throws -> Node {
            var node = try parseUnary()
            while let c = peek(), c == UInt8(ascii: "*") || c == UInt8(ascii: "/") {
                position += 1
                node = .binary(c, node, try parseUnary())
            }
            return node
        }

        mutating func parseUnary() throws -> Node {
            try nest(); defer { depth -= 1 }
            if let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                position += 1
                let operand = try parseUnary()
                return c == UInt8(ascii: "-") ? .negate(operand) : operand
            }
            let base = try parsePrimary()
            if peek() == UInt8(ascii: "^") {
                position += 1
                return .binary(UInt8(ascii: "^"), base, try parseUnary())
            }
            return base
        }

        mutating func parsePrimary() throws -> Node {
            guard let c = peek() else { throw error("expression ends where a number, x, y, a function or '(' was expected") }
            if c == UInt8(ascii: "(") {
                position += 1
                let node = try parseSum()
                guard peek() == UInt8(ascii: ")") else { throw error("missing ')'") }
                position += 1
                return node
            }
            if (48...57).contains(c) || c == UInt8(ascii: ".") {
                let start = position
                while position < text.count, (48...57).contains(text[position]) || text[position] == UInt8(ascii: ".") { position += 1 }
                if position < text.count, text[position] == UInt8(ascii: "e") || text[position] == UInt8(ascii: "E") {
                    position += 1
                    if position < text.count, text[position] == UInt8(ascii: "+") || text[position] == UInt8(ascii: "-") { position += 1 }
                    while position < text.count, (48...57).contains(text[position]) { position += 1 }
                }
                guard let v = Double(String(decoding: text[start..<position], as: UTF8.self)) else {
                    position = start
                    throw error("malformed number")
                }
                return .number(v)
            }
            let isLetter = { (b: UInt8) in (65...90).contains(b) || (97...122).contains(b) }
            guard isLetter(c) else { throw error("unexpected '\(String(UnicodeScalar(c)))'") }
            let start = position
            while position < text.count, isLetter(text[position]) || (48...57).contains(text[position]) { position += 1 }
            let name = String(decoding: text[start..<position], as: UTF8.self)
            switch name {
            case "x": return .x
            case "y": return .y
            case "pi": return .number(Double.pi)
            default: break
            }
            guard let n = Self.arity[name] else {
                position = start
                throw error("unknown name '\(name)'; use x, y, pi or \(Expression.arity.keys.sorted().joined(separator: ", "))")
            }
            guard peek() == UInt8(ascii: "(") else { throw error("\(name) needs '(' and \(n) argument\(n == 1 ? "" : "s")") }
            position += 1
            var args = [try parseSum()]
            while peek() == UInt8(ascii: ",") {
                position += 1
                args.append(try parseSum())
            }
            guard peek() == UInt8(ascii: ")") else { throw error("missing ')' after the arguments of \(name)") }
            position += 1
            guard args.count == n else { throw error("\(name) takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)") }
            return .call(name, args)
        }

        static var arity: [String: Int] { Expression.arity }
    }
}
