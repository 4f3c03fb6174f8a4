"""The golden wire fixtures (schemas/wire/fixtures), shared with the Swift tests: every valid one decodes to the
values it was made from and re-encodes byte for byte; every invalid one is rejected with its manifest code; the
encoder built from the spec produces exactly the fixture bytes."""

import math
import os
import struct

import numpy as np
import pytest

from conftest import FIXTURES, manifest
from sluice import wire
from sluice.batch import Batch
from sluice.control import Bye, Credit, ErrorReport, Hello, Ready, Status, canonical_json
from sluice.errors import WireError
from sluice.headers import encode_batch_header, encode_sample_header
from sluice.model import (AxisBounds, BatchField, BatchHeader, DType, FieldDescriptor, FieldRole, Geometry,
                          Parameter, SampleFlags, SampleHeader, WireLimits, make_entries)
from sluice.wire import Command, Message

VALID = [e for e in manifest() if e["valid"]]
INVALID = [e for e in manifest() if not e["valid"]]


def frames_of(name):
    return wire.read_frame_file(os.path.join(FIXTURES, name))


def as_bytes(frames):
    return [bytes(wire.frame_view(f)) for f in frames]


def test_manifest_lists_every_fixture_file():
    on_disk = sorted(f for f in os.listdir(FIXTURES) if f.endswith(".bin"))
    assert sorted(e["file"] for e in manifest()) == on_disk
    assert len(VALID) == 21 and len(INVALID) == 10


@pytest.mark.parametrize("entry", VALID, ids=lambda e: e["file"])
def test_valid_fixture_round_trips_byte_for_byte(entry):
    frames = frames_of(entry["file"])
    message = wire.decode(frames)
    assert message.command.name == entry["command"]
    assert as_bytes(wire.encode(message)) == frames


@pytest.mark.parametrize("entry", INVALID, ids=lambda e: e["file"])
def test_invalid_fixture_is_rejected_with_its_code(entry):
    with pytest.raises(WireError) as caught:
        wire.decode(frames_of(entry["file"]))
    assert caught.value.code == entry["error"], str(caught.value)


def test_sample_grid_values():
    m = wire.decode(frames_of("sample_grid_f32.bin"))
    h = m.body
    assert (h.member, h.attempt, h.step, h.time, h.flags) == (7, 0, 120, 0.012, 0)
    assert h.geometry == Geometry.UNIFORM_GRID and h.spatial_dims == 2
    assert h.bounds == [AxisBounds(0.0, 1.0), AxisBounds(0.0, 1.0)]
    assert h.parameters == [Parameter("nu", 0.001)]
    assert h.fields == [FieldDescriptor("vorticity", DType.F32, (4, 3), FieldRole.DATA)]
    values = np.frombuffer(m.payload[0], dtype="<f4")
    assert values.tolist() == [i * 0.5 for i in range(12)]


def test_sample_all_dtypes_values():
    h, payload = wire.decode(frames_of("sample_all_dtypes.bin"))[1:]
    assert (h.member, h.attempt, h.step, h.time) == (1, 2, 99, 9.9)
    assert h.flags == SampleFlags.FINAL and h.geometry == Geometry.NONE and h.bounds == []
    assert [(f.name, f.dtype, f.shape) for f in h.fields] == [
        ("a_f32", DType.F32, (2,)), ("b_f64", DType.F64, (2, 2)), ("c_i32", DType.I32, (3,)),
        ("d_i64", DType.I64, ()), ("e_u8", DType.U8, (5,))]
    decoded = [np.frombuffer(p, dtype=f.dtype.numpy).reshape(f.shape) for f, p in zip(h.fields, payload)]
    assert decoded[0].tolist() == [1.5, -2.25]
    assert decoded[1].tolist() == [[1.0, 2.0], [3.0, -4.0]]
    assert decoded[2].tolist() == [-1, 0, 1]
    assert decoded[3].item() == 2**63 - 1
    assert decoded[4].tolist() == [0, 1, 2, 254, 255]


def test_sample_stretched_and_mesh_values():
    h, payload = wire.decode(frames_of("sample_stretched.bin"))[1:]
    assert h.geometry == Geometry.STRETCHED_GRID
    assert h.bounds == [AxisBounds(0.0, 12.566370614359172), AxisBounds(-1.0, 1.0)]
    assert [(f.name, f.role) for f in h.fields] == [("x", FieldRole.AXIS), ("y", FieldRole.AXIS),
                                                     ("u", FieldRole.DATA)]
    assert np.frombuffer(payload[1], "<f8").tolist() == [-1.0, -0.5, 0.5, 1.0]
    assert np.frombuffer(payload[2], "<f8").tolist() == [i * 0.25 for i in range(12)]

    h, payload = wire.decode(frames_of("sample_mesh.bin"))[1:]
    assert (h.member, h.step, h.time, h.geometry, h.spatial_dims) == (12, 3, 30.0, Geometry.TRIANGLE_MESH, 2)
    assert h.parameters == [Parameter("amplitude", 2.5), Parameter("x0", -0.25)]
    assert [(f.name, f.role, f.shape) for f in h.fields] == [
        ("coords", FieldRole.VERTICES, (4, 2)), ("cells", FieldRole.TRIANGLES, (2, 3)),
        ("edges", FieldRole.EDGES, (5, 2)), ("h", FieldRole.DATA, (4,)), ("area", FieldRole.CELL_DATA, (2,))]
    assert np.frombuffer(payload[1], "<i4").reshape(2, 3).tolist() == [[0, 1, 2], [0, 2, 3]]


def test_sample_edge_cases_values():
    h, payload = wire.decode(frames_of("sample_no_fields.bin"))[1:]
    assert (h.member, h.step, h.fields, list(payload)) == (2, 0, [], [])
    h, payload = wire.decode(frames_of("sample_empty_field.bin"))[1:]
    assert h.fields == [FieldDescriptor("gauges", DType.F64, (0,), FieldRole.AUXILIARY)] and bytes(payload[0]) == b""
    h, payload = wire.decode(frames_of("sample_long_unicode_name.bin"))[1:]
    assert h.fields[0].name == "\u2207" * 85 and len(h.fields[0].name.encode()) == 255
    assert bytes(payload[0]) == b"\x2a"


def test_batch_uniform_values_through_the_batch_view():
    m = wire.decode(frames_of("batch_uniform.bin"))
    b = Batch(m.body, m.payload)
    assert (b.sequence, b.size, b.geometry) == (5, 3, Geometry.UNIFORM_GRID)
    assert b.sample_id.tolist() == [10, 11, 12] and b.member.tolist() == [0, 1, 2]
    assert b.step.tolist() == [0, 100, 200] and b.time.tolist() == [0.0, 0.5, 1.0]
    assert b.serve_count.tolist() == [1, 2, 3] and b.attempt.tolist() == [0, 0, 0]
    assert b.parameters["nu"].tolist() == [1e-3, 1e-4, 1e-5]
    w = b["w"]
    assert w.dtype == np.dtype("<f4") and w.shape == (3, 2, 2)
    assert w.ravel().tolist() == [float(i) for i in range(12)]
    assert [s.step for s in b.samples] == [0, 100, 200] and b.samples[2].parameters == {"nu": 1e-5}


def test_batch_ragged_values_through_the_batch_view():
    m = wire.decode(frames_of("batch_ragged_mesh.bin"))
    b = Batch(m.body, m.payload)
    assert b.geometry == Geometry.TRIANGLE_MESH and b.role("coords") == FieldRole.VERTICES
    coords, h = b["coords"], b["h"]
    assert [c.shape for c in coords] == [(3, 2), (4, 2)] and [x.shape for x in h] == [(3,), (4,)]
    assert np.concatenate([c.ravel() for c in coords]).tolist() == [i * 0.5 for i in range(14)]
    assert np.concatenate(h).tolist() == [i * 2.0 for i in range(7)]


def test_control_bodies_values():
    hello = wire.decode(frames_of("hello_trainer.bin")).body
    assert hello == Hello(role="trainer", peer="trainer-1", capabilities=["ragged-batch"], group="fno", rank=1,
                          world_size=2, batch_size=32)
    assert frames_of("hello_trainer.bin")[1] == (b'{"batch_size":32,"capabilities":["ragged-batch"],"group":"fno",'
                                                 b'"peer":"trainer-1","protocol_version":1,"rank":1,"role":"trainer",'
                                                 b'"world_size":2}')
    solver = wire.decode(frames_of("hello_solver.bin")).body
    assert (solver.role, solver.study, solver.member, solver.attempt, solver.sample_bytes) == (
        "solver", "ns2d-fno", 3, 1, 65536)
    ready = wire.decode(frames_of("ready.bin")).body
    assert ready == Ready(server="sluice@node1", session="s-000042", heartbeat_ms=1000, max_frame_bytes=1 << 30,
                          accepted_steps=[0, 10])
    assert wire.decode(frames_of("credit_samples.bin")).body == Credit(samples=8)
    assert wire.decode(frames_of("bye.bin")).body == Bye("done")
    assert wire.decode(frames_of("error.bin")).body == ErrorReport(
        code="duplicate", message="member 3 step 10 was already accepted", fatal=False, member=3, step=10)
    assert wire.decode(frames_of("status_reply.bin")).body.to_dict() == {
        "reservoir": {"bytes": 1024, "capacity_bytes": 4096}, "samples_in": 3}


def test_encoder_from_values_produces_the_fixture_bytes():
    """Built independently from the values in fixtures/README.md, so an offset error in the encoder and decoder
    alike cannot hide behind a round trip."""
    grid = SampleHeader(member=7, step=120, time=0.012, geometry=Geometry.UNIFORM_GRID, spatial_dims=2,
                        bounds=[(0.0, 1.0), (0.0, 1.0)], parameters=[Parameter("nu", 0.001)],
                        fields=[FieldDescriptor("vorticity", DType.F32, (4, 3))])
    ramp = (np.arange(12, dtype="<f4") * 0.5).tobytes()
    assert as_bytes(wire.encode(Message(Command.SAMPLE, grid, [ramp]))) == frames_of("sample_grid_f32.bin")

    batch = BatchHeader(sequence=5, geometry=Geometry.UNIFORM_GRID, spatial_dims=2, bounds=[(0, 1), (0, 1)],
                        entries=make_entries(sample_id=[10, 11, 12], member=[0, 1, 2], step=[0, 100, 200],
                                             time=[0.0, 0.5, 1.0], serve_count=[1, 2, 3]),
                        parameter_names=["nu"], parameter_values=np.array([[1e-3], [1e-4], [1e-5]]),
                        fields=[BatchField("w", DType.F32, 2, shape=(2, 2))])
    payload = np.arange(12, dtype="<f4").tobytes()
    assert as_bytes(wire.encode(Message(Command.BATCH, batch, [payload]))) == frames_of("batch_uniform.bin")

    ragged = BatchHeader(sequence=0, geometry=Geometry.TRIANGLE_MESH, spatial_dims=2,
                         entries=make_entries(sample_id=[1, 2], member=[0, 1], step=[0, 0], time=[0, 0],
                                              serve_count=[1, 1]),
                         fields=[BatchField("coords", DType.F64, 2, FieldRole.VERTICES, shapes=[(3, 2), (4, 2)]),
                                 BatchField("h", DType.F32, 1, shapes=[(3,), (4,)])])
    assert encode_batch_header(ragged) == frames_of("batch_ragged_mesh.bin")[1]

    hello = Hello(role="solver", peer="ns2d/member-3", capabilities=["mesh"], study="ns2d-fno", member=3, attempt=1,
                  sample_bytes=65536)
    assert wire.encode(Message(Command.HELLO, hello)) == frames_of("hello_solver.bin")
    assert wire.encode(Message(Command.HEARTBEAT)) == frames_of("heartbeat.bin")
    assert wire.encode(Message(Command.STATUS, Status())) == frames_of("status_request.bin")


def test_canonical_json_string_escapes_match_the_swift_encoder():
    # Bytes recorded from Swift's JSONEncoder([.sortedKeys, .withoutEscapingSlashes]) for the same string
    # (PROTOCOL.md section 4): short escapes for \b \f \n \r \t, \u00xx (lower-case hex) for other C0 controls,
    # everything else (DEL, U+2028, non-ASCII) as raw UTF-8, "/" unescaped.
    text = "x\u0001\u001f\n\t\"\\/\u00e9\u007f\u2028\b\f\r"
    swift = bytes([123, 34, 97, 34, 58, 34, 120, 92, 117, 48, 48, 48, 49, 92, 117, 48, 48, 49, 102, 92, 110, 92,
                   116, 92, 34, 92, 92, 47, 195, 169, 127, 226, 128, 168, 92, 98, 92, 102, 92, 114, 34, 125])
    assert canonical_json({"a": text}) == swift
    assert canonical_json({"b": None, "a": 1}) == b'{"a":1}'


@pytest.mark.parametrize("header,code", [
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("", DType.F32, (1,))]), "invalid-value"),
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("a" * 256, DType.F32, (1,))]), "limit-exceeded"),
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("a", DType.F32, (1,) * 9)]), "limit-exceeded"),
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("a", DType.F32, (-1,))]), "invalid-value"),
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("a", DType.F32, (1,)), FieldDescriptor("a", DType.F32, (1,))]),
     "invalid-value"),
    (SampleHeader(0, 0, 0.0, [], geometry=Geometry.UNIFORM_GRID, spatial_dims=2), "invalid-value"),
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("v", DType.F64, (3, 2), FieldRole.VERTICES),
                              FieldDescriptor("t", DType.I32, (1, 3), FieldRole.TRIANGLES),
                              FieldDescriptor("h", DType.F64, (4,))],
                  geometry=Geometry.TRIANGLE_MESH, spatial_dims=2), "invalid-value"),
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("u", DType.F64, (3,))], geometry=Geometry.STRETCHED_GRID,
                  spatial_dims=1, bounds=[AxisBounds(0, 1)]), "invalid-value"),
    (SampleHeader(-1, 0, 0.0, []), "invalid-value"),
    (SampleHeader(0, 0, 0.0, [FieldDescriptor("big", DType.U8, (1 << 31,))]), "invalid-value"),
])
def test_encoder_refuses_headers_that_break_the_rules(header, code):
    with pytest.raises(WireError) as caught:
        encode_sample_header(header)
    assert caught.value.code == code


def test_frame_limit_is_enforced_by_the_decoder():
    header = SampleHeader(0, 0, 0.0, [FieldDescriptor("big", DType.F64, (1000,))])
    frames = [wire.envelope(Command.SAMPLE), encode_sample_header(header), bytes(8000)]
    with pytest.raises(WireError) as caught:
        wire.decode(frames, WireLimits(max_frame_bytes=1000))
    assert caught.value.code == "limit-exceeded"
    assert wire.decode(frames).body.fields[0].shape == (1000,)


def test_overflowing_shapes_are_invalid_like_swift_int_arithmetic():
    # (2^31-1)^3 overflows a signed 64-bit count at the third dimension even though a later 0 makes the product 0:
    # the Swift decoder checks step by step, so the Python decoder must reject it too.
    d = (1 << 31) - 1
    fixed = struct.pack("<QIIQdBBHHH", 0, 0, 0, 0, 0.0, 0, 0, 0, 1, 0)
    assert len(fixed) == 40
    field = bytes([1]) + b"a" + bytes([DType.U8, FieldRole.DATA, 4, 0]) + struct.pack("<4Q", d, d, d, 0)
    frame = fixed + field
    with pytest.raises(WireError) as caught:
        wire.decode([wire.envelope(Command.SAMPLE), frame, b""])
    assert caught.value.code == "invalid-value" and "overflow" in caught.value.message
    # A zero first keeps every partial product at 0: valid, an empty payload.
    zero_first = fixed + field[:6] + struct.pack("<4Q", 0, d, d, d)
    assert wire.decode([wire.envelope(Command.SAMPLE), zero_first, b""]).body.fields[0].shape == (0, d, d, d)


def test_control_body_type_and_range_errors_are_bad_body():
    def hello(body: bytes):
        return wire.decode([wire.envelope(Command.HELLO), body])

    for body in [b"[]", b"{", b'{"role":"pilot","protocol_version":1,"peer":"x","capabilities":[]}',
                 b'{"role":"solver","protocol_version":true,"peer":"x","capabilities":[]}',
                 b'{"role":"solver","protocol_version":1,"peer":"x","capabilities":[],"member":-1}',
                 b'{"role":"solver","protocol_version":1,"peer":"x","capabilities":[],"attempt":4294967296}',
                 b'{"role":"solver","protocol_version":NaN,"peer":"x","capabilities":[]}',
                 b"\xff\xfe{}", b"[" * 100000 + b"]" * 100000]:
        with pytest.raises(WireError) as caught:
            hello(body)
        assert caught.value.code == "bad-body", body[:40]
    ok = hello(b'{"capabilities":[],"peer":"x","protocol_version":1,"role":"admin","unknown":{"k":[1]}}').body
    assert ok.role == "admin" and ok.group is None
    # Integral numbers are integers (as Swift's JSONDecoder reads them); fractions are not.
    assert hello(b'{"capabilities":[],"peer":"x","protocol_version":1.0,"role":"admin","rank":2e0}').body.rank == 2
    with pytest.raises(WireError, match="bad-body"):
        hello(b'{"capabilities":[],"peer":"x","protocol_version":1.5,"role":"admin"}')
    assert not math.isnan(0.0)


def test_samples_values():
    m = wire.decode(frames_of("samples_two.bin"))
    assert m.command == Command.SAMPLES and m.payload == ()
    assert [(h.member, h.step, h.time) for h, _ in m.body] == [(5, 3, 0.75), (5, 4, 1.0)]
    for h, payload in m.body:
        assert np.frombuffer(bytes(wire.frame_view(payload[0])), "<f4").tolist() == [0.0, h.step, 2.0 * h.step, 3.0 * h.step]
