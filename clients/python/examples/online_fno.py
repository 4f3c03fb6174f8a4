#!/usr/bin/env python3
"""Train a Fourier Neural Operator online on a 2D Navier-Stokes stream, or offline on an exported dataset.

Online (default): starts two `sluice serve` processes (training and validation streams), several solver daemons,
and trains while the solvers run. It logs the training and validation loss, the samples consumed per second, the
reservoir's fill, and how often samples were reused, and saves `loss.png` (loss against wall time),
`metrics.jsonl`, `summary.json` and `validation.npz` to --out.

    python clients/python/examples/online_fno.py                       # sluice solve, fno-online.yaml (NS2D)
    python clients/python/examples/online_fno.py --numpy-solver        # the NumPy NS2D solver in this folder
    python clients/python/examples/online_fno.py --synthetic           # sluice synth: tests the machinery only
    python clients/python/examples/online_fno.py --solver-command "my_solver --server {server} --member {member}"

Offline: the same model, loop and logs on a fixed dataset in The Well's layout (what `sluice export` writes), with
as many unique samples as an online run used (read from its summary.json) and the same validation set:

    python clients/python/examples/online_fno.py --offline DATASET_DIR --match-online out/online --out out/offline
    python clients/python/examples/online_fno.py --compare out/online out/offline --out docs/online-vs-offline.png

Stream contract. Each sample carries a field (--field, default `vorticity`). If it has a leading axis of at least
--input-steps + --target-steps snapshots (a window, e.g. [2, 64, 64]), input and target come from that axis.
Otherwise (single snapshots [64, 64]) consecutive samples of each member are paired in the trainer as they arrive
(--pairing stream), which needs the server's FIFO policy (each member's samples arrive in order).

Placeholders in --solver-command: {sluice} {python} {examples} {case} {server} {member} {samples} {grid}
{window} {nu}. Small defaults run on a CPU-only laptop in a few minutes; scale up with --grid, --members,
--concurrent, --width, --modes, --train-seconds.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shlex
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, ".."))  # run from a checkout without installing

import torch  # noqa: E402

from fno import FNO2d, relative_l2  # noqa: E402
from fno_data import ArrayBatches, ArrayPairing, Normalizer, Pairing, well_files, well_windows  # noqa: E402
from sluice import Batch, ServerProcess, SluiceTimeoutError, TrainerClient, find_binary, status  # noqa: E402

SYNTHETIC = ("{sluice} synth --server {server} --member {member} --samples {samples} --shape {window}x{grid}x{grid}"
             " --interval-ms {interval_ms} --quiet")
NUMPY = ("{python} {examples}/ns2d_numpy.py --server {server} --member {member} --samples {samples} --grid {grid}"
         " --window {window} --nu {nu} --quiet")
SOLVE = "{sluice} solve {case} --member {member} --server {server}"


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_argument_group("stream (online)")
    src.add_argument("--solver-command", help="solver daemon command template (default: sluice solve CASE)")
    src.add_argument("--case", default=os.path.join(REPO, "solvers", "ns2d", "fno-online.yaml"),
                     help="case file for `sluice solve` (default: solvers/ns2d/fno-online.yaml, 64^2, a snapshot "
                     "every 0.5 time units; solvers/ns2d/fno.yaml is the full recipe at 256^2)")
    src.add_argument("--synthetic", action="store_true", help="stream `sluice synth` samples (machinery test)")
    src.add_argument("--numpy-solver", action="store_true", help="stream the NumPy NS2D solver of this folder")
    src.add_argument("--members", type=int, default=40, help="training members in all")
    src.add_argument("--concurrent", type=int, default=3, help="solver daemons running at once")
    src.add_argument("--samples-per-member", type=int, default=40)
    src.add_argument("--valid-members", type=int, default=2, help="members of the validation stream")
    src.add_argument("--valid-samples", type=int, default=32, help="validation samples kept (fixed set)")
    src.add_argument("--grid", type=int, default=64)
    src.add_argument("--nu", type=float, default=1e-3)
    src.add_argument("--interval-ms", type=float, default=20, help="synthetic stream: pause between samples")
    src.add_argument("--policy", help="server reservoir policy (default: fifo for `sluice solve` and --pairing "
                     "stream, whose single snapshots are paired in arrival order; reservoir otherwise)")
    src.add_argument("--capacity", default="256MiB", help="reservoir byte bound")
    src.add_argument("--watermark", help="serving starts once the reservoir holds this many bytes")
    src.add_argument("--sluice", help="the sluice binary (default: $SLUICE_BIN or PATH)")
    data = p.add_argument_group("samples")
    data.add_argument("--field", help="field name (default: vorticity; value with --synthetic)")
    data.add_argument("--input-steps", type=int, default=1)
    data.add_argument("--target-steps", type=int, default=1)
    data.add_argument("--pairing", choices=["auto", "window", "stream"], default="auto")
    train = p.add_argument_group("training")
    train.add_argument("--batch-size", type=int, default=8)
    train.add_argument("--prefetch", type=int, default=4)
    train.add_argument("--modes", type=int, default=8)
    train.add_argument("--width", type=int, default=20)
    train.add_argument("--layers", type=int, default=4)
    train.add_argument("--lr", type=float, default=2e-3)
    train.add_argument("--train-seconds", type=float, default=150.0, help="training wall-time budget")
    train.add_argument("--steps", type=int, help="stop after this many optimizer steps instead")
    train.add_argument("--log-every", type=float, default=5.0, help="seconds between log lines")
    train.add_argument("--threads", type=int, help="torch.set_num_threads")
    train.add_argument("--seed", type=int, default=0)
    off = p.add_argument_group("offline and comparison")
    off.add_argument("--offline", metavar="DIR", help="train on a dataset in The Well's layout instead")
    off.add_argument("--match-online", metavar="DIR", help="use that online run's unique-sample count and "
                     "validation set")
    off.add_argument("--unique-samples", type=int, help="offline: unique samples to train on (a random subset)")
    off.add_argument("--match", choices=["samples", "count"], default="samples",
                     help="with --match-online: train on exactly the (member, time) samples the online run used "
                     "(samples, needs its samples.npz and those members in the dataset) or on as many random "
                     "windows of the dataset (count)")
    off.add_argument("--normalizer", choices=["online", "data"], default="online",
                     help="with --match-online: normalise by the online run's mean and std (from its first batch; "
                     "the same model input scale) or by the offline training set's")
    off.add_argument("--compare", nargs=2, metavar=("ONLINE", "OFFLINE"), help="plot two runs into --out (PNG)")
    p.add_argument("--out", default="out/online-fno", help="output folder (or PNG for --compare)")
    args = p.parse_args(argv)
    if args.field is None:
        args.field = "value" if args.synthetic else "vorticity"
    if args.policy is None:
        solve = not (args.synthetic or args.numpy_solver or args.solver_command)
        args.policy = "fifo" if solve or args.pairing == "stream" else "reservoir"
    return args


# MARK: - solver daemons

class Members:
    """Runs solver daemons from a command template: `concurrent` at a time until `total` have run."""

    def __init__(self, template: str, values: Dict[str, Any], first: int, total: int, concurrent: int,
                 log_dir: str) -> None:
        self.template, self.values, self.log_dir = template, values, log_dir
        self.pending = list(range(first, first + total))
        self.concurrent = concurrent
        self.running: Dict[int, subprocess.Popen] = {}
        self.finished: Dict[int, int] = {}
        os.makedirs(log_dir, exist_ok=True)
        self.poll()

    def command(self, member: int) -> List[str]:
        return shlex.split(self.template.format(member=member, **self.values))

    def poll(self) -> None:
        for m, p in list(self.running.items()):
            if p.poll() is not None:
                self.finished[m] = p.returncode
                del self.running[m]
                if p.returncode != 0:
                    with open(os.path.join(self.log_dir, f"member-{m}.log")) as f:
                        tail = f.read()[-2000:]
                    print(f"[fno] solver member {m} exited with status {p.returncode}:\n{tail}", flush=True)
        while self.pending and len(self.running) < self.concurrent:
            m = self.pending.pop(0)
            log = open(os.path.join(self.log_dir, f"member-{m}.log"), "wb")
            self.running[m] = subprocess.Popen(self.command(m), stdout=log, stderr=subprocess.STDOUT)
            log.close()

    @property
    def exhausted(self) -> bool:
        return not self.pending and not self.running

    @property
    def failed(self) -> int:
        return sum(1 for code in self.finished.values() if code != 0)

    def stop(self) -> None:
        self.pending.clear()
        for p in self.running.values():
            p.terminate()
        for p in self.running.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


# MARK: - training loop shared by both modes

def fmt(value: Optional[float]) -> str:
    return "   -  " if value is None else f"{value:.4f}"


class StreamEnded(Exception):
    """Every solver daemon has finished and the server has nothing left to serve."""


class Log:
    """Collects metrics, prints a line per interval and appends it to metrics.jsonl."""

    def __init__(self, out: str, mode: str) -> None:
        os.makedirs(out, exist_ok=True)
        self.path = os.path.join(out, "metrics.jsonl")
        self.mode = mode
        self.records: List[Dict[str, Any]] = []
        open(self.path, "w").close()

    def write(self, record: Dict[str, Any]) -> None:
        record = {"mode": self.mode, **record}
        self.records.append(record)
        with open(self.path, "a") as f:
            f.write(json.dumps(record) + "\n")
        fill = record.get("reservoir_fill")
        print(f"[fno {self.mode}] t={record['time_s']:6.1f}s step={record['step']:5d} "
              f"train={record['train_loss']:.4f} valid={fmt(record['valid_loss'])} "
              f"samples/s={record['samples_per_s']:7.1f} unique={record['unique_samples']:5d} "
              f"reuse={record['reuse']:5.2f}" + (f" fill={100 * fill:5.1f}%" if fill is not None else "")
              + (f" served_mean={record['serve_count_mean']:.2f}" if record.get("serve_count_mean") else ""),
              flush=True)


def evaluate(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        losses = [relative_l2(model(x[i:i + 32]), y[i:i + 32]).item() * len(x[i:i + 32])
                  for i in range(0, len(x), 32)]
    model.train()
    return float(sum(losses) / max(len(x), 1))


def build_model(args: argparse.Namespace) -> Tuple[torch.nn.Module, torch.optim.Optimizer]:
    torch.manual_seed(args.seed)
    model = FNO2d(args.input_steps, args.target_steps, modes=args.modes, width=args.width, layers=args.layers)
    return model, torch.optim.Adam(model.parameters(), lr=args.lr)


# MARK: - online

class Validation:
    """Collects a fixed validation set from the validation server in a background thread, so training starts at
    once; the loss is evaluated on it once it is complete."""

    def __init__(self, endpoint: str, pairing: Pairing, wanted: int, timeout: float = 300.0) -> None:
        self.endpoint, self.pairing, self.wanted, self.timeout = endpoint, pairing, wanted, timeout
        self.x: Optional[np.ndarray] = None
        self.y: Optional[np.ndarray] = None
        self.error: Optional[BaseException] = None
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._collect, name="validation", daemon=True)
        self.thread.start()

    def _collect(self) -> None:
        xs, ys, got = [], [], 0
        try:
            with TrainerClient(self.endpoint, group="validation", batch_size=4, prefetch=4,
                               timeout=self.timeout) as client:
                while got < self.wanted:
                    x, y, keys = self.pairing(client.next())
                    xs.append(x)
                    ys.append(y)
                    got += len(keys)
            self.y = np.concatenate(ys)[:self.wanted]
            self.x = np.concatenate(xs)[:self.wanted]
            print(f"[fno] validation set: {len(self.x)} samples after {time.monotonic() - self.started:.1f} s",
                  flush=True)
        except BaseException as e:  # reported by the training loop
            self.error = e

    @property
    def ready(self) -> bool:
        if self.error is not None:
            raise RuntimeError(f"collecting the validation set failed: {self.error}") from self.error
        return self.x is not None


def solver_template(args: argparse.Namespace) -> str:
    if args.solver_command:
        return args.solver_command
    if args.synthetic:
        return SYNTHETIC
    if args.numpy_solver:
        return NUMPY
    return SOLVE


def train_online(args: argparse.Namespace) -> Dict[str, Any]:
    sluice = find_binary(args.sluice)
    window = args.input_steps + args.target_steps
    server_flags = ["--policy", args.policy, "--capacity", args.capacity, "--seed", str(args.seed)]
    if args.watermark:
        server_flags += ["--watermark", args.watermark]
    train_server = ServerProcess(server_flags, binary=sluice)
    valid_server = ServerProcess(["--policy", "fifo", "--capacity", "64MiB"], binary=sluice)
    values = dict(sluice=sluice, python=sys.executable, examples=HERE, case=args.case, samples=args.samples_per_member,
                  grid=args.grid, window=window, nu=args.nu, interval_ms=args.interval_ms)
    template = solver_template(args)
    print(f"[fno] servers: train {train_server.consumer}, validation {valid_server.consumer}; solver command: "
          f"{template}", flush=True)
    logs = os.path.join(args.out, "solver-logs")
    valid_members = Members(template, dict(values, server=valid_server.solver), 100_000, args.valid_members,
                            args.valid_members, logs)
    members = Members(template, dict(values, server=train_server.solver), 0, args.members, args.concurrent, logs)
    try:
        validation = Validation(valid_server.consumer, Pairing(args.pairing, args.field, args.input_steps,
                                                               args.target_steps), args.valid_samples)
        pairing = Pairing(args.pairing, args.field, args.input_steps, args.target_steps)
        with TrainerClient(train_server.consumer, group="fno", batch_size=args.batch_size, prefetch=args.prefetch,
                           timeout=120) as client:
            first = client.next()
            # A throwaway pairing for the normaliser: the loop pairs the first batch itself (pairing it twice would
            # pair a stream's snapshots with themselves).
            x0, _, _ = Pairing(args.pairing, args.field, args.input_steps, args.target_steps)(first)
            pairing.resolve(first)
            if pairing.mode == "stream" and args.policy != "fifo":
                print("[fno] warning: stream pairing needs --policy fifo (each member's samples in order)",
                      flush=True)
            normalize = Normalizer(x0 if len(x0) else first[args.field])

            def next_batch() -> Batch:
                waited = 0.0
                while True:
                    try:
                        return client.next(timeout=2.0)
                    except SluiceTimeoutError:
                        waited += 2.0
                        members.poll()
                        if members.exhausted and waited >= 6.0:
                            raise StreamEnded() from None
                        if waited >= 120:
                            raise

            summary = run_training(args, "online", next_batch, pairing, normalize, validation,
                                   server=train_server, members=members, first=first)
        np.savez(os.path.join(args.out, "validation.npz"), x=validation.x, y=validation.y)
        summary["solver_command"] = template
        summary["members_failed"] = members.failed + valid_members.failed
        return summary
    finally:
        members.stop()
        valid_members.stop()
        final = train_server.stop()
        valid_server.stop()
        if final:
            print(f"[fno] server totals: {final.get('totals')}", flush=True)


class FixedValidation:
    """A validation set known up front (offline mode)."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.x, self.y, self.ready = x, y, True


def run_training(args: argparse.Namespace, mode: str, next_batch, pairing: Pairing, normalize: Normalizer,
                 validation: Any, server: Optional[ServerProcess] = None, members: Optional[Members] = None,
                 first: Optional[Batch] = None) -> Dict[str, Any]:
    """The loop both modes share: step on each batch, and every --log-every seconds log the interval's mean
    training loss, the validation loss (once the validation set is complete), throughput, reuse and fill."""
    model, optimizer = build_model(args)
    log = Log(args.out, mode)
    valid_tensors: Optional[Tuple[torch.Tensor, torch.Tensor]] = None
    seen: collections.Counter = collections.Counter()
    consumed = step = log_step = 0
    interval_losses: List[float] = []
    interval_samples = 0
    interval_served: List[int] = []
    started = last_log = time.monotonic()
    batch = first
    ended = False
    while True:
        if batch is None:
            try:
                batch = next_batch()
            except StreamEnded:
                print("[fno] the stream ended: every solver daemon finished and the reservoir is drained", flush=True)
                ended = True
        x, y, keys = pairing(batch) if batch is not None else (None, None, [])
        served = batch.serve_count.tolist() if isinstance(batch, Batch) else []
        batch = None
        if members is not None:
            members.poll()
        if keys:
            loss = relative_l2(model(normalize(x)), normalize(y))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            consumed += len(keys)
            interval_samples += len(keys)
            interval_losses.append(loss.item())
            interval_served += served
            seen.update(keys)
        now = time.monotonic()
        done = ended or (args.steps is not None and step >= args.steps) or \
            (args.steps is None and now - started >= args.train_seconds)
        if done and not validation.ready:  # the last record needs a validation loss
            print("[fno] waiting for the validation set", flush=True)
            while not validation.ready:
                time.sleep(0.2)
        if valid_tensors is None and validation.ready:
            valid_tensors = normalize(validation.x), normalize(validation.y)
        if interval_losses and (now - last_log >= args.log_every or (done and step > log_step)):
            record: Dict[str, Any] = {
                "time_s": now - started, "step": step, "train_loss": float(np.mean(interval_losses)),
                "valid_loss": evaluate(model, *valid_tensors) if valid_tensors is not None else None,
                "samples_per_s": interval_samples / (now - last_log),
                "consumed": consumed, "unique_samples": len(seen), "reuse": consumed / max(len(seen), 1),
                "serve_count_mean": float(np.mean(interval_served)) if interval_served else None,
                "reservoir_fill": None}
            if server is not None:
                s = status(server.control)
                r = s["reservoir"]
                record.update(reservoir_fill=r["bytes"] / r["capacity_bytes"], samples_in=s["totals"]["samples_in"],
                              solver_samples_per_s=s["rates"]["samples_in_per_s"],
                              members_done=sum(1 for m in s["members"] if m["done"]))
            log.write(record)
            log_step = step
            interval_losses, interval_samples, interval_served, last_log = [], 0, [], time.monotonic()
        if done:
            break
    last = log.records[-1]
    summary = {"mode": mode, "steps": step, "train_seconds": last["time_s"], "consumed": consumed,
               "unique_samples": len(seen), "reuse": consumed / max(len(seen), 1),
               "final_train_loss": last["train_loss"], "final_valid_loss": last["valid_loss"],
               "best_valid_loss": min(r["valid_loss"] for r in log.records if r["valid_loss"] is not None),
               "valid_samples": len(validation.x), "stream_ended": ended,
               "normalizer": {"mean": normalize.mean, "std": normalize.std},
               "args": {k: v for k, v in vars(args).items() if k not in ("compare",)}}
    if mode == "online":  # which samples were used, for an offline run on exactly those (--match-online)
        used = np.array([(m, pairing.times[(m, s)]) for m, s in sorted(seen)], np.float64).reshape(-1, 2)
        np.savez(os.path.join(args.out, "samples.npz"), member_time=used)
        summary["members_used"] = len(set(int(m) for m in used[:, 0]))
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    plot([log.records], [mode], os.path.join(args.out, "loss.png"))
    return summary


# MARK: - offline

def train_offline(args: argparse.Namespace) -> Dict[str, Any]:
    files = well_files(args.offline, "train")
    unique = args.unique_samples
    keys = None
    samples = os.path.join(args.match_online or "", "samples.npz")
    if args.match_online and unique is None and args.match == "samples" and os.path.exists(samples):
        keys = [tuple(k) for k in np.load(samples)["member_time"]]
        print(f"[fno] offline: the {len(keys)} samples (member, time) the online run in {args.match_online} used",
              flush=True)
    x, y, _ = well_windows(files, args.field, args.input_steps, args.target_steps, keys=keys)
    if args.match_online:
        if keys is None:
            with open(os.path.join(args.match_online, "summary.json")) as f:
                unique = unique or json.load(f)["unique_samples"]
        validation = np.load(os.path.join(args.match_online, "validation.npz"))
        vx, vy = validation["x"], validation["y"]
    else:
        valid_files = well_files(args.offline, "valid")
        if valid_files:
            vx, vy, _ = well_windows(valid_files, args.field, args.input_steps, args.target_steps)
        else:
            held = max(1, len(x) // 10)
            x, y, vx, vy = x[:-held], y[:-held], x[-held:], y[-held:]
    if unique is not None and keys is None:
        if unique > len(x):
            print(f"[fno] the dataset has {len(x)} windows, fewer than the {unique} asked for", flush=True)
        pick = np.random.default_rng(args.seed).permutation(len(x))[:unique]
        x, y = x[pick], y[pick]
    print(f"[fno] offline: {len(x)} unique training samples, {len(vx)} validation samples", flush=True)
    normalize = Normalizer(x)
    if args.match_online and args.normalizer == "online":
        with open(os.path.join(args.match_online, "summary.json")) as f:
            fixed = json.load(f).get("normalizer")
        if fixed:
            normalize.mean, normalize.std = fixed["mean"], fixed["std"]
    print(f"[fno] offline: normalising by mean {normalize.mean:.4g}, std {normalize.std:.4g}", flush=True)
    batches = ArrayBatches(x, y, args.batch_size, args.seed)
    return run_training(args, "offline", batches, ArrayPairing(), normalize, FixedValidation(vx, vy))


# MARK: - plots

def read_records(directory: str) -> List[Dict[str, Any]]:
    with open(os.path.join(directory, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def plot(runs: List[List[Dict[str, Any]]], labels: List[str], path: str) -> None:
    """Training and validation loss against wall time."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("[fno] matplotlib is not installed; no plot (pip install matplotlib)", flush=True)
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, key, xlabel in zip(axes, ["time_s", "step"], ["wall time (s)", "optimizer step"]):
        for records, label, color in zip(runs, labels, ["tab:blue", "tab:orange", "tab:green"]):
            ax.plot([r[key] for r in records], [r["train_loss"] for r in records], "--", color=color, alpha=0.6,
                    label=f"{label} train")
            valid = [(r[key], r["valid_loss"]) for r in records if r["valid_loss"] is not None]
            ax.plot([v[0] for v in valid], [v[1] for v in valid], "-", color=color, label=f"{label} validation")
        ax.set_xlabel(xlabel)
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("relative L2 loss")
    axes[0].legend()
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"[fno] wrote {path}", flush=True)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    if args.compare:
        plot([read_records(d) for d in args.compare], ["online", "offline"], args.out)
        return
    if args.threads:
        torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    summary = train_offline(args) if args.offline else train_online(args)
    print(f"[fno] {summary['mode']}: {summary['steps']} steps in {summary['train_seconds']:.0f} s, "
          f"{summary['unique_samples']} unique samples used {summary['reuse']:.2f} times on average, "
          f"final validation loss {summary['final_valid_loss']:.4f} (best {summary['best_valid_loss']:.4f})",
          flush=True)


if __name__ == "__main__":
    main()
