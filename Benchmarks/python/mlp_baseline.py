"""PyTorch (CPU) baseline for `sluice bench train`: the same fully connected surrogate (Linear layers with ReLU or
tanh between them, MSE loss, Adam), trained on random in-memory batches, timed per step (zero_grad, forward,
loss, backward, Adam step) as the Swift trainer's step.

usage: mlp_baseline.py --widths 6,256,256,1024 --activation relu --batch-size 32 --steps 300 --check-dir DIR
Prints one JSON object: for "torch_1thread" (torch.set_num_threads(1)) and "torch" (default threads) the
seconds per step (the fastest of five blocks: the least disturbed on a shared machine) and the median block, and
"check": the loss and gradient of the Swift trainer's first step recomputed here from DIR/params.f32,
DIR/inputs.f32 and DIR/targets.f32 (written to DIR/torch_gradient.f32 in Swift's flat layout).
"""
import argparse
import json
import os
import time

import numpy as np


def build(torch, widths, activation):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU() if activation == "relu" else torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def linears(model, torch):
    return [m for m in model if isinstance(m, torch.nn.Linear)]


def load_flat(model, torch, flat):
    """Swift's layout: per layer W as [fan_in, fan_out] row-major, then b. torch's weight is [fan_out, fan_in]."""
    offset = 0
    with torch.no_grad():
        for lin in linears(model, torch):
            fan_out, fan_in = lin.weight.shape
            w = flat[offset:offset + fan_in * fan_out].reshape(fan_in, fan_out)
            offset += fan_in * fan_out
            lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
            lin.bias.copy_(torch.from_numpy(flat[offset:offset + fan_out].copy()))
            offset += fan_out


def flat_gradient(model, torch):
    parts = []
    for lin in linears(model, torch):
        parts.append(lin.weight.grad.numpy().T.reshape(-1))
        parts.append(lin.bias.grad.numpy().reshape(-1))
    return np.concatenate(parts).astype(np.float32)


def time_steps(torch, widths, activation, batch, steps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build(torch, widths, activation)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, widths[0])
    y = torch.randn(batch, widths[-1])
    loss_fn = torch.nn.MSELoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(max(3, steps // 20)):
        step()
    block = max(1, steps // 5)
    times = []
    done = 0
    while done < steps:
        n = min(block, steps - done)
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        times.append((time.perf_counter() - t0) / n)
        done += n
    times.sort()
    return {"seconds_per_step": times[0], "median_seconds_per_step": times[len(times) // 2], "threads": threads}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--widths", required=True)
    p.add_argument("--activation", default="relu")
    p.add_argument("--batch-size", type=int, required=True)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--threads", type=int, default=0, help="threads of the 'torch' row (0: torch's default)")
    p.add_argument("--check-dir")
    a = p.parse_args()
    widths = [int(w) for w in a.widths.split(",")]
    report = {}
    try:
        import torch
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"torch": {"error": f"torch not importable: {e}"}}))
        return
    default_threads = a.threads or torch.get_num_threads()
    report["versions"] = {"torch": torch.__version__, "numpy": np.__version__}
    if a.check_dir:
        torch.set_num_threads(default_threads)
        model = build(torch, widths, a.activation)
        flat = np.fromfile(os.path.join(a.check_dir, "params.f32"), dtype=np.float32)
        load_flat(model, torch, flat)
        x = torch.from_numpy(np.fromfile(os.path.join(a.check_dir, "inputs.f32"), dtype=np.float32).reshape(a.batch_size, widths[0]))
        y = torch.from_numpy(np.fromfile(os.path.join(a.check_dir, "targets.f32"), dtype=np.float32).reshape(a.batch_size, widths[-1]))
        loss = torch.nn.MSELoss()(model(x), y)
        loss.backward()
        flat_gradient(model, torch).tofile(os.path.join(a.check_dir, "torch_gradient.f32"))
        report["check"] = {"loss": float(loss)}
    report["torch_1thread"] = time_steps(torch, widths, a.activation, a.batch_size, a.steps, 1)
    report["torch"] = time_steps(torch, widths, a.activation, a.batch_size, a.steps, default_threads)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
