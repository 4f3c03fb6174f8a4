"""A dataset written by `sluice export` loads with The Well's own loader, `the_well.data.WellDataset(path=DIR)`,
and yields the expected input/output windows.

Needs the PyPI package `the-well` (which pulls PyTorch): `pip install the-well` (ops/setup.sh --with-torch).
Skipped only when it cannot be imported."""
import glob
import math
import os

import numpy as np
import pytest

pytest.importorskip("torch")
the_well_data = pytest.importorskip("the_well.data")

from archive_fixture import PARAMETERS, STEPS, export_dataset, taylor_green


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return export_dataset(str(tmp_path_factory.mktemp("well")))


def test_well_dataset_yields_windows(dataset):
    train = os.path.join(dataset, "data", "train")
    ds = the_well_data.WellDataset(path=train, n_steps_input=4, n_steps_output=2, use_normalization=False)
    # 2 training trajectories of 11 snapshots: 11 - (4 + 2) + 1 = 6 windows each.
    assert len(ds) == 2 * 6
    assert ds.metadata.dataset_name == "tg"
    assert ds.metadata.spatial_resolution == (8, 8)
    assert ds.metadata.field_names[0] == ["vorticity"]
    assert ds.metadata.constant_scalar_names == PARAMETERS

    box = (1 + math.cos(2 * math.pi / 16)) / 2
    x = np.arange(8) / 8
    pattern = np.outer(np.cos(2 * np.pi * x), np.cos(2 * np.pi * x)) * box
    for index in (0, 3, 11):
        sample = ds[index]
        assert tuple(sample["input_fields"].shape) == (4, 8, 8, 1)
        assert tuple(sample["output_fields"].shape) == (2, 8, 8, 1)
        assert tuple(sample["space_grid"].shape) == (8, 8, 2)
        start = index % 6
        window = [STEPS[start + k] for k in range(6)]
        fields = np.concatenate([sample["input_fields"].numpy(), sample["output_fields"].numpy()])[..., 0]
        for k, step in enumerate(window):
            np.testing.assert_allclose(fields[k], taylor_green(step) * pattern, atol=1e-6)
        # Times are relative to the window's start (normalize_time_grid).
        np.testing.assert_allclose(sample["input_time_grid"].numpy(), np.array(window[:4]) * 1e-3 - window[0] * 1e-3, atol=1e-7)
        assert sample["constant_scalars"].tolist() == pytest.approx([0.05, 0.0, 1.0, 1.0])
        # Periodic on both axes: The Well's boundary code 2 at both ends.
        assert sample["boundary_conditions"].tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_well_dataset_by_split_with_normalisation(dataset):
    from the_well.data.normalization import ZScoreNormalization

    ds = the_well_data.WellDataset(path=dataset, well_split_name="valid", n_steps_input=1, n_steps_output=1,
                                   use_normalization=True, normalization_type=ZScoreNormalization)
    assert len(ds) == 1 * 10
    sample = ds[0]
    assert tuple(sample["input_fields"].shape) == (1, 8, 8, 1)
    assert np.isfinite(sample["input_fields"].numpy()).all()
