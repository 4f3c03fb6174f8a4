"""A dataset written by `sluice export` has The Well's layout (schemas/hdf5/LAYOUT.md), read with h5py."""
import glob
import math
import os

import numpy as np
import pytest
import yaml

h5py = pytest.importorskip("h5py")

from archive_fixture import PARAMETERS, STEPS, export_dataset, taylor_green


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return export_dataset(str(tmp_path_factory.mktemp("archive")))


def files(dataset):
    return sorted(glob.glob(os.path.join(dataset, "data", "*", "*.hdf5")))


def test_directory_layout_and_splits(dataset):
    counts = {split: len(glob.glob(os.path.join(dataset, "data", split, "*.hdf5"))) for split in ("train", "valid", "test")}
    assert counts == {"train": 2, "valid": 1, "test": 1}
    assert not glob.glob(os.path.join(dataset, "data", "*", ".*.partial"))
    assert os.path.exists(os.path.join(dataset, "stats.yaml"))


def test_root_attributes(dataset):
    for path in files(dataset):
        with h5py.File(path, "r") as f:
            assert f.attrs["dataset_name"] == "tg"
            assert f.attrs["grid_type"] == "cartesian"
            assert f.attrs["n_spatial_dims"] == 2
            assert f.attrs["n_trajectories"] == 1
            assert list(f.attrs["simulation_parameters"]) == PARAMETERS
            assert f.attrs["viscosity"] == pytest.approx(0.05)
            # Strings are variable-length UTF-8: h5py returns str, not bytes.
            assert isinstance(f.attrs["grid_type"], str)
            h5t = f.attrs.get_id("dataset_name").get_type()
            assert h5t.is_variable_str() and h5t.get_cset() == h5py.h5t.CSET_UTF8
            # Provenance.
            assert f.attrs["sluice_solver"] == "ns2d"
            assert "pytest-taylor-green" in f.attrs["sluice_case"]
            assert '"spectral"' in f.attrs["sluice_filter"]
            for key in ("sluice_version", "sluice_source_revision", "sluice_created", "sluice_member", "sluice_member_parameters"):
                assert key in f.attrs, key


def test_dimensions_and_boundaries(dataset):
    with h5py.File(files(dataset)[0], "r") as f:
        dims = f["dimensions"]
        assert list(dims.attrs["spatial_dims"]) == ["x", "y"]
        np.testing.assert_allclose(dims["x"][:], np.arange(8) / 8)
        np.testing.assert_allclose(dims["y"][:], np.arange(8) / 8)
        np.testing.assert_allclose(dims["time"][:], np.array(STEPS) * 1e-3, rtol=1e-6)
        assert dims["time"].attrs["time_varying"] and not dims["time"].attrs["sample_varying"]
        assert not dims["x"].attrs["time_varying"] and not dims["x"].attrs["sample_varying"]
        bcs = f["boundary_conditions"]
        assert sorted(bcs.keys()) == ["x_periodic", "y_periodic"]
        for name in bcs:
            assert bcs[name].attrs["bc_type"] == "PERIODIC"
            assert list(bcs[name].attrs["associated_dims"]) == [name[0]]
            mask = bcs[name]["mask"][:]
            assert mask.shape == (8,) and mask[0] and mask[-1] and not mask[1:-1].any()


def test_scalars_and_fields(dataset):
    with h5py.File(files(dataset)[0], "r") as f:
        scalars = f["scalars"]
        assert list(scalars.attrs["field_names"]) == PARAMETERS
        assert scalars["viscosity"].shape == ()
        assert scalars["viscosity"][()] == pytest.approx(0.05)
        assert not scalars["viscosity"].attrs["time_varying"] and not scalars["viscosity"].attrs["sample_varying"]
        assert list(f["t0_fields"].attrs["field_names"]) == ["vorticity"]
        assert list(f["t1_fields"].attrs["field_names"]) == []
        assert list(f["t2_fields"].attrs["field_names"]) == []
        w = f["t0_fields/vorticity"]
        assert w.dtype == np.float32
        assert w.shape == (1, len(STEPS), 8, 8)
        assert w.chunks == (1, 1, 8, 8)
        assert w.compression == "gzip" and w.compression_opts == 4 and w.shuffle
        assert list(w.attrs["dim_varying"]) == [True, True]
        assert w.attrs["sample_varying"] and w.attrs["time_varying"]
        # Values: the Taylor-Green mode survives the spectral cut-off exactly; the box filter of width 2h scales
        # cos(2 pi y) by its discrete transfer function (1 + cos(2 pi / 16)) / 2.
        x = np.arange(8) / 8
        y = np.arange(8) / 8
        box = (1 + math.cos(2 * math.pi / 16)) / 2
        for t, step in enumerate(STEPS):
            expected = taylor_green(step) * box * np.outer(np.cos(2 * np.pi * x), np.cos(2 * np.pi * y))
            np.testing.assert_allclose(w[0, t], expected, atol=1e-6)


def test_stats_yaml(dataset):
    with open(os.path.join(dataset, "stats.yaml")) as f:
        stats = yaml.safe_load(f)
    for key in ("mean", "std", "rms", "mean_delta", "std_delta", "rms_delta"):
        assert isinstance(stats[key]["vorticity"], float), key
    # Over the training files: recompute with numpy.
    train = sorted(glob.glob(os.path.join(dataset, "data", "train", "*.hdf5")))
    values, deltas = [], []
    for path in train:
        with h5py.File(path, "r") as f:
            w = f["t0_fields/vorticity"][0].astype(np.float64)
            values.append(w.ravel())
            deltas.append(np.diff(w, axis=0).ravel())
    values, deltas = np.concatenate(values), np.concatenate(deltas)
    assert stats["mean"]["vorticity"] == pytest.approx(values.mean(), abs=1e-9)
    assert stats["std"]["vorticity"] == pytest.approx(values.std(), rel=1e-9)
    assert stats["rms"]["vorticity"] == pytest.approx(np.sqrt((values ** 2).mean()), rel=1e-9)
    assert stats["std_delta"]["vorticity"] == pytest.approx(deltas.std(), rel=1e-9)
    assert stats["rms_delta"]["vorticity"] == pytest.approx(np.sqrt((deltas ** 2).mean()), rel=1e-9)
