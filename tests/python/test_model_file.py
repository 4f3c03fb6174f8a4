"""`sluice train`'s model.h5 read with h5py and NumPy alone (docs/training.md): the layout, the provenance, and a
forward pass in NumPy that reproduces the predictions Swift stored in /check."""
import json
import os
import subprocess

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def sluice_binary():
    path = os.environ.get("SLUICE_BIN") or os.path.join(ROOT, ".build", "debug", "sluice")
    if not os.path.exists(path):
        pytest.skip(f"no sluice binary at {path}: swift build first")
    return path


def test_model_file_reads_and_predicts_in_numpy(tmp_path):
    out = tmp_path / "train"
    subprocess.run([sluice_binary(), "train", "--study", os.path.join(ROOT, "solvers/advection/surrogate-study.yaml"),
                    "--offline-members", "3", "--steps", "40", "--batch-size", "8", "--hidden", "32,16",
                    "--activation", "tanh", "--validation-members", "1", "--validate-every", "20", "--plain",
                    "--out", str(out)], check=True, capture_output=True, timeout=300)
    summary = json.loads((out / "summary.json").read_text())
    with h5py.File(out / "model.h5", "r") as f:
        assert f.attrs["format"] == "sluice-mlp"
        widths = [int(w) for w in f.attrs["widths"]]
        assert widths == [6, 32, 16, 1024]
        names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["input_names"]]
        assert names == ["centre_x", "centre_y", "velocity_x", "velocity_y", "width", "time"]
        assert f.attrs["mode"] == "offline" and int(f.attrs["steps"]) == 40
        assert abs(float(f.attrs["final_validation_error"]) - summary["final_validation_error"]) < 1e-12
        layers = [(f[f"layers/{l}/weight"][...], f[f"layers/{l}/bias"][...]) for l in range(len(widths) - 1)]
        mean, std = f["normalization/input_mean"][...], f["normalization/input_std"][...]
        out_mean = f["normalization/output_mean"][...]
        out_std = float(f["normalization"].attrs["output_std"])
        x, expected = f["check/inputs"][...], f["check/outputs"][...]
        steps = f["history/step"][...]
        assert list(steps) == [0, 20, 40]
    assert x.shape == (4, 6) and expected.shape == (4, 1024)
    h = (x.astype(np.float64) - mean) / std
    for i, (w, b) in enumerate(layers):
        h = h @ w.astype(np.float64) + b
        if i < len(layers) - 1:
            h = np.tanh(h)
    y = h * out_std + out_mean
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())
