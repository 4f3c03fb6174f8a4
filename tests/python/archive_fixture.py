"""A small dataset written by the real `sluice export` (standalone), shared by the archive layout and The Well
loader tests: an NS2D Taylor-Green case, 4 members, 16^2 filtered to 8^2, float32, deflate on."""
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SLUICE = os.environ.get("SLUICE_BIN", os.path.join(ROOT, ".build", "debug", "sluice"))

CASE = """\
solver: ns2d
name: pytest-taylor-green
parameters:
  viscosity: 0.05
  amplitude: 1.0
grid: {points: 16, length: 1.0}
time: {scheme: cn-euler, dt: 1.0e-3, steps: 50}
forcing: none
initial_condition: {kind: taylor-green}
output:
  every: {steps: 5}
  fields: [vorticity]
  dtype: f64
"""

SPEC = """\
name: tg
filter:
  axes:
    - {kind: spectral, points: 8}
    - {kind: box, factor: 2}
compression: {deflate: 4, shuffle: true}
split: {train: 0.5, valid: 0.25, test: 0.25, seed: 7}
"""

# The NS2D solver's parameters for a Taylor-Green case, in the order it reports them.
PARAMETERS = ["viscosity", "drag", "amplitude", "wavenumber"]
VISCOSITY = 0.05
DT = 1e-3
STEPS = list(range(0, 51, 5))  # 11 snapshots per member


def export_dataset(tmp, extra=()):
    """Writes the case and spec into `tmp`, runs `sluice export` and returns the dataset directory."""
    case = os.path.join(tmp, "tg.yaml")
    spec = os.path.join(tmp, "spec.yaml")
    with open(case, "w") as f:
        f.write(CASE)
    with open(spec, "w") as f:
        f.write(SPEC)
    out = os.path.join(tmp, "tg")
    result = subprocess.run([SLUICE, "export", case, "--out", out, "--spec", spec, "--members", "0-3",
                             "--quiet", *extra], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def taylor_green(step, amplitude=1.0):
    """The exact Crank-Nicolson Taylor-Green amplitude at `step` (vorticity A cos(2 pi x) cos(2 pi y) r^step)."""
    lam = -VISCOSITY * 8 * 3.141592653589793 ** 2
    r = (1 + 0.5 * DT * lam) / (1 - 0.5 * DT * lam)
    return amplitude * r ** step
