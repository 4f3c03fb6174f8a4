"""Shared pytest fixtures: the package from this checkout, the golden wire fixtures, and a real `sluice serve`."""

import json
import os
import socket
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
REPO_ROOT = os.path.abspath(os.path.join(PACKAGE_ROOT, "..", ".."))
FIXTURES = os.path.join(REPO_ROOT, "schemas", "wire", "fixtures")

# Test the code in this checkout even when another copy of the package is installed.
if sys.path[0] != PACKAGE_ROOT:
    sys.path.insert(0, PACKAGE_ROOT)

from sluice import ServerProcess  # noqa: E402


def manifest():
    with open(os.path.join(FIXTURES, "manifest.json")) as f:
        return json.load(f)


def sluice_binary() -> str:
    """$SLUICE_BIN (ops/test.sh sets it), else the debug build of this checkout."""
    path = os.environ.get("SLUICE_BIN") or os.path.join(REPO_ROOT, ".build", "debug", "sluice")
    if not os.path.exists(path):
        pytest.fail(f"no sluice binary at {path}: run `swift build --product sluice` or set SLUICE_BIN")
    return path


@pytest.fixture
def sluice_bin() -> str:
    return sluice_binary()


@pytest.fixture
def server(sluice_bin):
    """A `sluice serve` on free loopback ports, stopped (SIGTERM) after the test."""
    with ServerProcess(binary=sluice_bin) as s:
        yield s


@pytest.fixture
def make_server(sluice_bin):
    """A factory for servers with extra flags; all are stopped after the test."""
    started = []

    def make(*args: str) -> ServerProcess:
        s = ServerProcess(list(args), binary=sluice_bin)
        started.append(s)
        return s

    yield make
    for s in started:
        if s.running:
            s.kill()


def wait_for_trainers(server: ServerProcess, count: int, timeout: float = 30.0) -> None:
    """Waits until `count` trainers are connected (so that every group is required for the samples that follow)."""
    import time

    from sluice import status

    deadline = time.monotonic() + timeout
    while status(server.control)["sessions"]["trainers"] < count:
        if time.monotonic() > deadline:
            pytest.fail(f"{count} trainers did not connect within {timeout:g} s:\n{server.log()[-2000:]}")
        time.sleep(0.05)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
