"""The PyTorch adapter (skipped without torch; `ops/setup.sh --with-torch` installs it): a DataLoader with worker
processes and DDP ranks reads disjoint, intact samples; each worker connects as its own group rank."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, get_worker_info  # noqa: E402

from conftest import HERE, free_port, wait_for_trainers  # noqa: E402
from sluice import status  # noqa: E402
from sluice.synthetic import values  # noqa: E402
from sluice.torch import ReservoirDataset, batch_to_tensors, group_rank  # noqa: E402


def synth(server, member, samples, shape="8x8"):
    return subprocess.Popen([server.binary, "synth", "--server", server.solver, "--member", str(member),
                             "--samples", str(samples), "--shape", shape, "--quiet"])


def worker_id(batch):
    info = get_worker_info()
    batch["worker"] = info.id if info is not None else -1
    return batch


def test_dataloader_workers_read_disjoint_intact_samples(server):
    dataset = ReservoirDataset(server.consumer, group="torch", batch_size=4, idle_timeout=2.0, transform=worker_id)
    loader = DataLoader(dataset, batch_size=None, num_workers=2)
    iterator = iter(loader)  # starts the workers; each connects as its own group rank
    wait_for_trainers(server, 2)
    groups = {g["name"]: g for g in status(server.control)["groups"]}
    assert groups["torch"]["world_size"] == 2 and status(server.control)["sessions"]["trainers"] == 2
    for p in [synth(server, m, 30) for m in range(3)]:
        assert p.wait(30) == 0
    pairs, workers = [], set()
    for batch in iterator:
        assert isinstance(batch["value"], torch.Tensor) and batch["value"].dtype == torch.float32
        assert batch["value"].shape[1:] == (8, 8) and batch["member"].dtype == torch.int64
        for i in range(len(batch["member"])):
            m, s = int(batch["member"][i]), int(batch["step"][i])
            assert torch.equal(batch["value"][i], torch.from_numpy(values(m, s, (8, 8)))), (m, s)
            assert float(batch["parameters"]["member_parameter"][i]) == m * 0.5
            assert float(batch["time"][i]) == pytest.approx(s * 0.01)
            pairs.append((m, s))
        workers.add(batch["worker"])
    assert workers == {0, 1}
    assert len(pairs) == 90 and set(pairs) == {(m, s) for m in range(3) for s in range(30)}


def test_group_rank_folds_workers_into_ddp_ranks(monkeypatch):
    import sluice.torch as adapter

    class Info:
        id, num_workers = 1, 3

    assert group_rank() == (0, 1)
    assert group_rank(2, 4) == (2, 4)
    monkeypatch.setattr(adapter, "get_worker_info", lambda: Info())
    assert group_rank(2, 4) == (7, 12)
    monkeypatch.setattr(torch.distributed, "is_initialized", lambda: True)
    monkeypatch.setattr(torch.distributed, "get_rank", lambda: 1)
    monkeypatch.setattr(torch.distributed, "get_world_size", lambda: 2)
    assert group_rank() == (1 * 3 + 1, 2 * 3)


def test_ddp_ranks_times_workers_are_disjoint_group_ranks(server, tmp_path):
    env = dict(os.environ, MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()), WORLD_SIZE="2")
    outs = [tmp_path / f"rank{r}.json" for r in range(2)]
    ranks = [subprocess.Popen([sys.executable, os.path.join(HERE, "ddp_rank.py"), server.consumer, str(outs[r])],
                              env=dict(env, RANK=str(r))) for r in range(2)]
    wait_for_trainers(server, 4, timeout=90)
    groups = {g["name"]: g for g in status(server.control)["groups"]}
    assert groups["ddp"]["world_size"] == 4  # 2 DDP ranks x 2 workers, every group rank connected once
    for p in [synth(server, m, 25) for m in range(4)]:
        assert p.wait(30) == 0
    for p in ranks:
        assert p.wait(60) == 0
    results = [json.loads(o.read_text()) for o in outs]
    assert all(r["bad"] == 0 for r in results)
    by_group_rank = {}
    for r, result in enumerate(results):
        for m, s, (grank, gworld) in result["received"]:
            assert gworld == 4 and grank in (2 * r, 2 * r + 1)  # rank r's workers are group ranks 2r and 2r+1
            by_group_rank.setdefault(grank, set()).add((m, s))
    everything = [pair for pairs in by_group_rank.values() for pair in pairs]
    assert len(everything) == len(set(everything)) == 100
    assert set(everything) == {(m, s) for m in range(4) for s in range(25)}


def test_tensors_share_memory_with_aligned_frames(server):
    from sluice import TrainerClient

    with TrainerClient(server.consumer, group="share", batch_size=2) as trainer:
        assert synth(server, 0, 2, "64x64").wait(30) == 0
        batch = trainer.next(timeout=10)
        tensors = batch_to_tensors(batch)
        array = batch["value"]
        assert array.flags.aligned  # a 32 KiB frame gets a buffer of its own
        assert tensors["value"].data_ptr() == array.ctypes.data
        assert np.array_equal(tensors["value"].numpy(), np.stack([values(0, s, (64, 64)) for s in batch.step]))
