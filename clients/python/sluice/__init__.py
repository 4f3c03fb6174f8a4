"""Python client of Sluice, the streaming data service for training neural PDE surrogates online.

- :class:`TrainerClient` pulls batches (NumPy arrays viewed in the received frames, plus per-sample metadata) as one
  rank of a consumer group.
- :class:`SolverClient` streams a Python solver's snapshots into the server under credit flow control.
- :mod:`sluice.torch` (needs PyTorch) wraps a trainer as a ``torch.utils.data.IterableDataset``.
- :mod:`sluice.wire` encodes and decodes the wire protocol (``schemas/wire/PROTOCOL.md``).

The package depends on pyzmq and NumPy only; PyTorch is imported when :mod:`sluice.torch` is.
"""

from .admin import status
from .batch import Batch, SampleMeta
from .errors import (
    ClientError,
    ClosedError,
    RefusedError,
    SluiceError,
    SluiceTimeoutError,
    WireError,
)
from .keys import CurveKeys
from .model import DType, FieldRole, Geometry, SampleFlags, WireLimits
from .server import ServerProcess, find_binary
from .solver import SolverClient
from .trainer import TrainerClient

__version__ = "0.1.0"

__all__ = [
    "TrainerClient",
    "SolverClient",
    "Batch",
    "SampleMeta",
    "CurveKeys",
    "status",
    "ServerProcess",
    "find_binary",
    "DType",
    "FieldRole",
    "Geometry",
    "SampleFlags",
    "WireLimits",
    "SluiceError",
    "WireError",
    "ClientError",
    "SluiceTimeoutError",
    "RefusedError",
    "ClosedError",
    "__version__",
]
