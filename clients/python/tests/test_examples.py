"""The examples: the NumPy Navier-Stokes solver streams physically consistent windows through a real server, and
the online FNO script runs end to end (synthetic stream, then offline on a dataset in The Well's layout, then the
comparison plot). The FNO tests need torch and are skipped without it."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import PACKAGE_ROOT
from sluice import TrainerClient

EXAMPLES = os.path.join(PACKAGE_ROOT, "examples")
sys.path.insert(0, EXAMPLES)

from ns2d_numpy import NavierStokes2D  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def test_numpy_solver_decays_a_single_mode_at_the_viscous_rate():
    # w = sin(2 pi x) has no advection (u . grad w = 0), so without forcing w(t) = exp(-nu (2 pi)^2 t) w(0).
    solver = NavierStokes2D(n=32, nu=1e-2, dt=1e-2, seed=0)
    x = np.arange(32) / 32
    w0 = np.sin(2 * np.pi * x)[:, None] * np.ones((1, 32))
    solver.w_hat = np.fft.rfft2(w0)
    solver.forcing_hat[:] = 0
    for _ in range(100):
        solver.step()
    expected = np.exp(-1e-2 * (2 * np.pi) ** 2 * 1.0) * w0
    assert solver.time == pytest.approx(1.0)
    assert np.max(np.abs(solver.vorticity - expected)) < 1e-6  # Crank-Nicolson: O((nu k^2 dt)^2 t) ~ 2e-7


def test_numpy_solver_streams_consecutive_windows(server):
    with TrainerClient(server.consumer, group="g", batch_size=4) as trainer:
        p = subprocess.run([sys.executable, os.path.join(EXAMPLES, "ns2d_numpy.py"), "--server", server.solver,
                            "--member", "5", "--samples", "4", "--grid", "16", "--interval", "0.1", "--dt", "0.01"],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        batches = list(trainer.batches(idle_timeout=1.5))
    steps = np.concatenate([b.step for b in batches])
    windows = np.concatenate([b["vorticity"] for b in batches])
    times = np.concatenate([b.time for b in batches])
    order = np.argsort(steps)
    steps, windows, times = steps[order], windows[order], times[order]
    assert steps.tolist() == [1, 2, 3, 4] and windows.shape == (4, 2, 16, 16)
    assert np.allclose(times, [0.1, 0.2, 0.3, 0.4])
    # Sample k holds [w(k-1), w(k)]: consecutive samples share a snapshot exactly.
    for a, b in zip(windows[:-1], windows[1:]):
        assert np.array_equal(a[1], b[0])
    assert np.all(np.isfinite(windows)) and np.abs(windows).max() > 0.05
    assert abs(float(windows.mean())) < 1e-5  # periodic vorticity has zero mean
    params = batches[0].parameters
    assert params["nu"][0] == 1e-3 and params["seed"][0] == 5.0


def run_example(*args, timeout=240):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, "online_fno.py"), "--threads", "1", *args],
                       capture_output=True, text=True, timeout=timeout, env=env)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return p.stdout


def records(out):
    with open(os.path.join(out, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f]


def test_online_fno_runs_on_a_synthetic_stream_then_offline_and_compares(sluice_bin, tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("h5py")
    pytest.importorskip("matplotlib")
    online = str(tmp_path / "online")
    stdout = run_example("--synthetic", "--sluice", sluice_bin, "--grid", "16", "--members", "3",
                         "--concurrent", "2", "--samples-per-member", "30", "--valid-members", "1",
                         "--valid-samples", "6", "--steps", "12", "--log-every", "0", "--modes", "4",
                         "--width", "8", "--batch-size", "4", "--out", online)
    assert "pairing: window" in stdout
    rows = records(online)
    assert [r["step"] for r in rows] == list(range(1, 13))  # --log-every 0: a record per step
    assert rows[-1]["valid_loss"] is not None  # the last record waits for the validation set
    for r in rows:
        assert np.isfinite(r["train_loss"]) and r["samples_per_s"] > 0
        assert r["valid_loss"] is None or np.isfinite(r["valid_loss"])
        assert 0 < r["reservoir_fill"] <= 1 and r["reuse"] >= 1 and r["serve_count_mean"] >= 1
        assert 0 < r["unique_samples"] <= r["consumed"] <= 12 * 4
    summary = json.load(open(os.path.join(online, "summary.json")))
    assert summary["steps"] == 12 and summary["unique_samples"] == rows[-1]["unique_samples"]
    validation = np.load(os.path.join(online, "validation.npz"))
    assert validation["x"].shape == (6, 1, 16, 16) and validation["y"].shape == (6, 1, 16, 16)
    # sluice synth's window [value(t), ...] of one sample: target = input + 256 (mod 2^24), exactly.
    assert np.array_equal((validation["x"] + 256) % 2**24, validation["y"])
    assert open(os.path.join(online, "loss.png"), "rb").read(8) == PNG

    import h5py

    dataset = tmp_path / "well"
    for split, trajectories in (("train", 3), ("valid", 1)):
        os.makedirs(dataset / "data" / split)
        for t in range(trajectories):
            with h5py.File(dataset / "data" / split / f"synthetic_member{t:06d}.hdf5", "w") as f:
                f.attrs["dataset_name"], f.attrs["grid_type"], f.attrs["n_spatial_dims"] = "synthetic", "cartesian", 2
                f.attrs["n_trajectories"] = 1
                f.create_dataset("dimensions/time", data=np.arange(20, dtype=np.float32))
                steps = np.arange(20)[:, None, None]
                f.create_dataset("t0_fields/value", data=((t * 7919 + steps * 256 + np.arange(256).reshape(16, 16))
                                                          % 2**24).astype(np.float32)[None])
    offline = str(tmp_path / "offline")
    assert os.path.exists(os.path.join(online, "samples.npz"))
    # This hand-written dataset does not hold the stream's samples: match the count only.
    stdout = run_example("--offline", str(dataset), "--field", "value", "--match-online", online, "--match", "count",
                         "--steps", "6",
                         "--log-every", "0", "--modes", "4", "--width", "8", "--batch-size", "4", "--out", offline)
    unique = min(summary["unique_samples"], 3 * 19)
    assert f"offline: {unique} unique training samples, 6 validation samples" in stdout
    rows = records(offline)
    assert rows[-1]["step"] == 6 and rows[-1]["reservoir_fill"] is None and rows[-1]["mode"] == "offline"

    import online_fno

    comparison = str(tmp_path / "comparison.png")
    online_fno.main(["--compare", online, offline, "--out", comparison])
    assert open(comparison, "rb").read(8) == PNG


def test_stream_pairing_joins_consecutive_snapshots_of_each_member():
    pytest.importorskip("torch")
    from fno_data import Pairing

    from sluice.batch import Batch
    from sluice.model import BatchField, BatchHeader, DType, make_entries
    from sluice.synthetic import values

    def batch(keys):
        header = BatchHeader(sequence=0, entries=make_entries(sample_id=range(len(keys)), member=[m for m, _ in keys],
                                                              step=[s for _, s in keys], time=[0.0] * len(keys),
                                                              serve_count=[1] * len(keys)),
                             fields=[BatchField("value", DType.F32, 2, shape=(4, 4))])
        return Batch(header, [np.stack([values(m, s, (4, 4)) for m, s in keys]).tobytes()])

    pairing = Pairing("auto", "value", 1, 1)
    x, y, used = pairing(batch([(0, 0), (1, 0), (0, 1)]))
    assert pairing.mode == "stream" and used == [(0, 1)]
    assert np.array_equal(x[0, 0], values(0, 0, (4, 4))) and np.array_equal(y[0, 0], values(0, 1, (4, 4)))
    x, y, used = pairing(batch([(1, 1), (0, 2)]))
    assert used == [(1, 1), (0, 2)]
    assert np.array_equal(x[1, 0], values(0, 1, (4, 4))) and np.array_equal(y[1, 0], values(0, 2, (4, 4)))


def test_offline_reads_a_sluice_export_of_the_streamed_members(sluice_bin, server, tmp_path):
    # `sluice export` of members 0-1 (4 snapshots each) holds bit for bit what `sluice solve` streams for them, and
    # the offline arm picks exactly the (member, time) samples an online run used from it.
    pytest.importorskip("torch")
    h5py = pytest.importorskip("h5py")
    case = os.path.join(PACKAGE_ROOT, "..", "..", "solvers", "ns2d", "fno-demo.yaml")
    dataset = tmp_path / "dataset"
    p = subprocess.run([sluice_bin, "export", case, "--out", str(dataset), "--members", "0-1", "--steps", "300",
                        "--unfiltered", "--train", "1", "--valid", "0", "--test", "0", "--threads", "0", "--quiet"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr

    from fno_data import well_files, well_windows

    files = well_files(str(dataset), "train")
    assert [os.path.basename(f) for f in files] == ["fno-demo_member000000.hdf5", "fno-demo_member000001.hdf5"]
    x, y, ids = well_windows(files, "vorticity", 1, 1)
    assert x.shape == (6, 1, 64, 64) and y.shape == (6, 1, 64, 64)
    assert np.allclose(ids, [(m, t) for m in (0, 1) for t in (0.1, 0.2, 0.3)])

    with TrainerClient(server.consumer, group="g", batch_size=4) as trainer:
        p = subprocess.run([sluice_bin, "solve", case, "--member", "1", "--steps", "300", "--server", server.solver,
                            "--quiet"], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stdout + p.stderr
        batches = list(trainer.batches(idle_timeout=1.5))
    times = np.concatenate([b.time for b in batches])
    streamed = np.concatenate([b["vorticity"] for b in batches])[np.argsort(times)]
    times = np.sort(times)
    with h5py.File(files[1], "r") as f:
        exported = f["t0_fields/vorticity"][0]
        assert np.allclose(f["dimensions/time"][...], times)
    assert np.array_equal(streamed, exported)

    # An online run's outputs, as --match-online reads them: 3 samples used, and a validation set.
    online = tmp_path / "online"
    os.makedirs(online)
    np.savez(online / "samples.npz", member_time=np.array([(0, 0.2), (1, 0.1), (1, 0.3)]))
    np.savez(online / "validation.npz", x=x[:2], y=y[:2])
    with open(online / "summary.json", "w") as f:
        json.dump({"unique_samples": 3}, f)
    x3, _, picked = well_windows(files, "vorticity", 1, 1, keys=[(0, 0.2), (1, 0.1), (1, 0.3)])
    assert np.array_equal(x3[1, 0], streamed[0]) and np.allclose(picked, [[0, 0.2], [1, 0.1], [1, 0.3]])
    stdout = run_example("--offline", str(dataset), "--match-online", str(online), "--steps", "3", "--log-every",
                         "0", "--modes", "4", "--width", "8", "--batch-size", "2", "--out", str(tmp_path / "off"))
    assert "the 3 samples (member, time) the online run" in stdout and "offline: 3 unique training samples" in stdout
    summary = json.load(open(tmp_path / "off" / "summary.json"))
    assert summary["steps"] == 3 and summary["unique_samples"] == 3 and summary["valid_samples"] == 2
    with pytest.raises(SystemExit, match="not in the dataset"):
        well_windows(files, "vorticity", 1, 1, keys=[(2, 0.1)])
