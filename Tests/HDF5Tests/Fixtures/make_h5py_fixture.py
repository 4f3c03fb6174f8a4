#!/usr/bin/env python3
"""Writes h5py_fixture.h5, the file HDF5Tests reads to check that Swift reads what h5py writes.

Run once from anywhere and commit the result (it is small):
    python3 Tests/HDF5Tests/Fixtures/make_h5py_fixture.py [OUTPUT]

Every value is a simple function of its indices so that the Swift test can recompute it exactly:
    /run/fields/u   float32 (3, 5, 7), chunks (1, 5, 7), gzip 4 + shuffle, u[i,j,k] = 100 i + 10 j + k + 0.25
    /times          float64 (11,), contiguous,        times[i] = i / 8
    /ids            int64 (3, 4),  contiguous,        ids[i,j] = 4 i + j - 3
Attributes are listed in ATTRIBUTES below and in the Swift test.
"""
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "h5py_fixture.h5")


def main() -> None:
    with h5py.File(OUTPUT, "w") as f:
        # On the root group: one attribute of every kind h5py writes by default.
        f.attrs["title"] = "Sluice fixture: \u00e9t\u00e9 \u2713"                  # variable-length UTF-8 str
        f.attrs["steps"] = 42                                                    # int64 scalar
        f.attrs["dt"] = 0.125                                                    # float64 scalar
        f.attrs["fields"] = np.array(["u", "v", "pressure"], dtype=h5py.string_dtype())  # vlen str array
        f.attrs["periodic"] = np.bool_(True)                                     # enum FALSE/TRUE of int8
        f.attrs["domain"] = np.array([0.0, 6.25, -1.5])                          # float64 array
        f.attrs["fixed_label"] = np.bytes_(b"fixed-len")                         # fixed-length ASCII, 9 bytes
        f.attrs["scale32"] = np.float32(0.5)                                     # float32 scalar
        f.attrs["shape"] = np.array([3, 5, 7], dtype=np.int32)                   # int32 array

        group = f.create_group("run/fields")
        group.attrs["viscosity"] = 1e-3
        group.attrs["training"] = np.bool_(False)

        i, j, k = np.meshgrid(np.arange(3), np.arange(5), np.arange(7), indexing="ij")
        u = (100 * i + 10 * j + k + 0.25).astype(np.float32)
        dataset = group.create_dataset("u", data=u, chunks=(1, 5, 7), compression="gzip", compression_opts=4,
                                       shuffle=True)
        dataset.attrs["units"] = "m/s"

        f.create_dataset("times", data=np.arange(11, dtype=np.float64) / 8)
        f.create_dataset("ids", data=(np.arange(12, dtype=np.int64) - 3).reshape(3, 4))
    print(f"wrote {OUTPUT} ({os.path.getsize(OUTPUT)} bytes) with h5py {h5py.__version__}")


if __name__ == "__main__":
    main()
