import Foundation

/// Running mean, standard deviation and root mean square of a field, per component, over every value of every
/// snapshot (Chan et al.'s pairwise merge of count, mean and sum of squared deviations, stable in double).
public struct MomentAccumulator: Sendable, Hashable {
    public private(set) var count: Double = 0
    public private(set) var mean: Double = 0
    /// Sum of squared deviations from the mean.
    public private(set) var m2: Double = 0

    public init() {}

    /// Adds the values `value(i)` for `i` in `offset, offset + stride, ...` below `count`.
    @inline(__always)
    mutating func add(count: Int, offset: Int = 0, stride: Int = 1, _ value: (Int) -> Double) {
        var n = 0, sum = 0.0
        var i = offset
        while i < count { sum += value(i); n += 1; i += stride }
        guard n > 0 else { return }
        let batchMean = sum / Double(n)
        var squares = 0.0
        i = offset
        while i < count { let d = value(i) - batchMean; squares += d * d; i += stride }
        merge(count: Double(n), mean: batchMean, m2: squares)
    }

    /// Adds every value of `values`.
    public mutating func add(_ values: [Double]) {
        values.withUnsafeBufferPointer { buffer in add(count: buffer.count) { buffer[$0] } }
    }

    public mutating func merge(_ other: MomentAccumulator) { merge(count: other.count, mean: other.mean, m2: other.m2) }

    /// The moments of every element of `values` (or of `values - minus`) in one pass: sums of `x - shift` and
    /// `(x - shift)^2` in double, eight lanes at a time, with `shift` the first element (which keeps the
    /// cancellation in `m2 = q - s^2/n` small for data far from zero).
    static func shifted(_ values: ElementReader, minus: ElementReader?) -> MomentAccumulator {
        let n = values.count
        var result = MomentAccumulator()
        guard n > 0 else { return result }
        @inline(__always) func element(_ i: Int) -> Double { values[i] - (minus?[i] ?? 0) }
        let shift = element(0)
        var s = SIMD8<Double>(repeating: 0), q = SIMD8<Double>(repeating: 0)
        let lanes = n / 8 * 8
        let shiftVector = SIMD8<Double>(repeating: shift)
        var i = 0
        if values.precision == .float32 {
            while i < lanes {
                var x = SIMD8<Double>(values.raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
                if let minus { x -= SIMD8<Double>(minus.raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)) }
                let d = x - shiftVector
                s += d
                q += d * d
                i += 8
            }
        } else {
            while i < lanes {
                var x = values.raw.loadUnaligned(fromByteOffset: 8 * i, as: SIMD8<Double>.self)
                if let minus { x -= minus.raw.loadUnaligned(fromByteOffset: 8 * i, as: SIMD8<Double>.self) }
                let d = x - shiftVector
                s += d
                q += d * d
                i += 8
            }
        }
        var sum = s.sum(), squares = q.sum()
        while i < n {
            let d = element(i) - shift
            sum += d
            squares += d * d
            i += 1
        }
        let count = Double(n)
        result.count = count
        result.mean = shift + sum / count
        result.m2 = max(0, squares - sum * sum / count)
        return result
    }

    private mutating func merge(count n: Double, mean m: Double, m2 s: Double) {
        guard n > 0 else { return }
        let total = count + n
        let delta = m - mean
        mean += delta * n / total
        m2 += s + delta * delta * count * n / total
        count = total
    }

    public var variance: Double { count > 0 ? m2 / count : 0 }
    public var standardDeviation: Double { variance.squareRoot() }
    public var rootMeanSquare: Double { (variance + mean * mean).squareRoot() }
}

/// The statistics The Well's `stats.yaml` holds for one field: moments of its values and of its differences
/// between consecutive snapshots of a trajectory, per component.
public struct FieldStatistics: Sendable, Hashable {
    public var order: Int
    public var values: [MomentAccumulator]
    public var deltas: [MomentAccumulator]

    public init(order: Int, components: Int) {
        self.order = order
        values = Array(repeating: MomentAccumulator(), count: components)
        deltas = Array(repeating: MomentAccumulator(), count: components)
    }

    /// The statistics of one snapshot given as raw little-endian elements of `precision` (`previous`: the
    /// trajectory's preceding snapshot, for the differences). Reads the bytes in place; scalar fields take one
    /// vectorised pass for the values and one for the differences.
    static func of(_ snapshot: [UInt8], previous: [UInt8]?, precision: WellPrecision, order: Int, components: Int) -> FieldStatistics {
        var result = FieldStatistics(order: order, components: components)
        let before = previous.flatMap { $0.count == snapshot.count ? $0 : nil }
        snapshot.withUnsafeBytes { raw in
            let current = ElementReader(raw: raw, precision: precision)
            if components == 1 {
                result.values[0] = MomentAccumulator.shifted(current, minus: nil)
                if let before {
                    before.withUnsafeBytes { result.deltas[0] = MomentAccumulator.shifted(current, minus: ElementReader(raw: $0, precision: precision)) }
                }
                return
            }
            for k in 0..<components { result.values[k].add(count: current.count, offset: k, stride: components) { current[$0] } }
            guard let before else { return }
            before.withUnsafeBytes { raw in
                let earlier = ElementReader(raw: raw, precision: precision)
                for k in 0..<components {
                    result.deltas[k].add(count: current.count, offset: k, stride: components) { current[$0] - earlier[$0] }
                }
            }
        }
        return result
    }

    mutating func merge(_ other: FieldStatistics) {
        for k in values.indices where k < other.values.count {
            values[k].merge(other.values[k])
            deltas[k].merge(other.deltas[k])
        }
    }
}

/// Reads float32 or float64 little-endian elements from raw bytes without copying.
struct ElementReader {
    let raw: UnsafeRawBufferPointer
    let precision: WellPrecision

    var count: Int { raw.count / precision.byteCount }

    @inline(__always)
    subscript(_ i: Int) -> Double {
        precision == .float32 ? Double(raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
            : raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)
    }
}

/// `stats.yaml` of a dataset: for every field, `mean`, `std`, `rms` and the same of time differences
/// (`mean_delta`, `std_delta`, `rms_delta`), as The Well's normalisations read them. Scalar fields get a number,
/// vectors a list of components, rank-2 tensors a list of rows.
public struct DatasetStatistics: Sendable {
    public private(set) var fields: [(name: String, statistics: FieldStatistics)] = []

    public init() {}

    public mutating func merge(_ name: String, _ statistics: FieldStatistics) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].statistics.merge(statistics)
        } else {
            fields.append((name, statistics))
        }
    }

    public var isEmpty: Bool { fields.isEmpty }

    public var yaml: String {
        let sections: [(String, (MomentAccumulator) -> Double, Bool)] = [
            ("mean", { $0.mean }, false), ("std", { $0.standardDeviation }, false), ("rms", { $0.rootMeanSquare }, false),
            ("mean_delta", { $0.mean }, true), ("std_delta", { $0.standardDeviation }, true),
            ("rms_delta", { $0.rootMeanSquare }, true),
        ]
        var text = "# Per-field statistics over the training split (all splits when it is empty), written by sluice export.\n"
        for (key, value, delta) in sections {
            text += "\(key):\n"
            for (name, statistics) in fields {
                let numbers = (delta ? statistics.deltas : statistics.values).map { Self.number(value($0)) }
                let rendered: String
                switch statistics.order {
                case 0: rendered = numbers.first ?? "0.0"
                case 1: rendered = "[" + numbers.joined(separator: ", ") + "]"
                default:
                    let d = Int(Double(numbers.count).squareRoot().rounded())
                    rendered = "[" + (0..<d).map { row in
                        "[" + numbers[(row * d)..<min(numbers.count, (row + 1) * d)].joined(separator: ", ") + "]"
                    }.joined(separator: ", ") + "]"
                }
                text += "  \(name): \(rendered)\n"
            }
        }
        return text
    }

    /// A YAML float that reads back to the same double (`.nan` and `.inf` as YAML spells them).
    static func number(_ x: Double) -> String {
        if x.isNaN { return ".nan" }
        if x.isInfinite { return x > 0 ? ".inf" : "-.inf" }
        // PyYAML reads a float only with a dot in the mantissa ("1.0e-05", not "1e-05").
        let text = "\(x)"
        guard !text.contains(".") else { return text }
        guard let e = text.firstIndex(of: "e") else { return text + ".0" }
        return text[..<e] + ".0" + text[e...]
    }
}
