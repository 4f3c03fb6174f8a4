"""Resource limits that hold under attack, with real sockets against a real `sluice serve` process.

Each test attacks the server while an honest publisher and trainer keep streaming, then checks that the server's
memory stayed within its bound plus a fixed allowance, that the attack was counted, and that every honest sample
arrived intact."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

import zmtp

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SLUICE = os.environ.get("SLUICE_BIN", os.path.join(ROOT, ".build", "debug", "sluice"))
MiB = 1 << 20


def rss_kib(pid: int, key: str = "VmHWM") -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {key} for {pid}")


class Server:
    def __init__(self, tmp: str, **settings):
        self.tmp = tmp
        config = {"solver_endpoint": "tcp://127.0.0.1:*", "consumer_endpoint": "tcp://127.0.0.1:*",
                  "control_endpoint": "tcp://127.0.0.1:*", "endpoint_file": os.path.join(tmp, "endpoints.json"),
                  "reservoir": {"policy": "fifo", "capacity_bytes": 32 * MiB}}
        config.update(settings)
        path = os.path.join(tmp, "server.json")
        with open(path, "w") as f:
            json.dump(config, f)
        self.log = open(os.path.join(tmp, "server.log"), "w")
        self.process = subprocess.Popen([SLUICE, "serve", "--config", path, "--json", "--log-level", "warning"],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        for _ in range(1000):
            if os.path.exists(config["endpoint_file"]):
                break
            time.sleep(0.01)
        with open(config["endpoint_file"]) as f:
            self.endpoints = json.load(f)
        time.sleep(0.2)
        self.idle_kib = rss_kib(self.process.pid, "VmRSS")

    def status(self) -> dict:
        out = subprocess.run([SLUICE, "status", "--endpoint", self.endpoints["control"], "--json"],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=30)
        self.log.close()
        assert self.process.returncode == 0
        return json.loads(out[out.index("{"):])


class HonestTraffic:
    """A synth publisher and a verifying consumer, as separate sluice processes."""

    def __init__(self, server: Server, tmp: str, samples: int = 200):
        self.samples = samples
        self.report = os.path.join(tmp, "honest.json")
        self.consumer = subprocess.Popen([SLUICE, "consume", "--server", server.endpoints["consumer"], "--group", "honest",
                                          "--batch-size", "8", "--verify", "--idle-timeout", "6", "--report", self.report],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        self.publisher = subprocess.Popen([SLUICE, "synth", "--server", server.endpoints["solver"], "--member", "1",
                                           "--samples", str(samples), "--shape", "32x32", "--interval-ms", "10", "--quiet"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def check(self):
        _, err = self.publisher.communicate(timeout=120)
        assert self.publisher.returncode == 0, err
        assert self.consumer.wait(timeout=120) == 0
        with open(self.report) as f:
            report = json.load(f)
        assert report["failures"] == []
        assert sorted(step for _, step, _, _ in report["received"]) == list(range(self.samples))


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory(prefix="sluice-limits-") as d:
        yield d


def test_endless_multipart_is_cut_and_memory_stays_bounded(tmp):
    server = Server(tmp)
    honest = HonestTraffic(server, tmp)
    sent = 0
    for _ in range(3):  # three attackers in turn, each streaming frames that all carry MORE
        s = zmtp.connect(server.endpoints["solver"])
        chunk = zmtp.frame(b"x" * 1024, more=True) * 64
        try:
            deadline = time.time() + 5
            while time.time() < deadline:
                s.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass  # cut by the server
        s.close()
    honest.check()
    status = server.status()
    assert status["totals"]["rejected"].get("connection-flood", 0) == 3
    peak = rss_kib(server.process.pid)
    # Bound: reservoir capacity + 1 MiB allowance per connection + 10 ms of loopback traffic + slack for the
    # honest traffic's batches; far below the bytes the attackers sent.
    assert peak - server.idle_kib < (32 + 3 + 32) * 1024, f"peak {peak} KiB, idle {server.idle_kib} KiB"
    assert sent > 4 * MiB
    server.stop()


def test_idle_connections_are_capped_and_cut_without_hello(tmp):
    server = Server(tmp, max_connections=40, hello_timeout_ms=1500)
    idle, refused = [], 0
    for _ in range(60):
        try:
            idle.append(zmtp.connect(server.endpoints["solver"]))
        except OSError:
            refused += 1  # cut at once: max_connections reached
    time.sleep(0.5)
    honest = HonestTraffic(server, tmp, samples=100)
    per_connection_kib = (rss_kib(server.process.pid, "VmRSS") - server.idle_kib) / max(len(idle), 1)
    time.sleep(2.5)
    status = server.status()
    rejected = status["totals"]["rejected"]
    assert rejected.get("too-many-connections", 0) >= 20 and refused + len(idle) == 60
    assert rejected.get("no-hello", 0) >= 30
    honest.check()
    assert per_connection_kib < 256, f"{per_connection_kib:.0f} KiB per idle connection"
    for s in idle:
        s.close()
    server.stop()


def test_oversized_frame_drops_the_connection_before_allocation(tmp):
    server = Server(tmp, limits={"max_frame_bytes": 1 * MiB})
    honest = HonestTraffic(server, tmp, samples=100)
    s = zmtp.connect(server.endpoints["solver"])
    closed = False
    try:
        s.sendall(zmtp.frame_header(8 << 30, more=False))  # announces 8 GiB
        for _ in range(200):
            s.sendall(b"y" * 65536)
    except OSError:
        closed = True
    if not closed:
        s.settimeout(5)
        try:
            closed = s.recv(1) == b""
        except OSError:
            closed = True
    assert closed, "the server should drop a connection that announces a frame above max_frame_bytes"
    honest.check()
    assert rss_kib(server.process.pid) - server.idle_kib < 64 * 1024
    server.stop()


def test_hello_flood_is_limited_by_max_sessions(tmp):
    import zmq
    server = Server(tmp, max_sessions=20)
    honest = HonestTraffic(server, tmp, samples=100)
    ctx = zmq.Context()
    sockets = []
    hello = json.dumps({"capabilities": [], "group": "flood", "peer": "flood", "protocol_version": 1, "rank": 0,
                        "role": "trainer", "world_size": 1, "batch_size": 1}, separators=(",", ":"), sort_keys=True)
    for i in range(60):
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(server.endpoints["consumer"])
        for _ in range(5):
            s.send_multipart([b"SLUICE\x01\x01", hello.replace('"flood"', f'"flood-{i}"', 1).encode()])
        sockets.append(s)
    time.sleep(1)
    status = server.status()
    assert status["sessions"]["trainers"] <= 20
    assert status["totals"]["rejected"].get("server-busy", 0) >= 1
    honest.check()
    for s in sockets:
        s.close()
    ctx.term()
    server.stop()


def test_trainer_that_never_reads_is_dropped_and_its_queue_freed(tmp):
    import zmq
    server = Server(tmp, heartbeat_ms=200, group_grace_ms=500)
    ctx = zmq.Context()
    greedy = ctx.socket(zmq.DEALER)
    greedy.setsockopt(zmq.LINGER, 0)
    greedy.setsockopt(zmq.RCVHWM, 1)
    greedy.setsockopt(zmq.RCVBUF, 4096)
    greedy.connect(server.endpoints["consumer"])
    hello = {"batch_size": 256, "capabilities": [], "group": "greedy", "peer": "greedy", "protocol_version": 1,
             "rank": 0, "role": "trainer", "world_size": 1}
    greedy.send_multipart([b"SLUICE\x01\x01", json.dumps(hello, separators=(",", ":"), sort_keys=True).encode()])
    greedy.send_multipart([b"SLUICE\x01\x03", b'{"batches":100000}'])
    honest = HonestTraffic(server, tmp, samples=150)  # the greedy group is sent batches of these too
    honest.check()
    time.sleep(1.5)  # > 3 heartbeats without a word from the greedy trainer
    status = server.status()
    assert status["totals"]["rejected"].get("peer-lost", 0) >= 1
    assert not any(g["name"] == "greedy" and g["trainers"] > 0 for g in status["groups"])
    # At most max_prefetch (16) batches of 256 x 4 KiB could ever be queued for it.
    assert rss_kib(server.process.pid) - server.idle_kib < (32 + 16 * 1 + 32) * 1024
    greedy.close()
    ctx.term()
    server.stop()
