"""NumPy and PyTorch (CPU) baselines for `sluice bench ns2d`: the FNO 2-D Navier-Stokes step (the recipe of
solvers/ns2d/README.md: Crank-Nicolson on viscosity, forward Euler on advection and forcing, 2/3 dealiasing,
odd derivatives zero at the Nyquist index), timed on the same initial field the Swift solver steps.

usage: ns2d_baselines.py --input OMEGA0 --size N --steps S --output-dir DIR [--viscosity NU] [--dt DT]
Writes DIR/numpy.f64 and DIR/torch.f64 (omega after S steps, row-major little-endian float64) and prints one JSON
object: {"numpy": {"seconds_per_step": ...}, "torch": {...} or {"error": ...}, "versions": {...}}.
Timing: after two warm-up steps, the S steps run in blocks of --block steps (default S / 5, at least 1); the
reported time per step is the fastest block's (the minimum is the estimate least disturbed by other processes on
a shared machine), and the median block's is reported beside it. PyTorch runs once with one intra-op thread
(the Swift solver's budget) and once with its default thread count.
"""
import argparse
import json
import math
import os
import time

import numpy as np


def wavenumbers(n, length, xp, dtype):
    """Integer and physical wavenumbers of the half spectrum, the derivative multipliers and the 2/3 mask."""
    k0 = np.fft.fftfreq(n, d=1.0 / n)
    k1 = np.fft.rfftfreq(n, d=1.0 / n)
    kx_int, ky_int = np.meshgrid(k0, k1, indexing="ij")
    scale = 2 * math.pi / length
    kx, ky = scale * kx_int, scale * ky_int
    k2 = kx ** 2 + ky ** 2
    kx_d = np.where(np.abs(kx_int) == n // 2, 0.0, kx)
    ky_d = np.where(np.abs(ky_int) == n // 2, 0.0, ky)
    keep = (2.0 / 3.0) * (n // 2)
    mask = ((np.abs(kx_int) <= keep) & (np.abs(ky_int) <= keep)).astype(float)
    inv_k2 = np.where(k2 > 0, 1.0 / np.where(k2 > 0, k2, 1.0), 0.0)
    return k2, kx_d, ky_d, mask, inv_k2


def forcing(n, length):
    x = np.arange(n) * (length / n)
    X, Y = np.meshgrid(x, x, indexing="ij")
    phase = 2 * math.pi * (X + Y) / length
    return 0.1 * (np.sin(phase) + np.cos(phase))


def timed(step, state, steps, block):
    """Runs `steps` steps after two warm-up steps (on a copy), in blocks; returns the state and the fastest and
    median block's seconds per step."""
    warm = state
    for _ in range(2):
        warm = step(warm)
    blocks = []
    done = 0
    while done < steps:
        size = min(block, steps - done)
        start = time.perf_counter()
        for _ in range(size):
            state = step(state)
        blocks.append((time.perf_counter() - start) / size)
        done += size
    blocks.sort()
    return state, {"seconds_per_step": blocks[0], "median_seconds_per_step": blocks[len(blocks) // 2]}


def run_numpy(omega0, n, steps, nu, dt, block):
    k2, kx_d, ky_d, mask, inv_k2 = wavenumbers(n, 1.0, np, float)
    f_hat = np.fft.rfft2(forcing(n, 1.0))
    ikx, iky = 1j * kx_d, 1j * ky_d
    denom = 1 + 0.5 * dt * nu * k2
    a = (1 - 0.5 * dt * nu * k2) / denom
    b = dt / denom
    w_hat = np.fft.rfft2(omega0)

    def step(w_hat):
        psi_hat = w_hat * inv_k2
        u = np.fft.irfft2(iky * psi_hat, s=(n, n))
        v = np.fft.irfft2(-ikx * psi_hat, s=(n, n))
        w_x = np.fft.irfft2(ikx * w_hat, s=(n, n))
        w_y = np.fft.irfft2(iky * w_hat, s=(n, n))
        n_hat = np.fft.rfft2(u * w_x + v * w_y)
        return a * w_hat + b * (f_hat - mask * n_hat)

    w_hat, timing = timed(step, w_hat, steps, block)
    return np.fft.irfft2(w_hat, s=(n, n)), timing


def run_torch(omega0, n, steps, nu, dt, block):
    import torch
    k2, kx_d, ky_d, mask, inv_k2 = (torch.from_numpy(np.ascontiguousarray(a)) for a in wavenumbers(n, 1.0, np, float))
    f_hat = torch.fft.rfft2(torch.from_numpy(forcing(n, 1.0)))
    ikx, iky = 1j * kx_d, 1j * ky_d
    denom = 1 + 0.5 * dt * nu * k2
    a = (1 - 0.5 * dt * nu * k2) / denom
    b = dt / denom
    w_hat = torch.fft.rfft2(torch.from_numpy(omega0))

    def step(w_hat):
        psi_hat = w_hat * inv_k2
        u = torch.fft.irfft2(iky * psi_hat, s=(n, n))
        v = torch.fft.irfft2(-ikx * psi_hat, s=(n, n))
        w_x = torch.fft.irfft2(ikx * w_hat, s=(n, n))
        w_y = torch.fft.irfft2(iky * w_hat, s=(n, n))
        n_hat = torch.fft.rfft2(u * w_x + v * w_y)
        return a * w_hat + b * (f_hat - mask * n_hat)

    with torch.no_grad():
        w_hat, timing = timed(step, w_hat, steps, block)
        result = torch.fft.irfft2(w_hat, s=(n, n)).numpy()
    return result, timing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--viscosity", type=float, default=1e-3)
    parser.add_argument("--dt", type=float, default=1e-4)
    parser.add_argument("--block", type=int, default=0, help="steps per timed block (default: steps / 5)")
    parser.add_argument("--skip-numpy", action="store_true")
    args = parser.parse_args()
    block = args.block if args.block > 0 else max(1, args.steps // 5)
    n = args.size
    omega0 = np.fromfile(args.input, dtype="<f8").reshape(n, n)
    report = {"versions": {"numpy": np.__version__}}
    if not args.skip_numpy:
        final, timing = run_numpy(omega0, n, args.steps, args.viscosity, args.dt, block)
        final.astype("<f8").tofile(os.path.join(args.output_dir, "numpy.f64"))
        report["numpy"] = timing
    try:
        import torch
        default_threads = torch.get_num_threads()
        for name, threads in [("torch_1thread", 1), ("torch", default_threads)]:
            torch.set_num_threads(threads)
            final, timing = run_torch(omega0, n, args.steps, args.viscosity, args.dt, block)
            final.astype("<f8").tofile(os.path.join(args.output_dir, f"{name}.f64"))
            report[name] = dict(timing, threads=threads)
        report["versions"]["torch"] = torch.__version__
    except ImportError as error:
        report["torch"] = {"error": f"PyTorch is not installed: {error}"}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
