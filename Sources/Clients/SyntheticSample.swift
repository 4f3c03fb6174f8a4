import SluiceModel
import ZeroMQ

/// Synthetic samples whose values encode their member, step and position, so a consumer can check every element
/// of every batch: `value[i] = (member * 7919 + step * 31 + i) mod 2^24`, exact in float32.
public enum SyntheticSample {
    public static let fieldName = "value"

    @inline(__always)
    public static func value(member: UInt64, step: UInt64, index: Int) -> Float {
        SyntheticPattern.value(member: member, step: step, index: index)
    }

    /// A sample header on a uniform grid over [0, 1]^d with one float32 field of `shape`.
    public static func header(member: UInt64, attempt: UInt32 = 0, step: UInt64, shape: [Int], final: Bool = false) -> SampleHeader {
        let dims = min(shape.count, 3)
        return SampleHeader(member: member, attempt: attempt, step: step, time: Double(step) * 0.01,
                            flags: final ? .final : [], geometry: dims > 0 ? .uniformGrid : .none, spatialDims: dims,
                            bounds: Array(repeating: AxisBounds(lower: 0, upper: 1), count: dims),
                            parameters: [Parameter("member_parameter", Double(member) * 0.5)],
                            fields: [FieldDescriptor(name: fieldName, dtype: .float32, shape: shape)])
    }

    /// The payload frame of member `member`, step `step`.
    public static func payload(member: UInt64, step: UInt64, shape: [Int], poison: Bool = false) throws -> Message {
        let n = shape.reduce(1, *)
        let message = try Message(count: n * 4)
        message.withUnsafeMutableBytes { raw in
            let out = raw.bindMemory(to: Float.self)
            for i in 0..<n { out[i] = value(member: member, step: step, index: i) }
            if poison, n > 0 { out[n / 2] = .nan }
        }
        return message
    }

    /// The index of the first element of `values` that does not match member/step, or nil if all do.
    public static func firstMismatch(_ values: UnsafeBufferPointer<Float>, member: UInt64, step: UInt64) -> Int? {
        for i in values.indices where values[i] != value(member: member, step: step, index: i) { return i }
        return nil
    }

    /// Checks every sample of a batch of synthetic samples; returns a description of the first problem, if any.
    public static func verify(_ batch: Batch) throws -> String? {
        guard let index = batch.fieldIndex(fieldName) else { return "batch has no field '\(fieldName)'" }
        let field = batch.header.fields[index]
        return try batch.withField(fieldName, as: Float.self) { values -> String? in
            var offset = 0
            for (i, entry) in batch.entries.enumerated() {
                let shape: [Int]
                switch field.shapes {
                case .uniform(let s): shape = s
                case .ragged(let list): shape = list[i]
                }
                let n = shape.reduce(1, *)
                guard offset + n <= values.count else { return "batch field is shorter than its shapes" }
                let slice = UnsafeBufferPointer(rebasing: values[offset..<(offset + n)])
                if let bad = firstMismatch(slice, member: entry.member, step: entry.step) {
                    return "member \(entry.member) step \(entry.step): element \(bad) is \(slice[bad]), expected \(value(member: entry.member, step: entry.step, index: bad))"
                }
                if let p = batch.parameter("member_parameter", sample: i), p != Double(entry.member) * 0.5 {
                    return "member \(entry.member) step \(entry.step): parameter is \(p)"
                }
                offset += n
            }
            return offset == values.count ? nil : "batch field has \(values.count - offset) extra elements"
        }
    }
}
