import SluiceModel
import Wire
import ZeroMQ

/// One batch as a trainer receives it: the header (per-sample metadata, field shapes) and one frame per field,
/// read in place (no copy after libzmq received it) whenever the frame is aligned for its element type; small
/// frames that libzmq packed into its shared receive buffer at an odd offset are read through a copy.
public struct Batch: @unchecked Sendable {
    // @unchecked: Message is immutable after receipt; BatchHeader is a value.
    public let header: BatchHeader
    public let frames: [Message]

    public init(header: BatchHeader, frames: [Message]) {
        self.header = header
        self.frames = frames
    }

    public var count: Int { header.count }
    public var entries: [BatchEntry] { header.entries }

    /// The index of the field named `name`.
    public func fieldIndex(_ name: String) -> Int? { header.fields.firstIndex { $0.name == name } }

    /// Reads field `name` as elements of `T` (which must match its dtype), in place.
    public func withField<T: FieldElement, R>(_ name: String, as _: T.Type,
                                              _ body: (UnsafeBufferPointer<T>) throws -> R) throws -> R {
        guard let i = fieldIndex(name) else {
            throw ClientError(.failed, "batch has no field '\(name)'; it has \(header.fields.map(\.name))")
        }
        guard header.fields[i].dtype == T.dtype else {
            throw ClientError(.failed, "field '\(name)' is \(header.fields[i].dtype), not \(T.dtype)")
        }
        return try frames[i].withUnsafeBytes { raw in
            // libzmq packs small frames into a shared receive buffer at any offset: view in place when aligned,
            // else read through an aligned copy.
            if let base = raw.baseAddress, Int(bitPattern: base) % MemoryLayout<T>.alignment == 0 {
                return try raw.withMemoryRebound(to: T.self) { try body($0) }
            }
            let count = raw.count / MemoryLayout<T>.stride
            let copy = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0, let dst = buffer.baseAddress, let src = raw.baseAddress {
                    UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * MemoryLayout<T>.stride)
                }
                initialized = count
            }
            return try copy.withUnsafeBufferPointer { try body($0) }
        }
    }

    /// Field `name` copied into an array.
    public func field<T: FieldElement>(_ name: String, as type: T.Type) throws -> [T] {
        try withField(name, as: type) { Array($0) }
    }

    /// The value of parameter `name` for sample `index`.
    public func parameter(_ name: String, sample index: Int) -> Double? {
        guard let j = header.parameterNames.firstIndex(of: name) else { return nil }
        return header.parameterValues[index * header.parameterNames.count + j]
    }
}
