"""h5py baseline for `sluice bench export`: writes the same float32 snapshots (read from a raw file) into an HDF5
dataset [1, T, N, N] with the same chunking (one snapshot per chunk) and the same filters (none, or shuffle + gzip
at the same level), one snapshot per assignment as an exporter appends them, and checks the file Sluice wrote.

Prints one JSON object: {"seconds": [...per round...], "bytes": stored bytes, "sluice_file_matches": bool, "versions": {...}}.
"""
import argparse
import json
import os
import time

import h5py
import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True, help="raw little-endian float32 snapshots, T x N x N")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--snapshots", type=int, required=True)
    parser.add_argument("--level", type=int, default=-1, help="gzip level; -1 for no compression")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", required=True, help="file to write (overwritten each round)")
    parser.add_argument("--check", help="a file Sluice wrote, whose t0_fields/u must equal the input")
    args = parser.parse_args()

    n, t = args.size, args.snapshots
    data = np.fromfile(args.input, dtype="<f4").reshape(t, n, n)
    filters = {} if args.level < 0 else {"compression": "gzip", "compression_opts": args.level, "shuffle": True}
    seconds = []
    for _ in range(args.rounds):
        if os.path.exists(args.output):
            os.remove(args.output)
        start = time.perf_counter()
        with h5py.File(args.output, "w") as f:
            dset = f.create_dataset("t0_fields/u", shape=(1, t, n, n), dtype="<f4", chunks=(1, 1, n, n), **filters)
            for k in range(t):
                dset[0, k] = data[k]
        seconds.append(time.perf_counter() - start)
    stored = 0
    with h5py.File(args.output, "r") as f:
        stored = f["t0_fields/u"].id.get_storage_size()
    matches = None
    if args.check:
        with h5py.File(args.check, "r") as f:
            matches = bool(np.array_equal(f["t0_fields/u"][0], data))
    print(json.dumps({"seconds": seconds, "bytes": int(stored), "sluice_file_matches": matches,
                      "versions": {"h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version, "numpy": np.__version__}}))


if __name__ == "__main__":
    main()
