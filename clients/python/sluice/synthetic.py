"""The values ``sluice synth`` streams, so a consumer can check every element it receives.

Sample (member, step) has one float32 field ``value`` on a uniform grid over [0, 1]^d with
``value[i] = (member * 7919 + step * 31 + i) mod 2^24`` (flat row-major index i; exact in float32) and one parameter
``member_parameter = member * 0.5``. Mirrors ``Sources/Clients/SyntheticSample.swift``.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .batch import Batch

__all__ = ["FIELD", "PARAMETER", "values", "verify_batch"]

FIELD = "value"
PARAMETER = "member_parameter"


def values(member: int, step: int, shape: Sequence[int]) -> np.ndarray:
    """The field ``value`` of sample (member, step), float32 of ``shape``."""
    n = int(np.prod(shape, dtype=np.int64))
    base = (int(member) * 7919 + int(step) * 31) & 0xFFFFFF
    flat = (np.arange(n, dtype=np.uint64) + np.uint64(base)) & np.uint64(0xFFFFFF)
    return flat.astype(np.float32).reshape(tuple(shape))


def verify_batch(batch: Batch) -> Optional[str]:
    """Checks every element and parameter of a batch of synthetic samples; a description of the first mismatch,
    or None if all match."""
    if FIELD not in batch:
        return f"batch has no field '{FIELD}'"
    data = batch[FIELD]
    params = batch.parameters.get(PARAMETER)
    for i in range(batch.size):
        member, step = int(batch.member[i]), int(batch.step[i])
        got = data[i]
        want = values(member, step, got.shape)
        if not np.array_equal(got, want):
            bad = int(np.flatnonzero(got.ravel() != want.ravel())[0])
            return (f"member {member} step {step}: element {bad} is {got.ravel()[bad]}, expected "
                    f"{want.ravel()[bad]}")
        if params is None or params[i] != member * 0.5:
            return f"member {member} step {step}: {PARAMETER} is {None if params is None else params[i]}"
    return None
