"""The FNO 2-D Navier-Stokes recipe in NumPy, written from the equations (solvers/ns2d/README.md), as an
independent reference for the Swift solver (Tests/NavierStokes2DTests/NumPyReferenceTests.swift).

On the periodic box [0, L)^2 with n x n points x_i = i L / n (x along axis 0, y along axis 1):

    d omega/dt + u d omega/dx + v d omega/dy = nu Laplacian omega + f,
    -Laplacian psi = omega,  u = d psi/dy,  v = -d psi/dx,
    f = A (sin(2 pi (x + y) / L) + cos(2 pi (x + y) / L)).

In Fourier space (kappa = 2 pi k / L) one step of Crank-Nicolson on viscosity with forward Euler on the rest is

    omega_hat' = ((1 - dt/2 nu |kappa|^2) omega_hat + dt (f_hat - D N_hat)) / (1 + dt/2 nu |kappa|^2),

with N = u omega_x + v omega_y formed on the grid and D the 2/3 mask (|k_a| <= (2/3) floor(n/2) on both axes).
Odd derivatives multiply by i kappa with kappa = 0 at the Nyquist index n/2 (so every inverse transform gets a
Hermitian spectrum); psi_hat = omega_hat / |kappa|^2 with psi_hat = 0 at kappa = 0.

usage: fno_step.py INPUT OUTPUT N LENGTH VISCOSITY FORCING_AMPLITUDE DT STEPS
INPUT holds omega (n*n little-endian float64, row-major); OUTPUT receives omega after STEPS steps.
"""
import sys

import numpy as np


def main(argv):
    src, dst = argv[1], argv[2]
    n = int(argv[3])
    length, nu, amplitude, dt = (float(a) for a in argv[4:8])
    steps = int(argv[8])

    omega = np.fromfile(src, dtype="<f8").reshape(n, n)

    k_axis0 = np.fft.fftfreq(n, d=1.0 / n)          # 0, 1, ..., -n/2, ..., -1
    k_axis1 = np.fft.rfftfreq(n, d=1.0 / n)         # 0, 1, ..., n/2
    kx_int, ky_int = np.meshgrid(k_axis0, k_axis1, indexing="ij")
    scale = 2 * np.pi / length
    kx, ky = scale * kx_int, scale * ky_int
    k2 = kx ** 2 + ky ** 2
    nyquist = n // 2
    kx_d = np.where(np.abs(kx_int) == nyquist, 0.0, kx)
    ky_d = np.where(np.abs(ky_int) == nyquist, 0.0, ky)
    keep = (2.0 / 3.0) * (n // 2)
    mask = ((np.abs(kx_int) <= keep) & (np.abs(ky_int) <= keep)).astype(float)

    coords = np.arange(n) * (length / n)
    x, y = np.meshgrid(coords, coords, indexing="ij")
    phase = 2 * np.pi * (x + y) / length
    f_hat = np.fft.rfft2(amplitude * (np.sin(phase) + np.cos(phase)))

    w_hat = np.fft.rfft2(omega)
    safe_k2 = np.where(k2 > 0, k2, 1.0)
    for _ in range(steps):
        psi_hat = np.where(k2 > 0, w_hat / safe_k2, 0.0)
        u = np.fft.irfft2(1j * ky_d * psi_hat, s=(n, n))
        v = np.fft.irfft2(-1j * kx_d * psi_hat, s=(n, n))
        w_x = np.fft.irfft2(1j * kx_d * w_hat, s=(n, n))
        w_y = np.fft.irfft2(1j * ky_d * w_hat, s=(n, n))
        n_hat = np.fft.rfft2(u * w_x + v * w_y)
        w_hat = ((1 - 0.5 * dt * nu * k2) * w_hat + dt * (f_hat - mask * n_hat)) / (1 + 0.5 * dt * nu * k2)

    np.fft.irfft2(w_hat, s=(n, n)).astype("<f8").tofile(dst)


if __name__ == "__main__":
    main(sys.argv)
