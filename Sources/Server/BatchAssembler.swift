import Reservoir
import SluiceModel
import Wire
import ZeroMQ

/// Stacks drawn samples into one BATCH: per field one contiguous frame, `[B, shape...]` when every sample has the
/// same shape and the samples' arrays one after another (ragged) otherwise. This is the one copy on the serving
/// path; it gives a trainer arrays it can use without parsing.
enum BatchAssembler {
    /// Assembles a batch from `drawn` (at least one sample). The field set, dtypes, roles and parameter names are
    /// those of the first sample; the server admits only samples of one schema, so the others match.
    static func assemble(_ drawn: [Drawn<StoredSample>], sequence: UInt64, pool: BatchBufferPool? = nil) throws -> (BatchHeader, [Message]) {
        guard let first = drawn.first?.element.header else {
            throw ConfigurationError("a batch needs at least one sample")
        }
        let entries = drawn.map { d in
            BatchEntry(sampleID: d.id.rawValue, member: d.element.header.member, attempt: d.element.header.attempt,
                       flags: d.element.header.flags, step: d.element.header.step, time: d.element.header.time,
                       serveCount: UInt32(clamping: d.serveCount))
        }
        let names = first.parameters.map(\.name)
        var values: [Double] = []
        values.reserveCapacity(drawn.count * names.count)
        for d in drawn {
            let params = d.element.header.parameters
            if params.map(\.name) == names {
                values.append(contentsOf: params.map(\.value))
            } else {
                for n in names { values.append(d.element.header.parameter(named: n) ?? .nan) }
            }
        }
        var fields: [BatchField] = []
        var frames: [Message] = []
        for (index, descriptor) in first.fields.enumerated() {
            let shapes = drawn.map { $0.element.header.fields[index].shape }
            let uniform = shapes.allSatisfy { $0 == descriptor.shape }
            let field = BatchField(name: descriptor.name, dtype: descriptor.dtype, role: descriptor.role,
                                   shapes: uniform ? .uniform(descriptor.shape) : .ragged(shapes))
            let total = drawn.reduce(0) { $0 + $1.element.payload[index].count }
            let frame = try pool?.message(count: total) ?? Message(count: total)
            frame.withUnsafeMutableBytes { out in
                var offset = 0
                for d in drawn {
                    d.element.payload[index].withUnsafeBytes { src in
                        if let base = src.baseAddress, src.count > 0, let dst = out.baseAddress {
                            (dst + offset).copyMemory(from: base, byteCount: src.count)
                        }
                        offset += src.count
                    }
                }
            }
            fields.append(field)
            frames.append(frame)
        }
        let header = BatchHeader(sequence: sequence, geometry: first.geometry, spatialDims: first.spatialDims,
                                 bounds: first.bounds, entries: entries, parameterNames: names,
                                 parameterValues: values, fields: fields)
        return (header, frames)
    }
}
