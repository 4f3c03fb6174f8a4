#!/usr/bin/env python3
"""A small NumPy solver that streams into Sluice: 2D incompressible Navier-Stokes in vorticity form, the FNO setup.

    dw/dt + u . grad(w) = nu * lap(w) + f,    u = (d psi/dy, -d psi/dx),   -lap(psi) = w,

on the periodic unit square, with f(x, y) = 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)), nu = 1e-3 and a Gaussian random
initial vorticity N(0, 7^{3/2} (-lap + 49)^{-5/2}) drawn from the member's seed, as in Li et al., "Fourier Neural
Operator for Parametric PDEs" (2021). Pseudo-spectral in space (2/3-rule dealiasing), Crank-Nicolson for viscosity
and Heun (RK2) for advection and forcing. Non-dimensional: unit domain, unit time; one output per `--interval`.

Each sample carries the last `--window` snapshots as one field, ``vorticity`` float32 [window, grid, grid], so a
trainer gets input and target(s) from one sample (window 2: w(t - interval) -> w(t)). Streaming is the five lines
around ``SolverClient`` in ``main``; the rest is the solver.

    python clients/python/examples/ns2d_numpy.py --server tcp://127.0.0.1:5555 --member 3 --samples 20
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Iterator

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout

from sluice import SolverClient  # noqa: E402


class NavierStokes2D:
    """Vorticity on an N x N periodic grid over [0, 1)^2; ``step`` advances by ``dt``."""

    def __init__(self, n: int, nu: float, dt: float, seed: int) -> None:
        self.n, self.nu, self.dt = n, nu, dt
        k = 2 * np.pi * np.fft.fftfreq(n, d=1.0 / n)                  # angular wavenumbers, full axis
        kr = 2 * np.pi * np.fft.rfftfreq(n, d=1.0 / n)                # half axis for rfft2
        self.kx, self.ky = np.meshgrid(k, kr, indexing="ij")
        self.lap = self.kx**2 + self.ky**2                             # -Laplacian symbol
        self.inv_lap = np.where(self.lap > 0, 1.0 / np.where(self.lap > 0, self.lap, 1.0), 0.0)
        cut = (2.0 / 3.0) * (n // 2) * 2 * np.pi
        self.dealias = (np.abs(self.kx) < cut) & (np.abs(self.ky) < cut)
        x = np.arange(n) / n
        xx, yy = np.meshgrid(x, x, indexing="ij")
        self.forcing_hat = np.fft.rfft2(0.1 * (np.sin(2 * np.pi * (xx + yy)) + np.cos(2 * np.pi * (xx + yy))))
        self.w_hat = np.fft.rfft2(self.initial_vorticity(seed))
        self.time = 0.0

    def initial_vorticity(self, seed: int, alpha: float = 2.5, tau: float = 7.0) -> np.ndarray:
        """A sample of N(0, tau^(2 alpha - 2) (-lap + tau^2)^(-alpha)) with zero mean (FNO's GaussianRF)."""
        rng = np.random.default_rng(seed)
        n = self.n
        k = 2 * np.pi * np.fft.fftfreq(n, d=1.0 / n)
        kx, ky = np.meshgrid(k, k, indexing="ij")
        sigma = tau ** (0.5 * (2 * alpha - 2))
        coeff = np.sqrt(2.0) * n * n * sigma * (kx**2 + ky**2 + tau**2) ** (-alpha / 2)
        coeff[0, 0] = 0.0
        xi = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
        return np.real(np.fft.ifft2(coeff * xi))

    def rhs(self, w_hat: np.ndarray) -> np.ndarray:
        """Fourier coefficients of -u . grad(w) + f (dealiased)."""
        psi_hat = w_hat * self.inv_lap
        u = np.fft.irfft2(1j * self.ky * psi_hat, s=(self.n, self.n))
        v = np.fft.irfft2(-1j * self.kx * psi_hat, s=(self.n, self.n))
        wx = np.fft.irfft2(1j * self.kx * w_hat, s=(self.n, self.n))
        wy = np.fft.irfft2(1j * self.ky * w_hat, s=(self.n, self.n))
        return -np.fft.rfft2(u * wx + v * wy) * self.dealias + self.forcing_hat

    def step(self) -> None:
        """Heun for the explicit part, Crank-Nicolson for nu * lap(w)."""
        dt, damp = self.dt, 0.5 * self.dt * self.nu * self.lap
        n1 = self.rhs(self.w_hat)
        predictor = ((1 - damp) * self.w_hat + dt * n1) / (1 + damp)
        n2 = self.rhs(predictor)
        self.w_hat = ((1 - damp) * self.w_hat + 0.5 * dt * (n1 + n2)) / (1 + damp)
        self.time += dt

    @property
    def vorticity(self) -> np.ndarray:
        return np.fft.irfft2(self.w_hat, s=(self.n, self.n))

    def outputs(self, interval: float) -> Iterator[np.ndarray]:
        """The vorticity now and after every further ``interval`` of simulated time."""
        steps = max(1, int(round(interval / self.dt)))
        while True:
            yield self.vorticity
            for _ in range(steps):
                self.step()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server", required=True, help="the server's solver endpoint")
    p.add_argument("--member", type=int, default=0, help="member index (also the initial condition's seed)")
    p.add_argument("--samples", type=int, default=50, help="samples to stream")
    p.add_argument("--grid", type=int, default=64, help="grid points per axis")
    p.add_argument("--nu", type=float, default=1e-3, help="viscosity")
    p.add_argument("--dt", type=float, default=1e-2, help="time step")
    p.add_argument("--interval", type=float, default=1.0, help="simulated time between snapshots")
    p.add_argument("--window", type=int, default=2, help="snapshots per sample (input steps + target steps)")
    p.add_argument("--seed-offset", type=int, default=0, help="seed = member + seed offset")
    p.add_argument("--study", default="ns2d-numpy")
    p.add_argument("--quiet", action="store_true", help="print nothing when done")
    args = p.parse_args()

    solver = NavierStokes2D(args.grid, args.nu, args.dt, seed=args.member + args.seed_offset)
    window = []
    started = time.monotonic()
    sample_bytes = args.window * args.grid * args.grid * 4
    with SolverClient(args.server, member=args.member, sample_bytes=sample_bytes, study=args.study) as client:
        step = 0
        for index, w in enumerate(solver.outputs(args.interval)):
            window = (window + [w.astype(np.float32)])[-args.window:]
            if len(window) < args.window or index in client.accepted_steps:
                continue
            client.publish(index, time=solver.time, fields={"vorticity": np.stack(window)},
                           parameters={"nu": args.nu, "seed": float(args.member + args.seed_offset)},
                           bounds=[(0.0, 1.0), (0.0, 1.0)], final=step == args.samples - 1, copy=False)
            step += 1
            if step == args.samples:
                break
    if not args.quiet:
        print(f"member {args.member}: {step} samples to t={solver.time:.2f} in {time.monotonic() - started:.1f} s",
              file=sys.stderr)


if __name__ == "__main__":
    main()
