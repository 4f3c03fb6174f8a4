import SluiceModel
import Testing
@testable import Wire

@Test("the encoder refuses headers that break the protocol's rules")
func encoderRefusesBadHeaders() {
    let bad: [(SampleHeader, String)] = [
        (SampleHeader(member: 0, step: 0, time: 0, fields: [FieldDescriptor(name: "", dtype: .float32, shape: [1])]), "invalid-value"),
        (SampleHeader(member: 0, step: 0, time: 0, fields: [FieldDescriptor(name: String(repeating: "a", count: 256), dtype: .float32, shape: [1])]), "limit-exceeded"),
        (SampleHeader(member: 0, step: 0, time: 0, fields: [FieldDescriptor(name: "a", dtype: .float32, shape: Array(repeating: 1, count: 9))]), "limit-exceeded"),
        (SampleHeader(member: 0, step: 0, time: 0, fields: [FieldDescriptor(name: "a", dtype: .float32, shape: [-1])]), "invalid-value"),
        (SampleHeader(member: 0, step: 0, time: 0, fields: [FieldDescriptor(name: "a", dtype: .float32, shape: [1]), FieldDescriptor(name: "a", dtype: .float32, shape: [1])]), "invalid-value"),
        (SampleHeader(member: 0, step: 0, time: 0, geometry: .uniformGrid, spatialDims: 2, fields: []), "invalid-value"),
        (SampleHeader(member: 0, step: 0, time: 0, geometry: .triangleMesh, spatialDims: 2,
                      fields: [FieldDescriptor(name: "v", dtype: .float64, shape: [3, 2], role: .vertices),
                               FieldDescriptor(name: "t", dtype: .int32, shape: [1, 3], role: .triangles),
                               FieldDescriptor(name: "h", dtype: .float64, shape: [4])]), "invalid-value"),
        (SampleHeader(member: 0, step: 0, time: 0, geometry: .stretchedGrid, spatialDims: 1, bounds: [AxisBounds(lower: 0, upper: 1)],
                      fields: [FieldDescriptor(name: "u", dtype: .float64, shape: [3])]), "invalid-value"),
    ]
    for (header, code) in bad {
        #expect(throws: WireError.self) { _ = try header.encoded() }
        do { _ = try header.encoded() } catch { #expect(error.code.rawValue == code, "\(error)") }
    }
}

@Test("a field larger than the frame limit is refused by the decoder")
func frameLimitEnforced() throws {
    var limits = WireLimits()
    limits.maxFrameBytes = 1000
    let header = SampleHeader(member: 0, step: 0, time: 0, fields: [FieldDescriptor(name: "big", dtype: .float64, shape: [1000])])
    let frames = [Envelope.frame(.sample), try header.encoded(), [UInt8](repeating: 0, count: 8000)]
    #expect(throws: WireError.self) { _ = try WireCodec(limits: limits).decode(frames) }
    #expect(throws: Never.self) { _ = try WireCodec().decode(frames) }
}
