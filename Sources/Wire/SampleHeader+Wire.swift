import SluiceModel

/// The SAMPLE header (frame 1) layout, version 1. All integers little-endian. See schemas/wire/PROTOCOL.md.
///
/// ```
/// offset size  field
///  0     8     member        u64
///  8     4     attempt       u32
/// 12     4     flags         u32   (bit 0 final, bit 1 non-finite)
/// 16     8     step          u64
/// 24     8     time          f64
/// 32     1     geometry      u8    (0 none, 1 uniform grid, 2 stretched grid, 3 triangle mesh)
/// 33     1     spatial_dims  u8    (0..3)
/// 34     2     n_params      u16
/// 36     2     n_fields      u16
/// 38     2     reserved      u16   (0)
/// 40     16*d  bounds        d x (lower f64, upper f64), only for geometry 1 and 2 (d = spatial_dims)
///  ...         params        n_params x (name_len u8, name, value f64)
///  ...         fields        n_fields x (name_len u8, name, dtype u8, role u8, rank u8, reserved u8,
///                                        rank x dim u64)
/// ```
enum SampleHeaderLayout {
    static let fixedBytes = 40
}

extension SampleHeader {
    /// Checks the header against the protocol's rules and `limits`; the same checks the decoder applies.
    public func validate(limits: WireLimits = .standard) throws(WireError) {
        guard (0...3).contains(spatialDims) else { throw .invalid("spatial_dims \(spatialDims) is not 0 to 3") }
        let gridded = geometry == .uniformGrid || geometry == .stretchedGrid
        guard bounds.count == (gridded ? spatialDims : 0) else {
            throw .invalid("geometry \(geometry.name) with \(spatialDims) dims needs \(gridded ? spatialDims : 0) bounds, got \(bounds.count)")
        }
        guard parameters.count <= limits.maxParameters else { throw .limit("parameter count", parameters.count, max: limits.maxParameters) }
        guard fields.count <= limits.maxFields else { throw .limit("field count", fields.count, max: limits.maxFields) }
        for p in parameters { try Self.checkName(p.name, "parameter name", limits) }
        var names = Set<String>()
        for f in fields {
            try Self.checkName(f.name, "field name", limits)
            guard names.insert(f.name).inserted else { throw .invalid("field '\(f.name)' appears twice") }
            guard f.shape.count <= limits.maxRank else { throw .limit("rank of field '\(f.name)'", f.shape.count, max: limits.maxRank) }
            guard f.shape.allSatisfy({ $0 <= Int(Int32.max) }) else { throw .invalid("field '\(f.name)' has a dimension above 2^31-1: \(f.shape)") }
            guard let bytes = f.byteCount else { throw .invalid("shape \(f.shape) of field '\(f.name)' is negative or overflows") }
            guard bytes <= limits.maxFrameBytes else { throw .limit("bytes of field '\(f.name)'", bytes, max: limits.maxFrameBytes) }
        }
        try validateGeometry()
    }

    static func checkName(_ name: String, _ what: String, _ limits: WireLimits) throws(WireError) {
        let n = name.utf8.count
        guard n > 0 else { throw .invalid("\(what) is empty") }
        guard n <= min(limits.maxNameBytes, 255) else { throw .limit("\(what) '\(name.prefix(32))...' length", n, max: min(limits.maxNameBytes, 255)) }
    }

    /// Checks that the fields describe the declared geometry (axes for stretched grids; vertices and triangles
    /// for meshes, with per-vertex fields sized to the vertex count).
    func validateGeometry() throws(WireError) {
        switch geometry {
        case .none, .uniformGrid:
            break
        case .stretchedGrid:
            let axes = fields.filter { $0.role == .axis }
            guard axes.count == spatialDims else {
                throw .invalid("a stretched grid with \(spatialDims) dims needs \(spatialDims) axis fields, got \(axes.count)")
            }
            for a in axes where a.shape.count != 1 || !a.dtype.isFloatingPoint {
                throw .invalid("axis field '\(a.name)' must be a 1-D float array, got \(a.dtype)\(a.shape)")
            }
        case .triangleMesh:
            let vertices = fields.filter { $0.role == .vertices }
            let triangles = fields.filter { $0.role == .triangles }
            guard vertices.count == 1, let v = vertices.first else {
                throw .invalid("a triangle mesh needs exactly one vertices field, got \(vertices.count)")
            }
            guard triangles.count == 1, let t = triangles.first else {
                throw .invalid("a triangle mesh needs exactly one triangles field, got \(triangles.count)")
            }
            guard v.shape.count == 2, v.shape[1] == spatialDims, v.dtype.isFloatingPoint else {
                throw .invalid("vertices field '\(v.name)' must be float [n, \(spatialDims)], got \(v.dtype)\(v.shape)")
            }
            guard t.shape.count == 2, t.shape[1] == 3, !t.dtype.isFloatingPoint else {
                throw .invalid("triangles field '\(t.name)' must be integer [n, 3], got \(t.dtype)\(t.shape)")
            }
            for f in fields where f.role == .data && f.shape.first != v.shape[0] {
                throw .invalid("per-vertex field '\(f.name)' has shape \(f.shape) but the mesh has \(v.shape[0]) vertices")
            }
            for f in fields where f.role == .cellData && f.shape.first != t.shape[0] {
                throw .invalid("per-triangle field '\(f.name)' has shape \(f.shape) but the mesh has \(t.shape[0]) triangles")
            }
            for f in fields where f.role == .edges && (f.shape.count != 2 || f.shape[1] != 2 || f.dtype.isFloatingPoint) {
                throw .invalid("edges field '\(f.name)' must be integer [n, 2], got \(f.dtype)\(f.shape)")
            }
        }
    }

    /// Encodes the header frame. Throws if the header breaks the protocol's rules or `limits`.
    public func encoded(limits: WireLimits = .standard) throws(WireError) -> [UInt8] {
        try validate(limits: limits)
        var w = ByteWriter(capacity: 64 + fields.count * 48 + parameters.count * 24)
        w.u64(member)
        w.u32(attempt)
        w.u32(flags.rawValue)
        w.u64(step)
        w.f64(time)
        w.u8(geometry.rawValue)
        w.u8(UInt8(spatialDims))
        w.u16(UInt16(parameters.count))
        w.u16(UInt16(fields.count))
        w.u16(0)
        for b in bounds {
            w.f64(b.lower)
            w.f64(b.upper)
        }
        for p in parameters {
            w.name(p.name)
            w.f64(p.value)
        }
        for f in fields {
            w.name(f.name)
            w.u8(f.dtype.rawValue)
            w.u8(f.role.rawValue)
            w.u8(UInt8(f.shape.count))
            w.u8(0)
            for d in f.shape { w.u64(UInt64(d)) }
        }
        return w.bytes
    }

    /// Decodes a header frame, applying every check of `validate(limits:)`.
    public init(decoding frame: some WireFrame, limits: WireLimits = .standard) throws(WireError) {
        guard frame.count <= limits.maxHeaderBytes else { throw .limit("SAMPLE header bytes", frame.count, max: limits.maxHeaderBytes) }
        let result: Result<SampleHeader, WireError> = frame.withUnsafeBytes { bytes in
            do throws(WireError) {
                var r = ByteReader(bytes, context: "SAMPLE header")
                return .success(try SampleHeader.read(&r, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
        try validate(limits: limits)
    }

    static func read(_ r: inout ByteReader, limits: WireLimits) throws(WireError) -> SampleHeader {
        let member = try r.u64("member")
        let attempt = try r.u32("attempt")
        let flags = SampleFlags(rawValue: try r.u32("flags"))
        let step = try r.u64("step")
        let time = try r.f64("time")
        let geometry = try readGeometry(&r)
        let dims = Int(try r.u8("spatial_dims"))
        let nParams = Int(try r.u16("n_params"))
        let nFields = Int(try r.u16("n_fields"))
        try r.reserved(UInt16.self, "reserved")
        guard dims <= 3 else { throw .invalid("spatial_dims \(dims) is not 0 to 3") }
        guard nParams <= limits.maxParameters else { throw .limit("parameter count", nParams, max: limits.maxParameters) }
        guard nFields <= limits.maxFields else { throw .limit("field count", nFields, max: limits.maxFields) }
        var bounds: [AxisBounds] = []
        if geometry == .uniformGrid || geometry == .stretchedGrid {
            for _ in 0..<dims {
                bounds.append(AxisBounds(lower: try r.f64("bounds lower"), upper: try r.f64("bounds upper")))
            }
        }
        var parameters: [Parameter] = []
        parameters.reserveCapacity(nParams)
        for _ in 0..<nParams {
            let name = try r.name("parameter name", maxBytes: limits.maxNameBytes)
            parameters.append(Parameter(name, try r.f64("parameter value")))
        }
        var fields: [FieldDescriptor] = []
        fields.reserveCapacity(nFields)
        for _ in 0..<nFields { fields.append(try readField(&r, limits: limits)) }
        try r.finish()
        return SampleHeader(member: member, attempt: attempt, step: step, time: time, flags: flags,
                            geometry: geometry, spatialDims: dims, bounds: bounds, parameters: parameters, fields: fields)
    }

    static func readGeometry(_ r: inout ByteReader) throws(WireError) -> GeometryKind {
        let raw = try r.u8("geometry")
        guard let g = GeometryKind(rawValue: raw) else { throw .invalid("unknown geometry \(raw)") }
        return g
    }

    /// Reads one field descriptor: name, dtype, role, rank, reserved, dims.
    static func readField(_ r: inout ByteReader, limits: WireLimits) throws(WireError) -> FieldDescriptor {
        let (name, dtype, role, rank) = try readFieldPrefix(&r, limits: limits)
        return FieldDescriptor(name: name, dtype: dtype, shape: try readShape(&r, rank: rank, field: name), role: role)
    }

    static func readFieldPrefix(_ r: inout ByteReader, limits: WireLimits) throws(WireError) -> (String, DType, FieldRole, Int) {
        let name = try r.name("field name", maxBytes: limits.maxNameBytes)
        let rawType = try r.u8("dtype of '\(name)'")
        guard let dtype = DType(rawValue: rawType) else { throw .invalid("field '\(name)' has unknown dtype \(rawType)") }
        let rawRole = try r.u8("role of '\(name)'")
        guard let role = FieldRole(rawValue: rawRole) else { throw .invalid("field '\(name)' has unknown role \(rawRole)") }
        let rank = Int(try r.u8("rank of '\(name)'"))
        guard rank <= limits.maxRank else { throw .limit("rank of field '\(name)'", rank, max: limits.maxRank) }
        try r.reserved(UInt8.self, "reserved byte of '\(name)'")
        return (name, dtype, role, rank)
    }

    static func readShape(_ r: inout ByteReader, rank: Int, field: String) throws(WireError) -> [Int] {
        var shape: [Int] = []
        shape.reserveCapacity(rank)
        for _ in 0..<rank {
            let d = try r.u64("dimension of '\(field)'")
            guard d <= UInt64(Int32.max) else { throw .invalid("field '\(field)' has dimension \(d), above 2^31-1") }
            shape.append(Int(d))
        }
        return shape
    }
}
