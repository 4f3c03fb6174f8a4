#!/usr/bin/env python3
"""Checks, with h5py, a file written by the Swift test "h5py reads what Swift writes" (HDF5Tests).

    python3 Tests/HDF5Tests/Fixtures/check_swift_file.py PATH

Exits 0 when every value is as expected, otherwise prints each difference to stderr and exits 1. Strings must come
back as `str` (variable-length UTF-8), booleans as `numpy.bool_`; the expected values are the ones the Swift test
writes, and the dataset values are the same functions of the indices:
    /run/fields/u   float32 (4, 33, 17), chunks (1, 33, 17), gzip 4 + shuffle, u[i,j,k] = 1000 i + 10 j + k / 2
    /run/energy     float64 (5,), maxshape (None,), chunks (4,), energy[i] = i / 4
"""
import sys

import h5py
import numpy as np

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def present(attrs, name):
    expect(name in attrs, f"{name}: missing")
    return name in attrs


def expect_str(attrs, name, value):
    if not present(attrs, name):
        return
    got = attrs.get(name)
    expect(h5py.check_string_dtype(attrs.get_id(name).dtype) is not None, f"{name}: not stored as an HDF5 string")
    expect(type(got) is str, f"{name}: read as {type(got).__name__}, not str")
    expect(got == value, f"{name}: {got!r} != {value!r}")


def expect_str_array(attrs, name, values):
    if not present(attrs, name):
        return
    got = attrs.get(name)
    info = h5py.check_string_dtype(attrs.get_id(name).dtype)
    expect(info is not None and info.encoding == "utf-8" and info.length is None,
           f"{name}: not variable-length UTF-8 strings ({info})")
    expect(isinstance(got, np.ndarray) and all(type(v) is str for v in got), f"{name}: elements are not str: {got!r}")
    expect(list(got) == values, f"{name}: {list(got)!r} != {values!r}")


def expect_bool(attrs, name, value):
    if not present(attrs, name):
        return
    got = attrs.get(name)
    expect(isinstance(got, np.bool_), f"{name}: read as {type(got).__name__}, not numpy.bool_")
    expect(bool(got) == value, f"{name}: {got!r} != {value!r}")


def expect_number(attrs, name, value, dtype):
    if not present(attrs, name):
        return
    got = attrs.get(name)
    expect(np.asarray(got).shape == (), f"{name}: not a scalar: {got!r}")
    expect(np.asarray(got).dtype == np.dtype(dtype), f"{name}: dtype {np.asarray(got).dtype} != {dtype}")
    expect(got == value, f"{name}: {got!r} != {value!r}")


def expect_array(attrs, name, values, dtype):
    if not present(attrs, name):
        return
    got = attrs.get(name)
    expect(isinstance(got, np.ndarray) and got.dtype == np.dtype(dtype), f"{name}: {got!r} is not a {dtype} array")
    expect(np.array_equal(got, np.array(values, dtype=dtype)), f"{name}: {got!r} != {values!r}")


def main(path):
    with h5py.File(path, "r") as f:
        a = f.attrs
        expect_str(a, "title", "Sluice run: \u00e9t\u00e9 \u2713")
        expect_number(a, "steps", 1000, np.int64)
        expect_number(a, "seed", -123456789012, np.int64)
        expect_number(a, "dt", 0.01, np.float64)
        expect_number(a, "nu", 0.25, np.float32)
        expect_array(a, "domain", [0.0, 6.25, -1.5], np.float64)
        expect_array(a, "counts", [1, -2, 3], np.int64)
        expect_array(a, "weights", [0.5, 0.25, 1.0], np.float32)
        expect_array(a, "empty", [], np.float64)
        expect_str_array(a, "fields", ["u", "v", "pressure"])
        expect_bool(a, "periodic", True)
        expect_bool(a, "normalized", False)
        expect(sorted(a.keys()) == sorted(["title", "steps", "seed", "dt", "nu", "domain", "counts", "weights",
                                          "empty", "fields", "periodic", "normalized"]),
               f"root attributes: {sorted(a.keys())}")

        meta = f.get("run/meta")
        expect(isinstance(meta, h5py.Group), "run/meta is not a group")
        if isinstance(meta, h5py.Group):
            expect_str(meta.attrs, "note", "nested")

        u = f.get("run/fields/u")
        energy = f.get("run/energy")
        if not isinstance(u, h5py.Dataset) or not isinstance(energy, h5py.Dataset):
            problems.append("run/fields/u or run/energy is missing")
            return report()
        i, j, k = np.meshgrid(np.arange(4), np.arange(33), np.arange(17), indexing="ij")
        expected = (1000 * i + 10 * j + k / 2).astype(np.float32)
        expect(u.dtype == np.dtype("<f4"), f"u dtype {u.dtype}")
        expect(u.shape == (4, 33, 17), f"u shape {u.shape}")
        expect(u.chunks == (1, 33, 17), f"u chunks {u.chunks}")
        expect(u.compression == "gzip" and u.compression_opts == 4,
               f"u compression {u.compression} {u.compression_opts}")
        expect(u.shuffle, "u is not shuffled")
        expect(np.array_equal(u[...], expected), "u values differ")
        expect_str(u.attrs, "units", "m/s")
        expect_bool(u.attrs, "staggered", False)

        expect(energy.maxshape == (None,), f"energy maxshape {energy.maxshape}")
        expect(np.array_equal(energy[...], np.arange(5) / 4), f"energy {energy[...]!r}")

    return report()


def report():
    for problem in problems:
        print(f"check_swift_file.py: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check_swift_file.py PATH", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
