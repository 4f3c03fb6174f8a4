"""Value types of the wire protocol: dtypes, roles, geometries, limits, and the SAMPLE and BATCH headers.

These mirror ``Sources/SluiceModel`` and ``Sources/Wire`` on the Swift side. They are plain data: encoding and
decoding live in :mod:`sluice.headers` and :mod:`sluice.wire`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    "DType",
    "FieldRole",
    "Geometry",
    "SampleFlags",
    "WireLimits",
    "AxisBounds",
    "Parameter",
    "FieldDescriptor",
    "SampleHeader",
    "BatchField",
    "BatchHeader",
    "ENTRY_DTYPE",
    "make_entries",
    "element_count",
    "byte_count",
]

#: The largest value of Swift's ``Int`` on the 64-bit platforms Sluice runs on. Sizes above it "overflow", and the
#: decoder rejects them exactly where the Swift decoder does.
INT_MAX = (1 << 63) - 1


class DType(enum.IntEnum):
    """Element type of a field (wire byte values). All are little-endian on the wire."""

    F32 = 1
    F64 = 2
    I32 = 3
    I64 = 4
    U8 = 5

    @property
    def numpy(self) -> np.dtype:
        """The NumPy dtype (explicitly little-endian)."""
        return _NUMPY[self]

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return _NUMPY[self].itemsize

    @property
    def is_float(self) -> bool:
        """Whether values of this type can be NaN or infinite."""
        return self in (DType.F32, DType.F64)

    @classmethod
    def from_numpy(cls, dtype: "np.typing.DTypeLike") -> "DType":
        """The wire dtype of a NumPy dtype (any byte order). Raises ``ValueError`` for types the wire lacks."""
        d = np.dtype(dtype)
        for k, v in _NUMPY.items():
            if d.kind == v.kind and d.itemsize == v.itemsize:
                return k
        raise ValueError(f"NumPy dtype {d} has no Sluice wire type; use float32, float64, int32, int64 or uint8")


_NUMPY: Dict[DType, np.dtype] = {
    DType.F32: np.dtype("<f4"),
    DType.F64: np.dtype("<f8"),
    DType.I32: np.dtype("<i4"),
    DType.I64: np.dtype("<i8"),
    DType.U8: np.dtype("u1"),
}


class FieldRole(enum.IntEnum):
    """What a field's values mean with respect to the sample's geometry (PROTOCOL.md section 5)."""

    DATA = 0
    AXIS = 1
    VERTICES = 2
    TRIANGLES = 3
    EDGES = 4
    CELL_DATA = 5
    AUXILIARY = 6


class Geometry(enum.IntEnum):
    """How a sample's fields are placed in space."""

    NONE = 0
    UNIFORM_GRID = 1
    STRETCHED_GRID = 2
    TRIANGLE_MESH = 3

    @property
    def has_bounds(self) -> bool:
        """Uniform and stretched grids carry one (lower, upper) pair per spatial dimension."""
        return self in (Geometry.UNIFORM_GRID, Geometry.STRETCHED_GRID)


class SampleFlags(enum.IntFlag):
    """Bits of a sample's ``flags`` word."""

    NONE = 0
    FINAL = 1 << 0
    NON_FINITE = 1 << 1


@dataclass(frozen=True)
class WireLimits:
    """Bounds the decoder enforces before allocating anything (PROTOCOL.md section 7; server defaults)."""

    max_fields: int = 256
    max_rank: int = 8
    max_name_bytes: int = 255
    max_parameters: int = 256
    max_frame_bytes: int = 1 << 31
    max_header_bytes: int = 4 << 20
    max_control_bytes: int = 16 << 20
    max_batch_samples: int = 1 << 16


class AxisBounds(NamedTuple):
    """Lower and upper coordinate of a grid's domain along one axis."""

    lower: float
    upper: float


class Parameter(NamedTuple):
    """A named scalar parameter of the member that produced a sample. Names need not be unique on the wire, so
    parameters are kept as an ordered list rather than a dict."""

    name: str
    value: float


def element_count(shape: Sequence[int]) -> Optional[int]:
    """Number of elements of ``shape``, or None where Swift's ``Int`` arithmetic would overflow or a dimension is
    negative. The product is checked step by step, as the Swift decoder does, so both reject the same shapes."""
    n = 1
    for d in shape:
        if d < 0:
            return None
        n *= d
        if n > INT_MAX:
            return None
    return n


def byte_count(dtype: DType, shape: Sequence[int]) -> Optional[int]:
    """Bytes of a field's raw data, or None on overflow (see :func:`element_count`)."""
    n = element_count(shape)
    if n is None:
        return None
    b = n * dtype.itemsize
    return None if b > INT_MAX else b


@dataclass
class FieldDescriptor:
    """Name, element type, role and row-major shape of one field of a sample (an empty shape is a scalar)."""

    name: str
    dtype: DType
    shape: Tuple[int, ...]
    role: FieldRole = FieldRole.DATA

    @property
    def nbytes(self) -> Optional[int]:
        """Bytes of the field's payload frame, or None if the shape overflows."""
        return byte_count(self.dtype, self.shape)


@dataclass
class SampleHeader:
    """Everything about a sample except its field bytes: frame 1 of a SAMPLE message."""

    member: int
    step: int
    time: float
    fields: List[FieldDescriptor]
    attempt: int = 0
    flags: int = 0
    geometry: Geometry = Geometry.NONE
    spatial_dims: int = 0
    bounds: List[AxisBounds] = field(default_factory=list)
    parameters: List[Parameter] = field(default_factory=list)

    @property
    def payload_bytes(self) -> Optional[int]:
        """Sum of the fields' bytes, or None on overflow."""
        total = 0
        for f in self.fields:
            b = f.nbytes
            if b is None:
                return None
            total += b
            if total > INT_MAX:
                return None
        return total

    def field_named(self, name: str) -> Optional[FieldDescriptor]:
        """The field called ``name``, if any."""
        return next((f for f in self.fields if f.name == name), None)

    def parameter(self, name: str) -> Optional[float]:
        """The first parameter called ``name``, if any."""
        return next((p.value for p in self.parameters if p.name == name), None)


#: One batch entry as it lies on the wire: 48 bytes, little-endian, packed.
ENTRY_DTYPE = np.dtype([
    ("sample_id", "<u8"),
    ("member", "<u8"),
    ("attempt", "<u4"),
    ("flags", "<u4"),
    ("step", "<u8"),
    ("time", "<f8"),
    ("serve_count", "<u4"),
    ("reserved", "<u4"),
])
assert ENTRY_DTYPE.itemsize == 48


def make_entries(sample_id: Sequence[int], member: Sequence[int], step: Sequence[int], time: Sequence[float],
                 serve_count: Sequence[int], attempt: Optional[Sequence[int]] = None,
                 flags: Optional[Sequence[int]] = None) -> np.ndarray:
    """Builds the structured array of batch entries (for encoders and tests)."""
    n = len(sample_id)
    out = np.zeros(n, dtype=ENTRY_DTYPE)
    out["sample_id"] = sample_id
    out["member"] = member
    out["step"] = step
    out["time"] = time
    out["serve_count"] = serve_count
    out["attempt"] = attempt if attempt is not None else 0
    out["flags"] = flags if flags is not None else 0
    return out


@dataclass
class BatchField:
    """One field of a batch. ``shape`` is the per-sample shape when every sample shares it (the frame is the
    stacked array ``[B, *shape]``); otherwise ``shapes`` lists each sample's shape (ragged: the samples' arrays lie
    one after the other). ``rank`` is the per-sample rank as the header states it."""

    name: str
    dtype: DType
    rank: int
    role: FieldRole = FieldRole.DATA
    shape: Optional[Tuple[int, ...]] = None
    shapes: Optional[List[Tuple[int, ...]]] = None

    @property
    def ragged(self) -> bool:
        """Whether the samples' shapes differ (listed one per sample)."""
        return self.shapes is not None

    def frame_bytes(self, samples: int) -> Optional[int]:
        """Bytes of the field's frame for ``samples`` samples, or None on overflow (as Swift's ``Int`` would)."""
        if self.shapes is None:
            one = byte_count(self.dtype, self.shape or ())
            if one is None:
                return None
            total = one * samples
            return None if total > INT_MAX else total
        total = 0
        for s in self.shapes:
            b = byte_count(self.dtype, s)
            if b is None:
                return None
            total += b
            if total > INT_MAX:
                return None
        return total


@dataclass
class BatchHeader:
    """Frame 1 of a BATCH message. ``entries`` is a structured array of :data:`ENTRY_DTYPE` (one row per sample);
    ``parameter_values`` is a float64 array ``[B, P]`` (sample-major, as on the wire)."""

    sequence: int
    entries: np.ndarray
    fields: List[BatchField]
    geometry: Geometry = Geometry.NONE
    spatial_dims: int = 0
    bounds: List[AxisBounds] = field(default_factory=list)
    parameter_names: List[str] = field(default_factory=list)
    parameter_values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype="<f8"))

    @property
    def count(self) -> int:
        """Samples in the batch (B)."""
        return int(len(self.entries))
