"""Samples for the FNO example: input/target pairs from stream batches, normalisation, and windows of an exported
dataset in The Well's layout (HDF5, read with h5py)."""

from __future__ import annotations

import collections
import glob
import os
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch

from sluice import Batch


class Normalizer:
    """Shifts and scales every snapshot by one mean and standard deviation, fixed from the first data seen."""

    def __init__(self, x: np.ndarray) -> None:
        self.mean = float(np.mean(x, dtype=np.float64))
        self.std = float(np.std(x, dtype=np.float64)) or 1.0

    def __call__(self, x: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(((np.asarray(x, dtype=np.float64) - self.mean) / self.std).astype(np.float32))


class Pairing:
    """Turns batches into (input [B, in, x, y], target [B, out, x, y]) arrays and the (member, step) keys used.

    window: the field's leading axis holds in + out consecutive snapshots. stream: single snapshots, paired with
    the same member's previous in + out - 1 samples as they arrive (needs each member's samples in order)."""

    def __init__(self, mode: str, field: str, n_in: int, n_out: int) -> None:
        self.mode, self.field, self.n_in, self.n_out = mode, field, n_in, n_out
        self.history: Dict[int, collections.deque] = collections.defaultdict(
            lambda: collections.deque(maxlen=n_in + n_out))
        self.times: Dict[Tuple[int, int], float] = {}  # simulated time of each target used, by (member, step)

    def resolve(self, batch: Batch) -> None:
        if self.mode != "auto":
            return
        values = batch[self.field]
        leading = values.shape[1] if values.ndim == 4 else 0
        self.mode = "window" if leading >= self.n_in + self.n_out else "stream"
        print(f"[fno] pairing: {self.mode} (field '{self.field}' per sample {list(values.shape[1:])})", flush=True)

    def __call__(self, batch: Batch) -> Tuple[np.ndarray, np.ndarray, List[Tuple[int, int]]]:
        self.resolve(batch)
        values = batch[self.field]
        keys = list(zip(batch.member.tolist(), batch.step.tolist()))
        times = batch.time.tolist()
        k = self.n_in + self.n_out
        if self.mode == "window":
            self.times.update(zip(keys, times))
            window = values[:, -k:]
            return window[:, :self.n_in], window[:, self.n_in:], keys
        xs, ys, used = [], [], []
        for i, (member, step) in enumerate(keys):
            h = self.history[member]
            h.append(values[i])
            if len(h) == k:
                stacked = np.stack(h)
                xs.append(stacked[:self.n_in])
                ys.append(stacked[self.n_in:])
                used.append((member, step))
                self.times[(member, step)] = times[i]
        if not xs:
            shape = (0, self.n_in, *values.shape[1:])
            return np.zeros(shape, np.float32), np.zeros((0, self.n_out, *values.shape[1:]), np.float32), []
        return np.stack(xs), np.stack(ys), used


# MARK: - exported datasets

def well_files(directory: str, split: str) -> List[str]:
    for pattern in (f"data/{split}/*.hdf5", f"data/{split}/*.h5", f"{split}/*.hdf5", f"{split}/*.h5"):
        files = sorted(glob.glob(os.path.join(directory, pattern)))
        if files:
            return files
    return sorted(glob.glob(os.path.join(directory, "*.hdf5"))) if split == "train" else []


def well_windows(files: List[str], field: str, n_in: int, n_out: int,
                 keys: Optional[List[Tuple[int, float]]] = None) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(input, target) windows of consecutive time steps from `t0_fields/<field>` datasets shaped
    [trajectories, time, x, y] (The Well's layout), and for each window its member and the simulated time of its
    first target snapshot ([n, 2] float64). A trailing component axis, as an exported window field has, is reduced
    to its last component (the newest snapshot of each window).

    The member is the file's `sluice_member` attribute (what `sluice export` writes; else the file's index) and the
    time comes from `dimensions/time`. With `keys` (member, target time) only those windows are returned."""
    import h5py

    xs, ys, ids = [], [], []
    k = n_in + n_out
    for index, path in enumerate(files):
        with h5py.File(path, "r") as f:
            if f"t0_fields/{field}" not in f:
                raise SystemExit(f"{path} has no t0_fields/{field}; it has {list(f.get('t0_fields', {}))}")
            data = f[f"t0_fields/{field}"][...]
            member = int(f.attrs.get("sluice_member", index))
            times = f["dimensions/time"][...] if "dimensions/time" in f else np.arange(data.shape[1], dtype=float)
        if data.ndim == 5:
            data = data[..., -1]
        if data.ndim != 4:
            raise SystemExit(f"{path}: t0_fields/{field} has shape {data.shape}, expected [traj, time, x, y]")
        for trajectory in data:
            for t in range(trajectory.shape[0] - k + 1):
                xs.append(trajectory[t:t + n_in])
                ys.append(trajectory[t + n_in:t + k])
                ids.append((member, float(times[t + n_in])))
            member += 1  # files with several trajectories: consecutive members
    if not xs:
        raise SystemExit(f"no windows of {k} time steps in {files}")
    x, y, ids_array = np.stack(xs).astype(np.float32), np.stack(ys).astype(np.float32), np.array(ids, np.float64)
    if keys is not None:
        index_of = {(int(m), round(float(t), 6)): i for i, (m, t) in enumerate(ids_array)}
        pick = [index_of.get((int(m), round(float(t), 6))) for m, t in keys]
        missing = [key for key, i in zip(keys, pick) if i is None]
        if missing:
            raise SystemExit(f"{len(missing)} of the {len(keys)} samples asked for are not in the dataset "
                             f"(first: member {int(missing[0][0])}, time {missing[0][1]}); export those members")
        x, y, ids_array = x[pick], y[pick], ids_array[pick]
    return x, y, ids_array


class ArrayBatches:
    """Random minibatches (with reshuffling every epoch) from fixed arrays, shaped like stream batches."""

    def __init__(self, x: np.ndarray, y: np.ndarray, batch_size: int, seed: int) -> None:
        self.x, self.y, self.batch_size = x, y, batch_size
        self.rng = np.random.default_rng(seed)
        self.order: List[int] = []

    def __call__(self) -> "ArrayBatch":
        if len(self.order) < self.batch_size:
            self.order += self.rng.permutation(len(self.x)).tolist()
        take, self.order = self.order[:self.batch_size], self.order[self.batch_size:]
        return ArrayBatch(self.x[take], self.y[take], take)


class ArrayBatch:
    def __init__(self, x: np.ndarray, y: np.ndarray, keys: List[int]) -> None:
        self.x, self.y, self.keys = x, y, keys
        self.serve_count = np.zeros(0)


class ArrayPairing(Pairing):
    def __init__(self) -> None:
        super().__init__("window", "", 0, 0)

    def __call__(self, batch: ArrayBatch):  # type: ignore[override]
        return batch.x, batch.y, [(0, k) for k in batch.keys]
