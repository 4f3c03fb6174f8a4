"""A small two-dimensional Fourier Neural Operator in plain PyTorch (Li et al., "Fourier Neural Operator for
Parametric Partial Differential Equations", ICLR 2021), and the relative L2 loss used to train it.

The network lifts (input channels + 2 grid coordinates) to ``width`` channels, applies ``layers`` Fourier layers
(a spectral convolution keeping ``modes`` x ``modes`` low wavenumbers, plus a pointwise linear map, then GELU), and
projects to the output channels. Inputs and outputs are ``[batch, channels, x, y]`` on a periodic unit square.
"""

from __future__ import annotations

import torch
from torch import nn


class SpectralConv2d(nn.Module):
    """Multiplies the lowest ``modes`` x ``modes`` Fourier coefficients (both signs of the first wavenumber) by
    learned complex weights; higher modes are dropped."""

    def __init__(self, in_channels: int, out_channels: int, modes: int) -> None:
        super().__init__()
        self.modes = modes
        scale = 1.0 / (in_channels * out_channels)
        shape = (in_channels, out_channels, modes, modes)
        self.w_pos = nn.Parameter(scale * torch.randn(*shape, dtype=torch.cfloat))
        self.w_neg = nn.Parameter(scale * torch.randn(*shape, dtype=torch.cfloat))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, nx, ny = x.shape
        m = min(self.modes, nx // 2, ny // 2 + 1)
        x_hat = torch.fft.rfft2(x)
        out = torch.zeros(b, self.w_pos.shape[1], nx, ny // 2 + 1, dtype=torch.cfloat, device=x.device)
        out[:, :, :m, :m] = torch.einsum("bixy,ioxy->boxy", x_hat[:, :, :m, :m], self.w_pos[:, :, :m, :m])
        out[:, :, -m:, :m] = torch.einsum("bixy,ioxy->boxy", x_hat[:, :, -m:, :m], self.w_neg[:, :, :m, :m])
        return torch.fft.irfft2(out, s=(nx, ny))


class FNO2d(nn.Module):
    """``in_channels`` input snapshots -> ``out_channels`` predicted snapshots on the same grid."""

    def __init__(self, in_channels: int, out_channels: int, modes: int = 12, width: int = 32,
                 layers: int = 4) -> None:
        super().__init__()
        self.lift = nn.Conv2d(in_channels + 2, width, 1)
        self.spectral = nn.ModuleList(SpectralConv2d(width, width, modes) for _ in range(layers))
        self.pointwise = nn.ModuleList(nn.Conv2d(width, width, 1) for _ in range(layers))
        self.project = nn.Sequential(nn.Conv2d(width, 4 * width, 1), nn.GELU(), nn.Conv2d(4 * width, out_channels, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, nx, ny = x.shape
        gx = torch.linspace(0, 1, nx + 1, device=x.device)[:-1].view(1, 1, nx, 1).expand(b, 1, nx, ny)
        gy = torch.linspace(0, 1, ny + 1, device=x.device)[:-1].view(1, 1, 1, ny).expand(b, 1, nx, ny)
        h = self.lift(torch.cat([x, gx, gy], dim=1))
        for i, (spectral, pointwise) in enumerate(zip(self.spectral, self.pointwise)):
            h = spectral(h) + pointwise(h)
            if i < len(self.spectral) - 1:
                h = nn.functional.gelu(h)
        return self.project(h)


def relative_l2(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean over the batch of ||prediction - target|| / ||target|| (FNO's training and test metric)."""
    diff = (prediction - target).flatten(1).norm(dim=1)
    norm = target.flatten(1).norm(dim=1).clamp_min(1e-12)
    return (diff / norm).mean()
