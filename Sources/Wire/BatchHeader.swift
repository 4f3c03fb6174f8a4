import SluiceModel

/// One sample's metadata inside a batch.
public struct BatchEntry: Sendable, Hashable {
    /// The reservoir's identifier of the sample (increasing in arrival order).
    public var sampleID: UInt64
    public var member: UInt64
    public var attempt: UInt32
    public var flags: SampleFlags
    public var step: UInt64
    public var time: Double
    /// How many times this sample had been served, this time included.
    public var serveCount: UInt32

    public init(sampleID: UInt64, member: UInt64, attempt: UInt32, flags: SampleFlags = [], step: UInt64,
                time: Double, serveCount: UInt32) {
        self.sampleID = sampleID
        self.member = member
        self.attempt = attempt
        self.flags = flags
        self.step = step
        self.time = time
        self.serveCount = serveCount
    }
}

/// The shapes of one field across the samples of a batch.
public enum BatchShape: Sendable, Hashable {
    /// Every sample has this shape; the frame is the stacked array [B, shape...].
    case uniform([Int])
    /// Sample i has shape i; the frame is the samples' arrays one after the other (meshes of varying size).
    case ragged([[Int]])
}

/// One field of a batch: its descriptor and its shapes.
public struct BatchField: Sendable, Hashable {
    public var name: String
    public var dtype: DType
    public var role: FieldRole
    public var shapes: BatchShape

    public init(name: String, dtype: DType, role: FieldRole = .data, shapes: BatchShape) {
        self.name = name
        self.dtype = dtype
        self.role = role
        self.shapes = shapes
    }

    /// The rank of each sample's array.
    public var sampleRank: Int {
        switch shapes {
        case .uniform(let s): s.count
        case .ragged(let list): list.first?.count ?? 0
        }
    }

    /// Bytes of the field's frame for `samples` samples, or nil on overflow or negative dims.
    public func frameBytes(samples: Int) -> Int? {
        switch shapes {
        case .uniform(let shape):
            guard let one = FieldDescriptor(name: name, dtype: dtype, shape: shape).byteCount else { return nil }
            let (total, o) = one.multipliedReportingOverflow(by: samples)
            return o ? nil : total
        case .ragged(let list):
            var total = 0
            for shape in list {
                guard let b = FieldDescriptor(name: name, dtype: dtype, shape: shape).byteCount else { return nil }
                let (t, o) = total.addingReportingOverflow(b)
                if o { return nil }
                total = t
            }
            return total
        }
    }
}

/// The BATCH header (frame 1), version 1. See schemas/wire/PROTOCOL.md for the byte layout:
///
/// ```
/// offset size  field
///  0     8     sequence      u64   (this consumer's batch number, from 0)
///  8     4     n_samples     u32
/// 12     2     n_fields      u16
/// 14     2     n_params      u16
/// 16     1     geometry      u8
/// 17     1     spatial_dims  u8
/// 18     6     reserved      (0)
/// 24     16*d  bounds        only for geometry 1 and 2
///  ...   48*B  entries       sample_id u64, member u64, attempt u32, flags u32, step u64, time f64,
///                            serve_count u32, reserved u32
///  ...         param names   n_params x (name_len u8, name)
///  ...   8*B*P param values  f64, sample-major
///  ...         fields        n_fields x (name_len u8, name, dtype u8, role u8, rank u8, ragged u8,
///                            ragged == 0: rank x dim u64; ragged == 1: n_samples x rank x dim u64)
/// ```
public struct BatchHeader: Sendable, Hashable {
    public var sequence: UInt64
    public var geometry: GeometryKind
    public var spatialDims: Int
    public var bounds: [AxisBounds]
    public var entries: [BatchEntry]
    public var parameterNames: [String]
    /// Parameter values, sample-major: value of parameter j for sample i at i * parameterNames.count + j.
    public var parameterValues: [Double]
    public var fields: [BatchField]

    public init(sequence: UInt64, geometry: GeometryKind = .none, spatialDims: Int = 0, bounds: [AxisBounds] = [],
                entries: [BatchEntry], parameterNames: [String] = [], parameterValues: [Double] = [],
                fields: [BatchField]) {
        self.sequence = sequence
        self.geometry = geometry
        self.spatialDims = spatialDims
        self.bounds = bounds
        self.entries = entries
        self.parameterNames = parameterNames
        self.parameterValues = parameterValues
        self.fields = fields
    }

    public var count: Int { entries.count }

    /// Checks the header against the protocol's rules and `limits`.
    public func validate(limits: WireLimits = .standard) throws(WireError) {
        guard (0...3).contains(spatialDims) else { throw .invalid("spatial_dims \(spatialDims) is not 0 to 3") }
        let gridded = geometry == .uniformGrid || geometry == .stretchedGrid
        guard bounds.count == (gridded ? spatialDims : 0) else { throw .invalid("batch bounds do not match its geometry") }
        guard entries.count <= limits.maxBatchSamples else { throw .limit("batch samples", entries.count, max: limits.maxBatchSamples) }
        guard fields.count <= limits.maxFields else { throw .limit("field count", fields.count, max: limits.maxFields) }
        guard parameterNames.count <= limits.maxParameters else { throw .limit("parameter count", parameterNames.count, max: limits.maxParameters) }
        guard parameterValues.count == entries.count * parameterNames.count else {
            throw .invalid("batch has \(parameterValues.count) parameter values for \(entries.count) samples x \(parameterNames.count) parameters")
        }
        for n in parameterNames { try SampleHeader.checkName(n, "parameter name", limits) }
        for f in fields {
            try SampleHeader.checkName(f.name, "field name", limits)
            guard f.sampleRank <= limits.maxRank else { throw .limit("rank of field '\(f.name)'", f.sampleRank, max: limits.maxRank) }
            if case .ragged(let list) = f.shapes {
                guard list.count == entries.count else { throw .invalid("ragged field '\(f.name)' has \(list.count) shapes for \(entries.count) samples") }
                guard list.allSatisfy({ $0.count == f.sampleRank }) else { throw .invalid("ragged field '\(f.name)' mixes ranks") }
            }
            let dims: [Int]
            switch f.shapes {
            case .uniform(let shape): dims = shape
            case .ragged(let list): dims = list.flatMap { $0 }
            }
            guard dims.allSatisfy({ $0 <= Int(Int32.max) }) else { throw .invalid("field '\(f.name)' has a dimension above 2^31-1") }
            guard let bytes = f.frameBytes(samples: entries.count) else { throw .invalid("shape of field '\(f.name)' is negative or overflows") }
            guard bytes <= limits.maxFrameBytes else { throw .limit("bytes of field '\(f.name)'", bytes, max: limits.maxFrameBytes) }
        }
    }

    /// Encodes the header frame.
    public func encoded(limits: WireLimits = .standard) throws(WireError) -> [UInt8] {
        try validate(limits: limits)
        var w = ByteWriter(capacity: 64 + entries.count * (48 + 8 * parameterNames.count) + fields.count * 48)
        w.u64(sequence)
        w.u32(UInt32(entries.count))
        w.u16(UInt16(fields.count))
        w.u16(UInt16(parameterNames.count))
        w.u8(geometry.rawValue)
        w.u8(UInt8(spatialDims))
        w.u16(0)
        w.u32(0)
        for b in bounds {
            w.f64(b.lower)
            w.f64(b.upper)
        }
        for e in entries {
            w.u64(e.sampleID)
            w.u64(e.member)
            w.u32(e.attempt)
            w.u32(e.flags.rawValue)
            w.u64(e.step)
            w.f64(e.time)
            w.u32(e.serveCount)
            w.u32(0)
        }
        for n in parameterNames { w.name(n) }
        for v in parameterValues { w.f64(v) }
        for f in fields {
            w.name(f.name)
            w.u8(f.dtype.rawValue)
            w.u8(f.role.rawValue)
            w.u8(UInt8(f.sampleRank))
            switch f.shapes {
            case .uniform(let shape):
                w.u8(0)
                for d in shape { w.u64(UInt64(d)) }
            case .ragged(let list):
                w.u8(1)
                for shape in list { for d in shape { w.u64(UInt64(d)) } }
            }
        }
        return w.bytes
    }

    /// Decodes a header frame with every check of `validate(limits:)`.
    public init(decoding frame: some WireFrame, limits: WireLimits = .standard) throws(WireError) {
        guard frame.count <= limits.maxHeaderBytes else { throw .limit("BATCH header bytes", frame.count, max: limits.maxHeaderBytes) }
        let result: Result<BatchHeader, WireError> = frame.withUnsafeBytes { bytes in
            do throws(WireError) {
                var r = ByteReader(bytes, context: "BATCH header")
                return .success(try BatchHeader.read(&r, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
        try validate(limits: limits)
    }

    static func read(_ r: inout ByteReader, limits: WireLimits) throws(WireError) -> BatchHeader {
        let sequence = try r.u64("sequence")
        let n = Int(try r.u32("n_samples"))
        let nFields = Int(try r.u16("n_fields"))
        let nParams = Int(try r.u16("n_params"))
        let geometry = try SampleHeader.readGeometry(&r)
        let dims = Int(try r.u8("spatial_dims"))
        try r.reserved(UInt16.self, "reserved")
        try r.reserved(UInt32.self, "reserved")
        guard dims <= 3 else { throw .invalid("spatial_dims \(dims) is not 0 to 3") }
        guard n <= limits.maxBatchSamples else { throw .limit("batch samples", n, max: limits.maxBatchSamples) }
        guard nFields <= limits.maxFields else { throw .limit("field count", nFields, max: limits.maxFields) }
        guard nParams <= limits.maxParameters else { throw .limit("parameter count", nParams, max: limits.maxParameters) }
        // Cheap early check that the declared counts can fit, before reserving memory for them.
        guard n * 48 + n * nParams * 8 <= r.remaining else {
            throw .truncated("BATCH entries", at: r.offset, need: n * 48 + n * nParams * 8, have: r.remaining)
        }
        var bounds: [AxisBounds] = []
        if geometry == .uniformGrid || geometry == .stretchedGrid {
            for _ in 0..<dims { bounds.append(AxisBounds(lower: try r.f64("bounds lower"), upper: try r.f64("bounds upper"))) }
        }
        var entries: [BatchEntry] = []
        entries.reserveCapacity(n)
        for _ in 0..<n {
            let id = try r.u64("sample_id")
            let member = try r.u64("member")
            let attempt = try r.u32("attempt")
            let flags = SampleFlags(rawValue: try r.u32("flags"))
            let step = try r.u64("step")
            let time = try r.f64("time")
            let serve = try r.u32("serve_count")
            try r.reserved(UInt32.self, "entry reserved")
            entries.append(BatchEntry(sampleID: id, member: member, attempt: attempt, flags: flags, step: step,
                                      time: time, serveCount: serve))
        }
        var names: [String] = []
        for _ in 0..<nParams { names.append(try r.name("parameter name", maxBytes: limits.maxNameBytes)) }
        var values: [Double] = []
        values.reserveCapacity(n * nParams)
        for _ in 0..<(n * nParams) { values.append(try r.f64("parameter value")) }
        var fields: [BatchField] = []
        for _ in 0..<nFields {
            let (name, dtype, role, rank) = try readBatchFieldPrefix(&r, limits: limits)
            let ragged = try r.u8("ragged flag of '\(name)'")
            switch ragged {
            case 0:
                fields.append(BatchField(name: name, dtype: dtype, role: role,
                                         shapes: .uniform(try SampleHeader.readShape(&r, rank: rank, field: name))))
            case 1:
                guard n * rank * 8 <= r.remaining else {
                    throw .truncated("shapes of ragged field '\(name)'", at: r.offset, need: n * rank * 8, have: r.remaining)
                }
                var list: [[Int]] = []
                list.reserveCapacity(n)
                for _ in 0..<n { list.append(try SampleHeader.readShape(&r, rank: rank, field: name)) }
                fields.append(BatchField(name: name, dtype: dtype, role: role, shapes: .ragged(list)))
            default:
                throw .invalid("field '\(name)' has ragged flag \(ragged), expected 0 or 1")
            }
        }
        try r.finish()
        return BatchHeader(sequence: sequence, geometry: geometry, spatialDims: dims, bounds: bounds, entries: entries,
                           parameterNames: names, parameterValues: values, fields: fields)
    }

    /// Batch fields share the sample field prefix except that the fourth byte is the ragged flag, read apart.
    static func readBatchFieldPrefix(_ r: inout ByteReader, limits: WireLimits) throws(WireError) -> (String, DType, FieldRole, Int) {
        let name = try r.name("field name", maxBytes: limits.maxNameBytes)
        let rawType = try r.u8("dtype of '\(name)'")
        guard let dtype = DType(rawValue: rawType) else { throw .invalid("field '\(name)' has unknown dtype \(rawType)") }
        let rawRole = try r.u8("role of '\(name)'")
        guard let role = FieldRole(rawValue: rawRole) else { throw .invalid("field '\(name)' has unknown role \(rawRole)") }
        let rank = Int(try r.u8("rank of '\(name)'"))
        guard rank <= limits.maxRank else { throw .limit("rank of field '\(name)'", rank, max: limits.maxRank) }
        return (name, dtype, role, rank)
    }
}
