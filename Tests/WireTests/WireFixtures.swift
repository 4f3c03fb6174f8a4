import SluiceModel
import TestSupport
@testable import Wire

/// One golden message: its file name (without .bin), what it holds, and its frames. A fixture with
/// `expectedError` is invalid on purpose and must be rejected with that code.
struct WireFixture {
    var name: String
    var description: String
    var frames: [[UInt8]]
    var expectedError: String? = nil
}

let codec = WireCodec()

func control(_ m: WireMessage<[UInt8]>) -> [[UInt8]] {
    (try? codec.encode(m)) ?? []
}

func sampleFrames(_ header: SampleHeader, _ payload: [[UInt8]]) -> [[UInt8]] {
    control(.sample(header, payload: payload))
}

/// Values that encode their position, so a decoder reading the wrong offset sees the wrong numbers.
func ramp<T: BinaryFloatingPoint>(_ n: Int, _ scale: T) -> [T] { (0..<n).map { T($0) * scale } }

let allFixtures: [WireFixture] = validFixtures + invalidFixtures

let validFixtures: [WireFixture] = makeValidFixtures()

let threeEntries: [BatchEntry] = (0..<3).map { (i: Int) -> BatchEntry in
    BatchEntry(sampleID: UInt64(10 + i), member: UInt64(i), attempt: 0, step: UInt64(100 * i), time: Double(i) * 0.5,
               serveCount: UInt32(i + 1))
}

func makeValidFixtures() -> [WireFixture] {
    var list: [WireFixture] = []
    list.append(WireFixture(name: "hello_solver", description: "HELLO from a solver: study, member 3, attempt 1, sample_bytes",
                frames: control(.hello(Hello(role: .solver, peer: "ns2d/member-3", capabilities: ["mesh"], study: "ns2d-fno",
                                             member: 3, attempt: 1, sampleBytes: 65536)))))
    list.append(WireFixture(name: "hello_trainer", description: "HELLO from a trainer: group 'fno', rank 1 of 2, batch 32",
                frames: control(.hello(Hello(role: .trainer, peer: "trainer-1", capabilities: ["ragged-batch"],
                                             group: "fno", rank: 1, worldSize: 2, batchSize: 32)))))
    list.append(WireFixture(name: "hello_admin", description: "HELLO from an admin tool (sluice status)",
                frames: control(.hello(Hello(role: .admin, peer: "sluice status")))))
    list.append(WireFixture(name: "ready", description: "READY with heartbeat 1000 ms, 1 GiB frame limit, two accepted steps",
                frames: control(.ready(Ready(server: "sluice@node1", session: "s-000042", heartbeatMs: 1000,
                                             maxFrameBytes: 1 << 30, acceptedSteps: [0, 10])))))
    list.append(WireFixture(name: "credit_samples", description: "CREDIT server -> solver: 8 more samples",
                frames: control(.credit(Credit(samples: 8)))))
    list.append(WireFixture(name: "credit_batches", description: "CREDIT trainer -> server: 4 more batches (prefetch 4)",
                frames: control(.credit(Credit(batches: 4)))))
    list.append(WireFixture(name: "heartbeat", description: "HEARTBEAT (frame 0 only)", frames: control(.heartbeat)))
    list.append(WireFixture(name: "bye", description: "BYE from a solver that finished its member",
                frames: control(.bye(Bye(reason: "done")))))
    list.append(WireFixture(name: "error", description: "ERROR for a duplicate sample, member 3 step 10, not fatal",
                frames: control(.error(ErrorReport(code: "duplicate", message: "member 3 step 10 was already accepted",
                                                   fatal: false, member: 3, step: 10)))))
    list.append(WireFixture(name: "status_request", description: "STATUS request with an empty JSON object",
                frames: control(.status(.request))))
    list.append(WireFixture(name: "status_reply", description: "STATUS reply (a JSON object kept verbatim)",
                frames: control(.status(StatusBody(json: Array(#"{"reservoir":{"bytes":1024,"capacity_bytes":4096},"samples_in":3}"#.utf8))))))
    list.append(WireFixture(name: "sample_grid_f32", description: "SAMPLE on a 2-D uniform grid [0,1]^2: one f32 field 4x3 (values 0,0.5,1,...), parameter nu=0.001",
                frames: sampleFrames(SampleHeader(member: 7, attempt: 0, step: 120, time: 0.012, geometry: .uniformGrid, spatialDims: 2,
                                                  bounds: [AxisBounds(lower: 0, upper: 1), AxisBounds(lower: 0, upper: 1)],
                                                  parameters: [Parameter("nu", 0.001)],
                                                  fields: [FieldDescriptor(name: "vorticity", dtype: .float32, shape: [4, 3])]),
                                     [littleEndianBytes(ramp(12, Float(0.5)))])))
    list.append(WireFixture(name: "sample_all_dtypes", description: "SAMPLE with one field of each dtype (f32 [2], f64 [2,2], i32 [3], i64 [], u8 [5]) and the final flag",
                frames: sampleFrames(SampleHeader(member: 1, attempt: 2, step: 99, time: 9.9, flags: .final,
                                                  fields: [FieldDescriptor(name: "a_f32", dtype: .float32, shape: [2]),
                                                           FieldDescriptor(name: "b_f64", dtype: .float64, shape: [2, 2]),
                                                           FieldDescriptor(name: "c_i32", dtype: .int32, shape: [3]),
                                                           FieldDescriptor(name: "d_i64", dtype: .int64, shape: []),
                                                           FieldDescriptor(name: "e_u8", dtype: .uint8, shape: [5])]),
                                     [littleEndianBytes([Float(1.5), -2.25]), littleEndianBytes([1.0, 2.0, 3.0, -4.0]),
                                      littleEndianBytes([Int32(-1), 0, 1]), littleEndianBytes([Int64.max]), [0, 1, 2, 254, 255]])))
    list.append(WireFixture(name: "sample_stretched", description: "SAMPLE on a 2-D stretched grid: axis fields x [3] and y [4] (f64), field u f64 [3,4]",
                frames: sampleFrames(SampleHeader(member: 0, step: 5, time: 0.5, geometry: .stretchedGrid, spatialDims: 2,
                                                  bounds: [AxisBounds(lower: 0, upper: 12.566370614359172), AxisBounds(lower: -1, upper: 1)],
                                                  fields: [FieldDescriptor(name: "x", dtype: .float64, shape: [3], role: .axis),
                                                           FieldDescriptor(name: "y", dtype: .float64, shape: [4], role: .axis),
                                                           FieldDescriptor(name: "u", dtype: .float64, shape: [3, 4])]),
                                     [littleEndianBytes([0.0, 4.0, 8.0]), littleEndianBytes([-1.0, -0.5, 0.5, 1.0]),
                                      littleEndianBytes(ramp(12, 0.25))])))
    list.append(WireFixture(name: "sample_mesh", description: "SAMPLE on a triangle mesh: 4 vertices f64 [4,2], 2 triangles i32 [2,3], edges i32 [5,2], per-vertex h f64 [4], per-triangle area f64 [2], parameters amplitude and x0",
                frames: sampleFrames(SampleHeader(member: 12, attempt: 0, step: 3, time: 30, geometry: .triangleMesh, spatialDims: 2,
                                                  parameters: [Parameter("amplitude", 2.5), Parameter("x0", -0.25)],
                                                  fields: [FieldDescriptor(name: "coords", dtype: .float64, shape: [4, 2], role: .vertices),
                                                           FieldDescriptor(name: "cells", dtype: .int32, shape: [2, 3], role: .triangles),
                                                           FieldDescriptor(name: "edges", dtype: .int32, shape: [5, 2], role: .edges),
                                                           FieldDescriptor(name: "h", dtype: .float64, shape: [4]),
                                                           FieldDescriptor(name: "area", dtype: .float64, shape: [2], role: .cellData)]),
                                     [littleEndianBytes([0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0]), littleEndianBytes([Int32(0), 1, 2, 0, 2, 3]),
                                      littleEndianBytes([Int32(0), 1, 1, 2, 2, 0, 2, 3, 3, 0]), littleEndianBytes([1.0, 1.1, 1.2, 1.3]),
                                      littleEndianBytes([0.5, 0.5])])))
    list.append(WireFixture(name: "sample_no_fields", description: "SAMPLE with no fields (a heartbeat-like progress marker) at step 0",
                frames: sampleFrames(SampleHeader(member: 2, step: 0, time: 0, fields: []), [])))
    list.append(WireFixture(name: "sample_empty_field", description: "SAMPLE with a zero-length field (shape [0]): an empty payload frame",
                frames: sampleFrames(SampleHeader(member: 2, step: 1, time: 0.1, fields: [FieldDescriptor(name: "gauges", dtype: .float64, shape: [0], role: .auxiliary)]), [[]])))
    list.append(WireFixture(name: "sample_long_unicode_name", description: "SAMPLE whose field name is 255 UTF-8 bytes (the limit), including non-ASCII characters",
                frames: sampleFrames(SampleHeader(member: 4, step: 2, time: 0.2, fields: [FieldDescriptor(name: longName, dtype: .uint8, shape: [1])]), [[42]])))
    list.append(WireFixture(name: "batch_uniform", description: "BATCH of 3 samples on a 2x2 grid: field w f32 [3,2,2], parameter nu per sample",
                frames: control(.batch(BatchHeader(sequence: 5, geometry: .uniformGrid, spatialDims: 2,
                                                   bounds: [AxisBounds(lower: 0, upper: 1), AxisBounds(lower: 0, upper: 1)],
                                                   entries: threeEntries,
                                                   parameterNames: ["nu"], parameterValues: [1e-3, 1e-4, 1e-5],
                                                   fields: [BatchField(name: "w", dtype: .float32, shapes: .uniform([2, 2]))]),
                                       payload: [littleEndianBytes(ramp(12, Float(1)))]))))
    list.append(WireFixture(name: "batch_ragged_mesh", description: "BATCH of 2 mesh samples of different sizes (3 and 4 vertices): ragged coords f64 and per-vertex h f32",
                frames: control(.batch(BatchHeader(sequence: 0, geometry: .triangleMesh, spatialDims: 2,
                                                   entries: [BatchEntry(sampleID: 1, member: 0, attempt: 0, step: 0, time: 0, serveCount: 1),
                                                             BatchEntry(sampleID: 2, member: 1, attempt: 0, step: 0, time: 0, serveCount: 1)],
                                                   fields: [BatchField(name: "coords", dtype: .float64, role: .vertices, shapes: .ragged([[3, 2], [4, 2]])),
                                                            BatchField(name: "h", dtype: .float32, shapes: .ragged([[3], [4]]))]),
                                       payload: [littleEndianBytes(ramp(14, 0.5)), littleEndianBytes(ramp(7, Float(2)))]))))
    list.append(WireFixture(name: "samples_two", description: "SAMPLES: member 5's steps 3 and 4 in one message, each one f32 field u of 4 values",
                frames: control(.samples(twoSamples))))
    return list
}

/// Two small samples of member 5 (steps 3 and 4), for the SAMPLES fixtures.
let twoSamples: [(SampleHeader, payload: [[UInt8]])] = (3...4).map { (step: Int) in
    (SampleHeader(member: 5, step: UInt64(step), time: Double(step) * 0.25,
                  fields: [FieldDescriptor(name: "u", dtype: .float32, shape: [4])]),
     payload: [littleEndianBytes(ramp(4, Float(step)))])
}
/// 85 three-byte characters = 255 UTF-8 bytes.
let longName = String(repeating: "\u{2207}", count: 85)

func replacing(_ frames: [[UInt8]], frame: Int, at index: Int, with bytes: [UInt8]) -> [[UInt8]] {
    var out = frames
    out[frame].replaceSubrange(index..<(index + bytes.count), with: bytes)
    return out
}

let gridSample = validFixtures[11].frames

let invalidFixtures: [WireFixture] = makeInvalidFixtures()

func makeInvalidFixtures() -> [WireFixture] {
    var list: [WireFixture] = []
    list.append(WireFixture(name: "invalid_version", description: "frame 0 with protocol version 2", frames: replacing(control(.heartbeat), frame: 0, at: 6, with: [2]),
                expectedError: "unsupported-version"))
    list.append(WireFixture(name: "invalid_protocol", description: "frame 0 that is not 'SLUICE'", frames: [Array("MDPW01\u{1}\u{1}".utf8)], expectedError: "bad-protocol"))
    list.append(WireFixture(name: "invalid_command", description: "unknown command byte 0x7f", frames: [Envelope.protocolID + [1, 0x7f]], expectedError: "unknown-command"))
    list.append(WireFixture(name: "invalid_truncated_header", description: "SAMPLE header cut after 20 bytes",
                frames: [gridSample[0], Array(gridSample[1].prefix(20)), gridSample[2]], expectedError: "truncated"))
    list.append(WireFixture(name: "invalid_frame_size", description: "SAMPLE whose field frame has 4 bytes fewer than its shape says",
                frames: [gridSample[0], gridSample[1], Array(gridSample[2].dropLast(4))], expectedError: "frame-size"))
    list.append(WireFixture(name: "invalid_missing_frame", description: "SAMPLE that declares one field but carries no payload frame",
                frames: [gridSample[0], gridSample[1]], expectedError: "frame-count"))
    list.append(WireFixture(name: "invalid_dtype", description: "SAMPLE whose field has dtype byte 9",
                frames: replacing(gridSample, frame: 1, at: 40 + 32 + 1 + 2 + 8 + 1 + 9, with: [9]), expectedError: "invalid-value"))
    list.append(WireFixture(name: "invalid_trailing", description: "SAMPLE header with 3 extra bytes at the end",
                frames: [gridSample[0], gridSample[1] + [0, 0, 0], gridSample[2]], expectedError: "trailing-bytes"))
    list.append(WireFixture(name: "invalid_samples_count", description: "SAMPLES whose count frame says 3 but which carries 2 samples",
                frames: replacing(control(.samples(twoSamples)), frame: 1, at: 0, with: [3]), expectedError: "frame-count"))
    list.append(WireFixture(name: "invalid_hello_body", description: "HELLO whose body lacks the role",
                frames: [Envelope.frame(.hello), Array(#"{"peer":"x","protocol_version":1,"capabilities":[]}"#.utf8)], expectedError: "bad-body"))
    return list
}