"""A batch as a trainer receives it: per-sample metadata and one NumPy array per field, viewed in place.

Field arrays are built with ``np.frombuffer`` over the received ZeroMQ frames: no byte of the payload is copied
after libzmq received it. Each array keeps its frame alive (through the frame's buffer) for as long as the array
lives, and is writable (the memory belongs to this batch alone).

Alignment: libzmq receives large frames into buffers of their own, but packs small frames (a few KiB) into its
shared receive buffer at whatever offset they arrived, so a field's array may start at an address that is not a
multiple of its element size. NumPy handles such arrays correctly (``arr.flags.aligned`` is then False, and
operations may be slightly slower); :func:`sluice.torch` adapters copy unaligned arrays, because PyTorch does not
accept them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Sequence, Tuple, Union

import numpy as np

from .model import AxisBounds, BatchField, BatchHeader, FieldRole, Geometry, SampleFlags
from .wire import frame_view

__all__ = ["Batch", "SampleMeta"]

FieldArray = Union[np.ndarray, List[np.ndarray]]


@dataclass(frozen=True)
class SampleMeta:
    """Metadata of one sample in a batch."""

    member: int
    step: int
    time: float
    parameters: Dict[str, float]
    sample_id: int
    serve_count: int
    attempt: int
    flags: int

    @property
    def final(self) -> bool:
        """The member sent no samples after this one."""
        return bool(self.flags & SampleFlags.FINAL)

    @property
    def non_finite(self) -> bool:
        """The server found NaN or Inf in a field (accept-and-flag policy)."""
        return bool(self.flags & SampleFlags.NON_FINITE)


class Batch:
    """B samples: ``batch["name"]`` is the field's array ``[B, *shape]`` (or, for a ragged field such as meshes of
    different sizes, a list of B arrays), and ``batch.member``, ``batch.step``, ``batch.time``... are arrays of
    length B. ``len(batch)`` is B; ``batch.keys()`` are the field names."""

    def __init__(self, header: BatchHeader, frames: Sequence[Any]) -> None:
        if len(frames) != len(header.fields):
            raise ValueError(f"batch has {len(header.fields)} fields but {len(frames)} frames")
        self.header = header
        #: The payload frames as received (``zmq.Frame`` objects or bytes), one per field.
        self.frames = list(frames)
        self._arrays: Dict[str, FieldArray] = {}
        self._by_name: Dict[str, Tuple[int, BatchField]] = {f.name: (i, f) for i, f in enumerate(header.fields)}

    # Field names to arrays

    def __getitem__(self, name: str) -> FieldArray:
        if name not in self._arrays:
            if name not in self._by_name:
                raise KeyError(f"batch has no field {name!r}; it has {list(self._by_name)}")
            index, f = self._by_name[name]
            self._arrays[name] = self._view(f, self.frames[index])
        return self._arrays[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def keys(self) -> List[str]:
        """The field names, in header order."""
        return list(self._by_name)

    def items(self) -> Iterator[Tuple[str, FieldArray]]:
        """(name, array) pairs, in header order."""
        return ((name, self[name]) for name in self._by_name)

    def __len__(self) -> int:
        """Samples in the batch (B)."""
        return self.size

    __iter__ = None  # not iterable: use keys(), items() or samples

    def _view(self, f: BatchField, frame: Any) -> FieldArray:
        buffer = frame_view(frame)
        flat = np.frombuffer(buffer, dtype=f.dtype.numpy)
        if not f.ragged:
            return flat.reshape((self.size, *(f.shape or ())))
        out, offset = [], 0
        for shape in f.shapes or ():
            n = int(np.prod(shape, dtype=np.int64)) if shape else 1
            out.append(flat[offset:offset + n].reshape(shape))
            offset += n
        return out

    @property
    def fields(self) -> Dict[str, FieldArray]:
        """Every field's array, by name."""
        return {name: self[name] for name in self._by_name}

    def role(self, name: str) -> FieldRole:
        """The role of field ``name`` (data, axis, vertices, ...)."""
        return self._by_name[name][1].role

    # Per-sample metadata (arrays of length B)

    @property
    def size(self) -> int:
        """Samples in the batch (B)."""
        return self.header.count

    @property
    def sequence(self) -> int:
        """This consumer's batch number in its session, from 0."""
        return self.header.sequence

    @property
    def member(self) -> np.ndarray:
        return self.header.entries["member"]

    @property
    def step(self) -> np.ndarray:
        return self.header.entries["step"]

    @property
    def time(self) -> np.ndarray:
        return self.header.entries["time"]

    @property
    def sample_id(self) -> np.ndarray:
        """The reservoir's identifiers of the samples (increasing in arrival order)."""
        return self.header.entries["sample_id"]

    @property
    def serve_count(self) -> np.ndarray:
        """How often each sample has been served, this time included (1 = first use)."""
        return self.header.entries["serve_count"]

    @property
    def attempt(self) -> np.ndarray:
        return self.header.entries["attempt"]

    @property
    def flags(self) -> np.ndarray:
        return self.header.entries["flags"]

    @property
    def parameters(self) -> Dict[str, np.ndarray]:
        """Each parameter's values across the batch, by name (the first column of that name)."""
        out: Dict[str, np.ndarray] = {}
        for j, name in enumerate(self.header.parameter_names):
            out.setdefault(name, self.header.parameter_values[:, j])
        return out

    @property
    def geometry(self) -> Geometry:
        return self.header.geometry

    @property
    def bounds(self) -> List[AxisBounds]:
        """Domain bounds per axis (uniform and stretched grids)."""
        return list(self.header.bounds)

    @property
    def samples(self) -> List[SampleMeta]:
        """One :class:`SampleMeta` per sample."""
        names = self.header.parameter_names
        e = self.header.entries
        values = self.header.parameter_values
        return [SampleMeta(member=int(e["member"][i]), step=int(e["step"][i]), time=float(e["time"][i]),
                           parameters={n: float(values[i, j]) for j, n in reversed(list(enumerate(names)))},
                           sample_id=int(e["sample_id"][i]), serve_count=int(e["serve_count"][i]),
                           attempt=int(e["attempt"][i]), flags=int(e["flags"][i]))
                for i in range(self.size)]

    def __repr__(self) -> str:
        shapes = ", ".join(f"{f.name}: {f.dtype.name.lower()}{'[ragged]' if f.ragged else list(f.shape or ())}"
                           for f in self.header.fields)
        return f"Batch(sequence={self.sequence}, samples={self.size}, fields={{{shapes}}})"
