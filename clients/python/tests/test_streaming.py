"""A real `sluice serve` process on 127.0.0.1 with Swift (`sluice synth`) and Python (SolverClient) publishers
and Python trainers: every element of every batch checked, ranks disjoint, credit flow, heartbeats through a long
training step, clean shutdown, and clear errors when the server is absent or refuses."""

import json
import subprocess
import threading
import time

import numpy as np
import pytest

from conftest import free_port, wait_for_trainers
from sluice import (ClosedError, RefusedError, SluiceTimeoutError, SolverClient, TrainerClient, status)
from sluice.model import Geometry
from sluice.synthetic import PARAMETER, values, verify_batch


def synth(server, member, samples, shape="16x16", *extra):
    return subprocess.Popen([server.binary, "synth", "--server", server.solver, "--member", str(member),
                             "--samples", str(samples), "--shape", shape, "--quiet", *extra])


def collect(client, idle=1.5):
    """Every batch until the stream is idle (the first may take 30 s: publishers start slowly on a loaded machine);
    each batch verified element by element."""
    pairs = []
    for batch in client.batches(idle_timeout=idle, first_timeout=30):
        problem = verify_batch(batch)
        assert problem is None, problem
        pairs += list(zip(batch.member.tolist(), batch.step.tolist()))
    return pairs


def test_trainer_receives_swift_publishers_batches_intact(server):
    with TrainerClient(server.consumer, group="A", batch_size=8, prefetch=3) as trainer:
        publishers = [synth(server, m, 60) for m in range(3)]
        first = trainer.next(timeout=10)
        # Metadata as sluice synth encodes it: time = step * 0.01, the grid [0,1]^2, first use of each sample.
        assert first.size == 8 and first["value"].shape == (8, 16, 16) and first["value"].dtype == np.float32
        assert np.array_equal(first.time, first.step * 0.01)
        assert first.geometry == Geometry.UNIFORM_GRID and first.bounds == [(0.0, 1.0), (0.0, 1.0)]
        assert first.serve_count.tolist() == [1] * 8
        assert np.array_equal(first.parameters[PARAMETER], first.member * 0.5)
        assert verify_batch(first) is None
        # Zero copy: the field array is a view of the received frame's memory.
        frame = np.frombuffer(first.frames[0].buffer, dtype=np.uint8)
        assert np.shares_memory(first["value"], frame)
        for p in publishers:
            assert p.wait(30) == 0
        pairs = list(zip(first.member.tolist(), first.step.tolist())) + collect(trainer)
    expected = {(m, s) for m in range(3) for s in range(60)}
    assert len(pairs) == len(expected) and set(pairs) == expected
    # A FIFO group sees each member's steps in order.
    for m in range(3):
        steps = [s for mm, s in pairs if mm == m]
        assert steps == sorted(steps)


def test_ranks_of_a_group_are_disjoint_and_groups_are_independent(server):
    results = {}

    def run(name, group, rank, world):
        with TrainerClient(server.consumer, group=group, rank=rank, world_size=world, batch_size=5) as client:
            ready.wait()
            results[name] = collect(client, idle=2.0)

    ready = threading.Event()
    threads = [threading.Thread(target=run, args=a) for a in
               [("A", "A", 0, 1), ("B0", "B", 0, 2), ("B1", "B", 1, 2)]]
    for t in threads:
        t.start()
    wait_for_trainers(server, 3)  # every trainer joined before the first sample: every group is required for all
    ready.set()
    publishers = [synth(server, m, 50, "8x8") for m in range(4)]
    for p in publishers:
        assert p.wait(30) == 0
    for t in threads:
        t.join(30)
    expected = {(m, s) for m in range(4) for s in range(50)}
    assert sorted(results["A"]) == sorted(expected)
    b0, b1 = set(results["B0"]), set(results["B1"])
    assert b0 and b1 and not b0 & b1
    assert len(results["B0"]) + len(results["B1"]) == len(expected) and b0 | b1 == expected
    final = server.stop()
    assert final["totals"]["samples_in"] == 200 and final["totals"]["samples_out"] == 400
    assert final["totals"]["rejected"] == {}


def test_python_solver_streams_to_python_trainer_and_swift_consumer(server, tmp_path):
    report = tmp_path / "report.json"
    consume = subprocess.Popen([server.binary, "consume", "--server", server.consumer, "--group", "swift",
                                "--batch-size", "4", "--verify", "--idle-timeout", "4", "--report", str(report)])
    with TrainerClient(server.consumer, group="py", batch_size=6) as trainer:
        wait_for_trainers(server, 2)  # both groups joined before the first sample

        def member(m):
            with SolverClient(server.solver, member=m, sample_bytes=12 * 10 * 4, study="synthetic") as solver:
                for step in range(40):
                    solver.publish(step, time=step * 0.01, fields={"value": values(m, step, (12, 10))},
                                   parameters={PARAMETER: m * 0.5}, bounds=[(0, 1), (0, 1)],
                                   final=step == 39)
                assert solver.error_counts == {}

        threads = [threading.Thread(target=member, args=(m,)) for m in (7, 8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        pairs = collect(trainer)
    assert consume.wait(30) == 0
    expected = {(m, s) for m in (7, 8) for s in range(40)}
    assert sorted(pairs) == sorted(expected)
    got = json.loads(report.read_text())
    assert got["failures"] == [] and {(r[0], r[1]) for r in got["received"]} == expected
    members = {m["member"]: m for m in status(server.control)["members"]}
    assert members[7]["done"] and members[7]["accepted"] == 40 and members[8]["last_step"] == 39


def test_relaunched_member_sees_accepted_steps_and_duplicates_are_refused(server):
    with SolverClient(server.solver, member=1, sample_bytes=64) as first:
        for step in range(5):
            first.publish(step, 0.0, {"u": np.full(16, step, np.float32)})
    with SolverClient(server.solver, member=1, sample_bytes=64, attempt=1) as again:
        assert again.accepted_steps == {0, 1, 2, 3, 4}
        again.publish(4, 0.0, {"u": np.zeros(16, np.float32)})   # a duplicate: refused, not fatal
        again.publish(5, 0.0, {"u": np.zeros(16, np.float32)})
        deadline = time.monotonic() + 5
        while "duplicate" not in again.error_counts and time.monotonic() < deadline:
            time.sleep(0.02)
        assert again.error_counts == {"duplicate": 1}
        assert (again.last_error.member, again.last_error.step) == (1, 4)
    with pytest.raises(ValueError, match="sample_bytes"):
        with SolverClient(server.solver, member=2, sample_bytes=8) as small:
            small.publish(0, 0.0, {"u": np.zeros(16, np.float32)})


def test_credit_flow_blocks_a_solver_until_a_trainer_consumes(make_server):
    server = make_server("--capacity", "16KiB")
    payload = 1024 * 4  # 4 KiB samples: the reservoir holds 4
    with SolverClient(server.solver, member=0, sample_bytes=payload) as solver:
        sent = 0
        with pytest.raises(SluiceTimeoutError, match="no credit") as caught:
            for step in range(100):
                solver.publish(step, 0.0, {"value": values(0, step, (1024,))}, parameters={PARAMETER: 0.0},
                               timeout=1.5)
                sent += 1
        assert caught.value.waited_for == "CREDIT" and server.solver in str(caught.value)
        assert 4 <= sent <= 8  # the reservoir's 4 plus at most the samples queued in the client's pipe
        got = []

        def consume():
            with TrainerClient(server.consumer, group="g", batch_size=2) as trainer:
                got.extend(collect(trainer, idle=1.5))

        consumer = threading.Thread(target=consume)
        consumer.start()
        for step in range(sent, sent + 20):  # credit flows again as the trainer consumes
            solver.publish(step, 0.0, {"value": values(0, step, (1024,))}, parameters={PARAMETER: 0.0},
                           timeout=10)
    consumer.join(30)
    # The publish that timed out handed nothing over (step `sent` was published again): every step arrived once.
    assert sorted(s for _, s in got) == list(range(sent + 20))
    final = server.stop()
    assert final["reservoir"]["peak_bytes"] <= 16 * 1024


def test_heartbeats_keep_a_trainer_alive_through_a_long_training_step(server):
    with TrainerClient(server.consumer, group="slow", batch_size=4) as trainer:
        assert synth(server, 0, 40, "4x4").wait(30) == 0
        trainer.next(timeout=10)
        time.sleep(3.5)  # longer than the server's 3 x 1 s liveness window: only the pump's heartbeats bridge it
        rest = collect(trainer, idle=1.0)
        assert trainer.reconnects == 0
        s = status(server.control)
        assert s["sessions"]["trainers"] == 1 and "peer-lost" not in s["totals"]["rejected"]
    assert len(rest) == 36


def test_clean_shutdown(server):
    trainer = TrainerClient(server.consumer, group="g", batch_size=4, reconnect=False)
    assert synth(server, 3, 8, "4x4").wait(30) == 0
    assert len(collect(trainer)) == 8
    trainer.close()
    trainer.close()  # idempotent
    with pytest.raises(ClosedError):
        trainer.next()
    deadline = time.monotonic() + 5
    while status(server.control)["sessions"]["trainers"] != 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status(server.control)["sessions"]["trainers"] == 0
    final = server.stop()
    assert server.returncode == 0
    assert final["totals"]["samples_in"] == 8 and final["totals"]["samples_out"] == 8
    assert final["totals"]["rejected"] == {}


def test_server_stopping_under_a_connected_trainer_ends_it_with_a_clear_error(server):
    with TrainerClient(server.consumer, group="g", batch_size=4, reconnect=False) as trainer:
        server.stop()
        with pytest.raises(ClosedError) as caught:
            trainer.next(timeout=5)
        assert server.consumer in str(caught.value) and "BYE (shutting-down)" in str(caught.value)


def test_absent_server_raises_a_timeout_naming_the_endpoint():
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(SluiceTimeoutError) as caught:
        TrainerClient(endpoint, group="fno", rank=0, batch_size=8, connect_timeout=0.5)
    assert time.monotonic() - started < 3
    message = str(caught.value)
    assert endpoint in message and "READY" in message and "'fno'" in message
    assert caught.value.endpoint == endpoint and caught.value.waited_for == "READY"
    assert isinstance(caught.value, TimeoutError)
    with pytest.raises(SluiceTimeoutError, match=endpoint):
        SolverClient(endpoint, member=0, sample_bytes=4, connect_timeout=0.3)
    with pytest.raises(SluiceTimeoutError, match="STATUS"):
        status(endpoint, timeout=0.3)


def test_no_data_raises_a_timeout_naming_endpoint_group_and_rank(server):
    with TrainerClient(server.consumer, group="idle", rank=0, world_size=1, batch_size=8) as trainer:
        with pytest.raises(SluiceTimeoutError) as caught:
            trainer.next(timeout=0.4)
    message = str(caught.value)
    assert server.consumer in message and "'idle'" in message and "rank 0" in message
    assert caught.value.waited_for == "BATCH"


def test_server_refusals_raise_refused_errors(server):
    with TrainerClient(server.consumer, group="g", rank=0, world_size=2, batch_size=4):
        with pytest.raises(RefusedError, match="world size") as caught:
            TrainerClient(server.consumer, group="g", rank=1, world_size=3, batch_size=4, connect_timeout=5)
        assert caught.value.report.code == "bad-body" and caught.value.report.fatal
    with pytest.raises(RefusedError, match="forbidden"):
        TrainerClient(server.solver, group="g", batch_size=4, connect_timeout=5)


def test_trainer_reconnects_to_a_restarted_server(sluice_bin):
    from sluice import ServerProcess

    ports = [free_port() for _ in range(3)]
    first = ServerProcess(binary=sluice_bin, ports=ports)
    try:
        with TrainerClient(first.consumer, group="g", batch_size=4) as trainer:
            assert synth(first, 0, 8, "4x4").wait(30) == 0
            assert len(collect(trainer, idle=1.0)) == 8
            first.kill()  # no goodbye: the trainer must notice on its own
            second = ServerProcess(binary=sluice_bin, ports=ports)
            try:
                assert synth(second, 1, 8, "4x4").wait(30) == 0
                again = [trainer.next(timeout=15)]
                again += list(trainer.batches(idle_timeout=1.0))
                assert sorted((int(m), int(s)) for b in again for m, s in zip(b.member, b.step)) == [
                    (1, s) for s in range(8)]
                assert all(verify_batch(b) is None for b in again)
                assert trainer.reconnects + trainer.error_counts.get("not-ready", 0) >= 1
            finally:
                second.stop()
    finally:
        first.kill()
