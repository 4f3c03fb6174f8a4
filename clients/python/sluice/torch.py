"""PyTorch adapter: a reservoir stream as a ``torch.utils.data.IterableDataset``.

Importing this module imports PyTorch; the rest of the package does not need it.

    from torch.utils.data import DataLoader
    from sluice.torch import ReservoirDataset

    dataset = ReservoirDataset("tcp://127.0.0.1:5556", group="fno", batch_size=32)
    loader = DataLoader(dataset, batch_size=None, num_workers=2)   # the server already batches
    for batch in loader:
        x = batch["vorticity"]          # torch.Tensor [32, 64, 64]
        batch["member"], batch["step"], batch["serve_count"], batch["parameters"]["nu"]

Ranks. The dataset's consumer-group rank is computed when it is iterated, in the process that iterates it:

- ``rank`` / ``world_size`` given explicitly win; otherwise, when ``torch.distributed`` is initialised, they are
  the DDP rank and world size; otherwise 0 and 1.
- With ``num_workers = k`` DataLoader workers, worker ``w`` of rank ``r`` connects as group rank ``r * k + w`` of a
  group of ``world_size * k`` ranks. Every rank and worker therefore gets disjoint samples. Under the server's
  ``reservoir`` and ``uniform`` policies samples are split between ranks by id, so start every rank (and worker).

Each worker process opens its own connection when iteration starts (ZeroMQ sockets cannot cross ``fork``), and
closes it when iteration ends or the worker exits. Use ``batch_size=None`` in the DataLoader: each item is already a
batch of ``batch_size`` samples (smaller at the end of a finite stream).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch.utils.data import IterableDataset, get_worker_info

from .batch import Batch
from .keys import CurveKeys
from .trainer import TrainerClient

__all__ = ["ReservoirDataset", "batch_to_tensors", "group_rank"]

TensorBatch = Dict[str, Any]


def _tensor(a: np.ndarray) -> torch.Tensor:
    """A tensor sharing ``a``'s memory when PyTorch allows it. PyTorch needs aligned memory, and libzmq packs small
    frames at arbitrary offsets (see :mod:`sluice.batch`), so unaligned arrays are copied (small ones only)."""
    if not a.flags.aligned or not a.flags.writeable:
        a = a.copy()
    return torch.from_numpy(a)


def batch_to_tensors(batch: Batch, fields: Optional[Sequence[str]] = None) -> TensorBatch:
    """A dict of tensors: each field (``[B, *shape]``, or a list of B tensors for a ragged field), and
    ``member``, ``step``, ``sample_id``, ``serve_count`` (int64), ``time`` (float64) and ``parameters``
    (name -> float64 tensor ``[B]``)."""
    out: TensorBatch = {}
    for name in fields if fields is not None else batch.keys():
        value = batch[name]
        out[name] = [_tensor(v) for v in value] if isinstance(value, list) else _tensor(value)
    out["member"] = torch.from_numpy(batch.member.astype(np.int64))
    out["step"] = torch.from_numpy(batch.step.astype(np.int64))
    out["sample_id"] = torch.from_numpy(batch.sample_id.astype(np.int64))
    out["serve_count"] = torch.from_numpy(batch.serve_count.astype(np.int64))
    out["time"] = torch.from_numpy(np.ascontiguousarray(batch.time, dtype=np.float64))
    out["parameters"] = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float64))
                         for k, v in batch.parameters.items()}
    return out


def group_rank(rank: Optional[int] = None, world_size: Optional[int] = None) -> Tuple[int, int]:
    """This process's (group rank, group world size): explicit values, else the DDP ones, else (0, 1); then
    spread over the DataLoader workers as ``rank * num_workers + worker_id`` of ``world_size * num_workers``."""
    if rank is None or world_size is None:
        dist = torch.distributed
        if dist.is_available() and dist.is_initialized():
            rank = dist.get_rank() if rank is None else rank
            world_size = dist.get_world_size() if world_size is None else world_size
        else:
            rank = 0 if rank is None else rank
            world_size = 1 if world_size is None else world_size
    info = get_worker_info()
    if info is not None:
        rank, world_size = rank * info.num_workers + info.id, world_size * info.num_workers
    return rank, world_size


class ReservoirDataset(IterableDataset):
    """Batches from a Sluice server as a PyTorch ``IterableDataset`` (one item = one server batch).

    Args:
        endpoint: the server's consumer endpoint.
        group: consumer group; independent trainers use different groups.
        batch_size: samples per batch.
        prefetch: batch requests kept in flight per connection.
        rank, world_size: this trainer's rank in the group and the number of trainer processes; default: DDP's, or
            0 and 1 (see the module docstring for how DataLoader workers are folded in).
        fields: field names to return (default: all).
        transform: called on each dict of tensors in the worker (e.g. to build inputs and targets).
        max_batches: stop after this many batches per connection (None: never).
        idle_timeout: end the iteration when no batch arrives for this many seconds after the first one (None:
            raise :class:`~sluice.errors.SluiceTimeoutError` after ``timeout`` instead).
        timeout: seconds to wait for a batch before raising; with ``idle_timeout``, how long the first batch may
            take before the iteration ends empty.
        connect_timeout: seconds to wait for the server's READY.
        raw: yield :class:`~sluice.batch.Batch` objects (NumPy arrays) instead of tensors.
        curve: CURVE keys for a server run with ``--curve-dir`` (default: ``SLUICE_CURVE_KEY``/``SLUICE_SERVER_KEY``).
    """

    def __init__(self, endpoint: str, group: str = "default", batch_size: int = 32, prefetch: int = 2, *,
                 rank: Optional[int] = None, world_size: Optional[int] = None,
                 fields: Optional[Sequence[str]] = None, transform: Optional[Callable[[Any], Any]] = None,
                 max_batches: Optional[int] = None, idle_timeout: Optional[float] = None,
                 timeout: Optional[float] = 60.0, connect_timeout: float = 10.0, raw: bool = False,
                 curve: Optional[CurveKeys] = None) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.group = group
        self.batch_size = batch_size
        self.prefetch = prefetch
        self.rank = rank
        self.world_size = world_size
        self.fields = list(fields) if fields is not None else None
        self.transform = transform
        self.max_batches = max_batches
        self.idle_timeout = idle_timeout
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.raw = raw
        self.curve = curve

    def __iter__(self) -> Iterator[Any]:
        rank, world_size = group_rank(self.rank, self.world_size)
        client = TrainerClient(self.endpoint, group=self.group, rank=rank, world_size=world_size,
                               batch_size=self.batch_size, prefetch=self.prefetch, timeout=self.timeout,
                               connect_timeout=self.connect_timeout, curve=self.curve)
        try:
            first = self.timeout if self.idle_timeout is not None else None
            for batch in client.batches(limit=self.max_batches, idle_timeout=self.idle_timeout,
                                        first_timeout=first):
                item: Union[Batch, TensorBatch] = batch if self.raw else batch_to_tensors(batch, self.fields)
                yield self.transform(item) if self.transform is not None else item
        finally:
            client.close()


