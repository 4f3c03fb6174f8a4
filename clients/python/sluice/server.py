"""Start and stop a local ``sluice serve`` process (for examples, notebooks and tests).

>>> with ServerProcess(["--capacity", "256MiB"]) as server:      # doctest: +SKIP
...     print(server.solver, server.consumer, server.control)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from typing import Any, Dict, Optional, Sequence

from .errors import ClientError

__all__ = ["find_binary", "ServerProcess"]


def find_binary(binary: Optional[str] = None) -> str:
    """The ``sluice`` executable: ``binary`` if given, else ``$SLUICE_BIN``, else ``sluice`` on the PATH."""
    candidate = binary or os.environ.get("SLUICE_BIN") or shutil.which("sluice")
    if not candidate or not os.path.exists(candidate):
        raise ClientError(f"cannot find the sluice binary (tried {candidate or 'SLUICE_BIN and PATH'}); build it "
                          f"with `swift build --product sluice` and set SLUICE_BIN=.build/debug/sluice")
    return candidate


class ServerProcess:
    """A ``sluice serve`` child process bound to free loopback ports; :attr:`solver`, :attr:`consumer` and
    :attr:`control` are its endpoints. :meth:`stop` sends SIGTERM and returns the final counters."""

    def __init__(self, extra_args: Sequence[str] = (), *, binary: Optional[str] = None, host: str = "127.0.0.1",
                 ports: Optional[Sequence[int]] = None, directory: Optional[str] = None,
                 startup_timeout: float = 20.0) -> None:
        """Starts ``sluice serve`` and waits until it wrote its endpoints.

        Args:
            extra_args: more ``sluice serve`` flags (``--capacity 256MiB``, ``--policy reservoir``, ...).
            binary: the executable (default: :func:`find_binary`).
            host: the address to bind.
            ports: (solver, consumer, control) ports; default: free ones picked by the system.
            directory: where the endpoint file and log go (default: a temporary directory, removed on stop).
            startup_timeout: seconds to wait for the endpoint file.
        """
        self.binary = find_binary(binary)
        self._own_directory = directory is None
        self.directory = directory or tempfile.mkdtemp(prefix="sluice-serve-")
        self.endpoint_file = os.path.join(self.directory, "endpoints.json")
        self.log_path = os.path.join(self.directory, "serve.log")
        if os.path.exists(self.endpoint_file):
            os.remove(self.endpoint_file)
        self._log = open(self.log_path, "wb")
        solver, consumer, control = ports if ports is not None else ("*", "*", "*")
        args = [self.binary, "serve", "--solver-endpoint", f"tcp://{host}:{solver}", "--consumer-endpoint",
                f"tcp://{host}:{consumer}", "--control-endpoint", f"tcp://{host}:{control}", "--endpoint-file",
                self.endpoint_file, "--json", *extra_args]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._log)
        self.final: Optional[Dict[str, Any]] = None
        self._saved_log = ""
        deadline = time.monotonic() + startup_timeout
        while not os.path.exists(self.endpoint_file):
            if self.process.poll() is not None:
                text = self.log()
                self._close()
                raise ClientError(f"sluice serve exited with status {self.process.returncode}:\n{text}")
            if time.monotonic() > deadline:
                text = self.log()
                self.kill()
                raise ClientError(f"sluice serve wrote no endpoint file within {startup_timeout:g} s:\n{text}")
            time.sleep(0.02)
        with open(self.endpoint_file) as f:
            endpoints = json.load(f)
        self.solver: str = endpoints["solver"]
        self.consumer: str = endpoints["consumer"]
        self.control: str = endpoints["control"]

    def log(self) -> str:
        """What the server wrote to stderr so far (kept after the process stopped)."""
        if self._log.closed:
            return self._saved_log
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> Dict[str, Any]:
        """SIGTERM, wait, and return the final counters the server printed (``{}`` if it printed none)."""
        if self.final is not None:
            return self.final
        if self.running:
            self.process.send_signal(signal.SIGTERM)
        try:
            out, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            text = self.log()
            self.kill()
            raise ClientError(f"sluice serve did not stop within {timeout:g} s of SIGTERM:\n{text}") from None
        text = out.decode("utf-8", "replace")
        start = text.find("{")
        self.final = json.loads(text[start:]) if start >= 0 else {}
        self._close()
        return self.final

    def kill(self) -> None:
        """SIGKILL (no goodbye)."""
        if self.running:
            self.process.kill()
        self.process.wait()
        self._close()

    def _close(self) -> None:
        if not self._log.closed:
            self._log.flush()
            self._saved_log = self.log()
        if self.process.stdout and not self.process.stdout.closed:
            self.process.stdout.close()
        self._log.close()
        if self._own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    @property
    def returncode(self) -> Optional[int]:
        return self.process.returncode

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.final is None and self.running:
            try:
                self.stop()
            except ClientError:
                pass
        else:
            self._close()
