"""The binary headers of SAMPLE and BATCH messages (frame 1), version 1: encode, decode and validate.

The byte layouts are those of ``schemas/wire/PROTOCOL.md`` sections 5 and 6, implemented from the spec. Decoding
is defensive in the same way as the Swift decoder: every length and count is checked against the bytes that remain
and against :class:`~sluice.model.WireLimits` before anything is allocated, reserved bytes must be zero, and every
failure raises :class:`~sluice.errors.WireError` with the code the Swift decoder would use for the same input.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy as np

from ._bytes import U8, U16, U32, Buffer, ByteReader, ByteWriter
from .errors import WireError
from .model import (
    ENTRY_DTYPE,
    AxisBounds,
    BatchField,
    BatchHeader,
    DType,
    FieldDescriptor,
    FieldRole,
    Geometry,
    Parameter,
    SampleHeader,
    WireLimits,
    byte_count,
)

__all__ = [
    "SAMPLE_FIXED_BYTES",
    "BATCH_FIXED_BYTES",
    "ENTRY_BYTES",
    "encode_sample_header",
    "decode_sample_header",
    "validate_sample_header",
    "encode_batch_header",
    "decode_batch_header",
    "validate_batch_header",
]

#: Bytes before the bounds in a SAMPLE header (PROTOCOL.md section 5).
SAMPLE_FIXED_BYTES = 40
#: Bytes before the bounds in a BATCH header (PROTOCOL.md section 6).
BATCH_FIXED_BYTES = 24
#: Bytes of one batch entry.
ENTRY_BYTES = ENTRY_DTYPE.itemsize
#: Largest dimension of a field's shape (the decoder rejects larger ones).
MAX_DIMENSION = (1 << 31) - 1

_STANDARD = WireLimits()


# MARK: - shared checks

def _check_name(name: object, what: str, limits: WireLimits) -> None:
    if not isinstance(name, str):
        raise WireError.invalid(f"{what} must be a str, got {type(name).__name__}")
    try:
        n = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        raise WireError.invalid(f"{what} {name[:32]!r} cannot be encoded as UTF-8") from None
    if n == 0:
        raise WireError.invalid(f"{what} is empty")
    maximum = min(limits.max_name_bytes, 255)
    if n > maximum:
        raise WireError.limit(f"{what} '{name[:32]}...' length", n, maximum)


def _check_uint(value: object, bits: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= int(value) < (1 << bits):
        raise WireError.invalid(f"{what} {value!r} is not an unsigned {bits}-bit integer")


def _check_shape(shape: Sequence[int], name: str) -> None:
    for d in shape:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 0 <= int(d) <= MAX_DIMENSION:
            raise WireError.invalid(f"shape {tuple(shape)} of field '{name}' has a dimension outside 0...2^31-1")


def _read_geometry(r: ByteReader) -> Geometry:
    raw = r.u8("geometry")
    try:
        return Geometry(raw)
    except ValueError:
        raise WireError.invalid(f"unknown geometry {raw}") from None


def _read_field_prefix(r: ByteReader, limits: WireLimits) -> Tuple[str, DType, FieldRole, int]:
    name = r.name("field name", limits.max_name_bytes)
    raw_type = r.u8(f"dtype of '{name}'")
    try:
        dtype = DType(raw_type)
    except ValueError:
        raise WireError.invalid(f"field '{name}' has unknown dtype {raw_type}") from None
    raw_role = r.u8(f"role of '{name}'")
    try:
        role = FieldRole(raw_role)
    except ValueError:
        raise WireError.invalid(f"field '{name}' has unknown role {raw_role}") from None
    rank = r.u8(f"rank of '{name}'")
    if rank > limits.max_rank:
        raise WireError.limit(f"rank of field '{name}'", rank, limits.max_rank)
    return name, dtype, role, rank


def _read_shape(r: ByteReader, rank: int, name: str) -> Tuple[int, ...]:
    shape = []
    for _ in range(rank):
        d = r.u64(f"dimension of '{name}'")
        if d > MAX_DIMENSION:
            raise WireError.invalid(f"field '{name}' has dimension {d}, above 2^31-1")
        shape.append(d)
    return tuple(shape)


def _read_bounds(r: ByteReader, geometry: Geometry, dims: int) -> List[AxisBounds]:
    if not geometry.has_bounds:
        return []
    return [AxisBounds(r.f64("bounds lower"), r.f64("bounds upper")) for _ in range(dims)]


# MARK: - SAMPLE

def validate_sample_header(h: SampleHeader, limits: WireLimits = _STANDARD) -> None:
    """Checks a SAMPLE header against the protocol's rules and ``limits`` (the checks the decoder applies).
    Raises :class:`WireError`."""
    _check_uint(h.member, 64, "member")
    _check_uint(h.attempt, 32, "attempt")
    _check_uint(int(h.flags), 32, "flags")
    _check_uint(h.step, 64, "step")
    if not 0 <= h.spatial_dims <= 3:
        raise WireError.invalid(f"spatial_dims {h.spatial_dims} is not 0 to 3")
    geometry = Geometry(h.geometry)
    expected = h.spatial_dims if geometry.has_bounds else 0
    if len(h.bounds) != expected:
        raise WireError.invalid(f"geometry {geometry.name.lower()} with {h.spatial_dims} dims needs {expected} "
                                f"bounds, got {len(h.bounds)}")
    if len(h.parameters) > limits.max_parameters:
        raise WireError.limit("parameter count", len(h.parameters), limits.max_parameters)
    if len(h.fields) > limits.max_fields:
        raise WireError.limit("field count", len(h.fields), limits.max_fields)
    for p in h.parameters:
        _check_name(p.name, "parameter name", limits)
    names = set()
    for f in h.fields:
        _check_name(f.name, "field name", limits)
        if f.name in names:
            raise WireError.invalid(f"field '{f.name}' appears twice")
        names.add(f.name)
        if len(f.shape) > limits.max_rank:
            raise WireError.limit(f"rank of field '{f.name}'", len(f.shape), limits.max_rank)
        _check_shape(f.shape, f.name)
        b = byte_count(DType(f.dtype), f.shape)
        if b is None:
            raise WireError.invalid(f"shape {tuple(f.shape)} of field '{f.name}' is negative or overflows")
        if b > limits.max_frame_bytes:
            raise WireError.limit(f"bytes of field '{f.name}'", b, limits.max_frame_bytes)
    _validate_geometry(h)


def _validate_geometry(h: SampleHeader) -> None:
    """The fields must describe the declared geometry (axes of stretched grids; vertices and triangles of
    meshes, with per-vertex and per-triangle fields sized to them)."""
    if h.geometry == Geometry.STRETCHED_GRID:
        axes = [f for f in h.fields if f.role == FieldRole.AXIS]
        if len(axes) != h.spatial_dims:
            raise WireError.invalid(f"a stretched grid with {h.spatial_dims} dims needs {h.spatial_dims} axis "
                                    f"fields, got {len(axes)}")
        for a in axes:
            if len(a.shape) != 1 or not DType(a.dtype).is_float:
                raise WireError.invalid(f"axis field '{a.name}' must be a 1-D float array, got "
                                        f"{DType(a.dtype).name.lower()}{list(a.shape)}")
    elif h.geometry == Geometry.TRIANGLE_MESH:
        vertices = [f for f in h.fields if f.role == FieldRole.VERTICES]
        triangles = [f for f in h.fields if f.role == FieldRole.TRIANGLES]
        if len(vertices) != 1:
            raise WireError.invalid(f"a triangle mesh needs exactly one vertices field, got {len(vertices)}")
        if len(triangles) != 1:
            raise WireError.invalid(f"a triangle mesh needs exactly one triangles field, got {len(triangles)}")
        v, t = vertices[0], triangles[0]
        if len(v.shape) != 2 or v.shape[1] != h.spatial_dims or not DType(v.dtype).is_float:
            raise WireError.invalid(f"vertices field '{v.name}' must be float [n, {h.spatial_dims}], got "
                                    f"{DType(v.dtype).name.lower()}{list(v.shape)}")
        if len(t.shape) != 2 or t.shape[1] != 3 or DType(t.dtype).is_float:
            raise WireError.invalid(f"triangles field '{t.name}' must be integer [n, 3], got "
                                    f"{DType(t.dtype).name.lower()}{list(t.shape)}")
        for f in h.fields:
            first = f.shape[0] if len(f.shape) > 0 else None
            if f.role == FieldRole.DATA and first != v.shape[0]:
                raise WireError.invalid(f"per-vertex field '{f.name}' has shape {list(f.shape)} but the mesh has "
                                        f"{v.shape[0]} vertices")
            if f.role == FieldRole.CELL_DATA and first != t.shape[0]:
                raise WireError.invalid(f"per-triangle field '{f.name}' has shape {list(f.shape)} but the mesh "
                                        f"has {t.shape[0]} triangles")
            if f.role == FieldRole.EDGES and (len(f.shape) != 2 or f.shape[1] != 2 or DType(f.dtype).is_float):
                raise WireError.invalid(f"edges field '{f.name}' must be integer [n, 2], got "
                                        f"{DType(f.dtype).name.lower()}{list(f.shape)}")


def encode_sample_header(h: SampleHeader, limits: WireLimits = _STANDARD) -> bytes:
    """The header frame of a SAMPLE. Raises :class:`WireError` if the header breaks the protocol's rules."""
    validate_sample_header(h, limits)
    w = ByteWriter()
    w.u64(int(h.member))
    w.u32(int(h.attempt))
    w.u32(int(h.flags))
    w.u64(int(h.step))
    w.f64(float(h.time))
    w.u8(int(h.geometry))
    w.u8(h.spatial_dims)
    w.u16(len(h.parameters))
    w.u16(len(h.fields))
    w.u16(0)
    for lower, upper in h.bounds:
        w.f64(float(lower))
        w.f64(float(upper))
    for name, value in h.parameters:
        w.name(name)
        w.f64(float(value))
    for f in h.fields:
        w.name(f.name)
        w.u8(int(f.dtype))
        w.u8(int(f.role))
        w.u8(len(f.shape))
        w.u8(0)
        for d in f.shape:
            w.u64(int(d))
    return w.bytes()


def decode_sample_header(frame: Buffer, limits: WireLimits = _STANDARD) -> SampleHeader:
    """Decodes a SAMPLE header frame with every check of :func:`validate_sample_header`."""
    if len(frame) > limits.max_header_bytes:
        raise WireError.limit("SAMPLE header bytes", len(frame), limits.max_header_bytes)
    r = ByteReader(frame, "SAMPLE header")
    member = r.u64("member")
    attempt = r.u32("attempt")
    flags = r.u32("flags")
    step = r.u64("step")
    time = r.f64("time")
    geometry = _read_geometry(r)
    dims = r.u8("spatial_dims")
    n_params = r.u16("n_params")
    n_fields = r.u16("n_fields")
    r.reserved(U16, "reserved")
    if dims > 3:
        raise WireError.invalid(f"spatial_dims {dims} is not 0 to 3")
    if n_params > limits.max_parameters:
        raise WireError.limit("parameter count", n_params, limits.max_parameters)
    if n_fields > limits.max_fields:
        raise WireError.limit("field count", n_fields, limits.max_fields)
    bounds = _read_bounds(r, geometry, dims)
    parameters = []
    for _ in range(n_params):
        name = r.name("parameter name", limits.max_name_bytes)
        parameters.append(Parameter(name, r.f64("parameter value")))
    fields = []
    for _ in range(n_fields):
        name, dtype, role, rank = _read_field_prefix(r, limits)
        r.reserved(U8, f"reserved byte of '{name}'")
        fields.append(FieldDescriptor(name, dtype, _read_shape(r, rank, name), role))
    r.finish()
    header = SampleHeader(member=member, attempt=attempt, flags=flags, step=step, time=time, geometry=geometry,
                          spatial_dims=dims, bounds=bounds, parameters=parameters, fields=fields)
    validate_sample_header(header, limits)
    return header


# MARK: - BATCH

def validate_batch_header(h: BatchHeader, limits: WireLimits = _STANDARD) -> None:
    """Checks a BATCH header against the protocol's rules and ``limits``. Raises :class:`WireError`."""
    _check_uint(h.sequence, 64, "sequence")
    if not 0 <= h.spatial_dims <= 3:
        raise WireError.invalid(f"spatial_dims {h.spatial_dims} is not 0 to 3")
    geometry = Geometry(h.geometry)
    if len(h.bounds) != (h.spatial_dims if geometry.has_bounds else 0):
        raise WireError.invalid("batch bounds do not match its geometry")
    if not isinstance(h.entries, np.ndarray) or h.entries.dtype != ENTRY_DTYPE or h.entries.ndim != 1:
        raise WireError.invalid("batch entries must be a 1-D array of ENTRY_DTYPE (see sluice.model.make_entries)")
    n = h.count
    if n > limits.max_batch_samples:
        raise WireError.limit("batch samples", n, limits.max_batch_samples)
    if len(h.fields) > limits.max_fields:
        raise WireError.limit("field count", len(h.fields), limits.max_fields)
    if len(h.parameter_names) > limits.max_parameters:
        raise WireError.limit("parameter count", len(h.parameter_names), limits.max_parameters)
    values = np.asarray(h.parameter_values)
    if values.size != n * len(h.parameter_names):
        raise WireError.invalid(f"batch has {values.size} parameter values for {n} samples x "
                                f"{len(h.parameter_names)} parameters")
    for name in h.parameter_names:
        _check_name(name, "parameter name", limits)
    for f in h.fields:
        _check_name(f.name, "field name", limits)
        if f.rank > limits.max_rank:
            raise WireError.limit(f"rank of field '{f.name}'", f.rank, limits.max_rank)
        if f.shapes is None:
            if f.shape is None or len(f.shape) != f.rank:
                raise WireError.invalid(f"field '{f.name}' has rank {f.rank} but shape {f.shape}")
            _check_shape(f.shape, f.name)
        else:
            if len(f.shapes) != n:
                raise WireError.invalid(f"ragged field '{f.name}' has {len(f.shapes)} shapes for {n} samples")
            if any(len(s) != f.rank for s in f.shapes):
                raise WireError.invalid(f"ragged field '{f.name}' mixes ranks")
            for s in f.shapes:
                _check_shape(s, f.name)
        b = f.frame_bytes(n)
        if b is None:
            raise WireError.invalid(f"shape of field '{f.name}' is negative or overflows")
        if b > limits.max_frame_bytes:
            raise WireError.limit(f"bytes of field '{f.name}'", b, limits.max_frame_bytes)


def encode_batch_header(h: BatchHeader, limits: WireLimits = _STANDARD) -> bytes:
    """The header frame of a BATCH. Raises :class:`WireError` if the header breaks the protocol's rules."""
    validate_batch_header(h, limits)
    w = ByteWriter()
    w.u64(int(h.sequence))
    w.u32(h.count)
    w.u16(len(h.fields))
    w.u16(len(h.parameter_names))
    w.u8(int(h.geometry))
    w.u8(h.spatial_dims)
    w.u16(0)
    w.u32(0)
    for lower, upper in h.bounds:
        w.f64(float(lower))
        w.f64(float(upper))
    entries = h.entries.copy()
    entries["reserved"] = 0
    w.raw(entries.tobytes())
    for name in h.parameter_names:
        w.name(name)
    w.raw(np.ascontiguousarray(h.parameter_values, dtype="<f8").tobytes())
    for f in h.fields:
        w.name(f.name)
        w.u8(int(f.dtype))
        w.u8(int(f.role))
        w.u8(f.rank)
        if f.shapes is None:
            w.u8(0)
            for d in f.shape or ():
                w.u64(int(d))
        else:
            w.u8(1)
            for s in f.shapes:
                for d in s:
                    w.u64(int(d))
    return w.bytes()


def decode_batch_header(frame: Buffer, limits: WireLimits = _STANDARD) -> BatchHeader:
    """Decodes a BATCH header frame with every check of :func:`validate_batch_header`."""
    if len(frame) > limits.max_header_bytes:
        raise WireError.limit("BATCH header bytes", len(frame), limits.max_header_bytes)
    r = ByteReader(frame, "BATCH header")
    sequence = r.u64("sequence")
    n = r.u32("n_samples")
    n_fields = r.u16("n_fields")
    n_params = r.u16("n_params")
    geometry = _read_geometry(r)
    dims = r.u8("spatial_dims")
    r.reserved(U16, "reserved")
    r.reserved(U32, "reserved")
    if dims > 3:
        raise WireError.invalid(f"spatial_dims {dims} is not 0 to 3")
    if n > limits.max_batch_samples:
        raise WireError.limit("batch samples", n, limits.max_batch_samples)
    if n_fields > limits.max_fields:
        raise WireError.limit("field count", n_fields, limits.max_fields)
    if n_params > limits.max_parameters:
        raise WireError.limit("parameter count", n_params, limits.max_parameters)
    # Cheap early check that the declared counts can fit, before reserving memory for them.
    need = n * ENTRY_BYTES + n * n_params * 8
    if need > r.remaining:
        raise WireError.truncated("BATCH entries", r.offset, need, r.remaining)
    bounds = _read_bounds(r, geometry, dims)
    if r.remaining < n * ENTRY_BYTES:
        raise WireError.truncated("BATCH header sample_id", r.offset, n * ENTRY_BYTES, r.remaining)
    at = r.skip(n * ENTRY_BYTES)
    entries = np.frombuffer(r.data, dtype=ENTRY_DTYPE, count=n, offset=at).copy()
    bad = np.flatnonzero(entries["reserved"])
    if bad.size:
        i = int(bad[0])
        raise WireError.invalid(f"BATCH header entry reserved at byte {at + i * ENTRY_BYTES + 44} is reserved and "
                                f"must be 0, got {int(entries['reserved'][i])}")
    names = [r.name("parameter name", limits.max_name_bytes) for _ in range(n_params)]
    if r.remaining < n * n_params * 8:
        raise WireError.truncated("BATCH header parameter value", r.offset, n * n_params * 8, r.remaining)
    at = r.skip(n * n_params * 8)
    values = np.frombuffer(r.data, dtype="<f8", count=n * n_params, offset=at).reshape(n, n_params).copy()
    fields = []
    for _ in range(n_fields):
        name, dtype, role, rank = _read_field_prefix(r, limits)
        ragged = r.u8(f"ragged flag of '{name}'")
        if ragged == 0:
            fields.append(BatchField(name, dtype, rank, role, shape=_read_shape(r, rank, name)))
        elif ragged == 1:
            if n * rank * 8 > r.remaining:
                raise WireError.truncated(f"shapes of ragged field '{name}'", r.offset, n * rank * 8, r.remaining)
            shapes = [_read_shape(r, rank, name) for _ in range(n)]
            fields.append(BatchField(name, dtype, rank, role, shapes=shapes))
        else:
            raise WireError.invalid(f"field '{name}' has ragged flag {ragged}, expected 0 or 1")
    r.finish()
    header = BatchHeader(sequence=sequence, entries=entries, fields=fields, geometry=geometry, spatial_dims=dims,
                         bounds=bounds, parameter_names=names, parameter_values=values)
    validate_batch_header(header, limits)
    return header
