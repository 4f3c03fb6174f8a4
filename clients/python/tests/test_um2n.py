"""A tsunami member streams moving-mesh samples through a real server; the UM2N example writes them in the layout
UM2N's MeshDataset loads (schemas/um2n/FIELDS.md)."""

import glob
import os
import subprocess
import sys

import numpy as np

from conftest import PACKAGE_ROOT

CASE = """
solver: tsunami
name: um2n-python
parameters: {amplitude: 2.0, width: 15000.0}
mesh: {nx: 12, ny: 6, length_x: 200000.0, length_y: 100000.0}
bathymetry:
  profile: {basin_depth: 4000.0, shelf_depth: 200.0, slope_start: 100000.0, slope_end: 140000.0,
            coast_start: 170000.0, beach_slope: 0.01}
source: gaussian
gauges: [{name: deep, x: 90000.0, y: 50000.0}]
movement: {every: 5}
time: {dt: 20.0, steps: 10}
output: {every: {steps: 5}, um2n: true}
"""


def test_tsunami_samples_become_um2n_files(server, sluice_bin, tmp_path):
    case = tmp_path / "tsunami.yaml"
    case.write_text(CASE)
    solve = subprocess.run([sluice_bin, "solve", str(case), "--server", server.solver, "--quiet"],
                           capture_output=True, text=True, timeout=120)
    assert solve.returncode == 0, solve.stderr
    out = tmp_path / "um2n"
    p = subprocess.run([sys.executable, os.path.join(PACKAGE_ROOT, "examples", "um2n_tsunami.py"), "--server",
                        server.consumer, "--output", str(out), "--idle-timeout", "2", "--limit", "3"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    files = sorted(glob.glob(str(out / "data_*.npy")))
    assert len(files) == 3
    vertices, triangles, edges = 13 * 7, 2 * 12 * 6, 13 * 7 + 2 * 12 * 6 - 1
    for path in files:
        d = np.load(path, allow_pickle=True).item()
        assert d["x"].shape == (vertices, 2) and d["y"].shape == (vertices, 2)
        assert d["face_idxs"].shape == (triangles, 3) and d["edge_index_bi"].shape == (2, 2 * edges)
        assert d["hessian"].shape == (vertices, 2, 2) and d["conv_uh"].shape == (1, 20, 20)
        assert int(d["bd_mask"].sum()) == 2 * (12 + 6) and d["node_num"] == vertices
        assert int(d["bd_left_mask"].sum()) == 7 and int(d["bd_up_mask"].sum()) == 13
        # The target is the moved computational mesh: same boundary, interior vertices moved.
        assert np.abs(d["y"] - d["x"]).max() > 1.0
        assert np.allclose(d["grad_phi"], d["y"] - d["x"], atol=0.05)  # f32 coordinates of 2e5 m
        assert np.all(d["monitor_val"] >= 1 - 1e-6)
