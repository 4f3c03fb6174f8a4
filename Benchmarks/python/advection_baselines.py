"""NumPy and PyTorch (CPU) baselines for `sluice bench advection`: the limited finite-volume scheme of
solvers/advection/README.md (MUSCL with the MC limiter, upwind fluxes on stream-function face velocities,
SSP-RK3) in LeVeque's swirl, vectorised with rolls, timed on the same initial cell averages the Swift solver steps.

usage: advection_baselines.py --input Q0 --size N --steps S --dt DT --swirl-period T --output-dir DIR
Writes DIR/numpy.f64, DIR/torch_1thread.f64 and DIR/torch.f64 (q after S steps) and prints one JSON object of
seconds per step: the fastest of five blocks of steps (the least disturbed on a shared machine) and the median.
PyTorch runs with one intra-op thread and with its default thread count.
"""
import argparse
import json
import math
import os
import time

import numpy as np


def face_velocities(n):
    """Normal velocities (g = 1) on the x-faces (x = i h) and y-faces (y = j h) of cell (i, j), from
    psi = sin^2(pi x) sin^2(pi y) / pi differenced along each face."""
    h = 1.0 / n
    c = np.arange(n + 1) * h
    s2 = np.sin(math.pi * c) ** 2
    psi = np.outer(s2, s2) / math.pi                 # psi at cell corners (i h, j h), i, j = 0..n
    u = (psi[:n, 1:] - psi[:n, :n]) / h              # x-face i, from y = j h to (j + 1) h
    v = -(psi[1:, :n] - psi[:n, :n]) / h             # y-face j, from x = i h to (i + 1) h
    return u, v


def make_tendency(xp, roll, where, minimum, u_face, v_face, n, period):
    inv_h = float(n)

    def mc(a, b):
        x, y = abs(a), abs(b)
        s = minimum(minimum(2 * x, 2 * y), 0.5 * (x + y))
        return where(a * b > 0, where(a > 0, s, -s), 0 * a)

    def tendency(q, t):
        g = math.cos(math.pi * t / period)
        q_below, q_above = roll(q, 1, 0), roll(q, -1, 0)
        q_left, q_right = roll(q, 1, 1), roll(q, -1, 1)
        sx = mc(q - q_below, q_above - q)
        sy = mc(q - q_left, q_right - q)
        u = g * u_face
        v = g * v_face
        fx = where(u >= 0, u * (q_below + 0.5 * roll(sx, 1, 0)), u * (q - 0.5 * sx))
        fy = where(v >= 0, v * (q_left + 0.5 * roll(sy, 1, 1)), v * (q - 0.5 * sy))
        return -((roll(fx, -1, 0) - fx) + (roll(fy, -1, 1) - fy)) * inv_h

    return tendency


def ssp_rk3(tendency, q, t, dt):
    k1 = tendency(q, t)
    k2 = tendency(q + dt * k1, t + dt)
    k3 = tendency(q + 0.25 * dt * k1 + 0.25 * dt * k2, t + 0.5 * dt)
    return q + dt * (k1 / 6 + k2 / 6 + 2 * k3 / 3)


def run(q0, steps, dt, tendency, block):
    """Two warm-up steps, then `steps` steps in blocks; the fastest and the median block's seconds per step."""
    q = q0
    for _ in range(2):
        ssp_rk3(tendency, q, 0.0, dt)
    blocks, k = [], 0
    while k < steps:
        size = min(block, steps - k)
        start = time.perf_counter()
        for _ in range(size):
            q = ssp_rk3(tendency, q, k * dt, dt)
            k += 1
        blocks.append((time.perf_counter() - start) / size)
    blocks.sort()
    return q, {"seconds_per_step": blocks[0], "median_seconds_per_step": blocks[len(blocks) // 2]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--dt", type=float, required=True)
    parser.add_argument("--swirl-period", type=float, default=1.5)
    parser.add_argument("--output-dir", required=True)
    args = parser.parse_args()
    block = max(1, args.steps // 5)
    n = args.size
    q0 = np.fromfile(args.input, dtype="<f8").reshape(n, n)
    u_face, v_face = face_velocities(n)
    report = {"versions": {"numpy": np.__version__}}

    tendency = make_tendency(np, np.roll, np.where, np.minimum, u_face, v_face, n, args.swirl_period)
    q, timing = run(q0, args.steps, args.dt, tendency, block)
    q.astype("<f8").tofile(os.path.join(args.output_dir, "numpy.f64"))
    report["numpy"] = timing

    try:
        import torch
        tu, tv = torch.from_numpy(u_face), torch.from_numpy(v_face)
        tendency = make_tendency(torch, lambda a, s, d: torch.roll(a, s, d), torch.where, torch.minimum, tu, tv, n,
                                 args.swirl_period)
        default_threads = torch.get_num_threads()
        for name, threads in [("torch_1thread", 1), ("torch", default_threads)]:
            torch.set_num_threads(threads)
            with torch.no_grad():
                q, timing = run(torch.from_numpy(q0), args.steps, args.dt, tendency, block)
            q.numpy().astype("<f8").tofile(os.path.join(args.output_dir, f"{name}.f64"))
            report[name] = dict(timing, threads=threads)
        report["versions"]["torch"] = torch.__version__
    except ImportError as error:
        report["torch"] = {"error": f"PyTorch is not installed: {error}"}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
