"""Stream a solver member's samples into a Sluice server from Python (NumPy, JAX, Dedalus, ... scripts).

Design: as in :mod:`sluice.trainer`, a pump thread owns the DEALER socket, so heartbeats keep going while the
solver computes a long step. :meth:`SolverClient.publish` encodes the header in the caller's thread and hands the
frames to the pump over an ``inproc://`` PAIR socket whose high-water marks hold at most a sample or two: the pump
forwards a sample only while it holds credit from the server, so when the server's reservoir is full and credit
stops, ``publish`` blocks (back-pressure) instead of piling samples up in memory.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import numpy as np
import zmq

from ._connection import Connection, PumpState, poll
from .keys import CurveKeys, curve_from_environment
from .control import Bye, ErrorReport, Hello
from .errors import ClientError, ClosedError, RefusedError, SluiceTimeoutError, WireError
from .headers import encode_sample_header
from .model import AxisBounds, DType, FieldDescriptor, FieldRole, Geometry, Parameter, SampleFlags, SampleHeader
from .model import WireLimits
from .wire import Command, Message, envelope

__all__ = ["SolverClient"]

log = logging.getLogger("sluice.solver")

_FINISH = b"F"

ArrayLike = Any


class SolverClient:
    """One solver member's connection to a server's solver endpoint.

    >>> with SolverClient("tcp://127.0.0.1:5555", member=3, sample_bytes=64 * 64 * 4,  # doctest: +SKIP
    ...                   study="heat") as solver:
    ...     for step in range(100):
    ...         u = advance(u)                                  # your solver
    ...         solver.publish(step, time=step * dt, fields={"u": u.astype(np.float32)},
    ...                        parameters={"nu": 1e-3}, bounds=[(0, 1), (0, 1)])

    Leaving the ``with`` block normally calls :meth:`finish` (BYE "done" after the last sample left); leaving it
    with an exception calls :meth:`close`. A relaunched member (``attempt`` > 0) can skip the steps the server
    already holds: see :attr:`accepted_steps`.
    """

    def __init__(self, endpoint: str, member: int, sample_bytes: int, *, study: str = "", attempt: int = 0,
                 connect_timeout: float = 10.0, reconnect: bool = True, peer_name: Optional[str] = None,
                 capabilities: Sequence[str] = (), limits: WireLimits = WireLimits(),
                 curve: Optional[CurveKeys] = None) -> None:
        """Connects and waits for READY.

        Args:
            endpoint: the server's solver endpoint, e.g. ``tcp://127.0.0.1:5555``.
            member: this member's index in its study.
            sample_bytes: the largest payload (sum of field bytes) of any sample this member will send; the server
                reserves this much of its byte bound per credit, and refuses larger samples.
            study: the study name.
            attempt: 0 for the first run of a member, +1 per relaunch.
            connect_timeout: seconds to wait for READY.
            reconnect: reconnect with back-off (1 s to 32 s) if the server goes silent or restarts.
            peer_name: name shown in the server's logs and status.
            curve: CURVE keys (:class:`~sluice.keys.CurveKeys`) for a server run with ``--curve-dir``; default:
                the files named by ``SLUICE_CURVE_KEY`` and ``SLUICE_SERVER_KEY`` if set, else a plain connection.

        Raises:
            SluiceTimeoutError: no READY within ``connect_timeout``.
            RefusedError: the server refused the HELLO (e.g. ``sample_bytes`` above its capacity).
        """
        if sample_bytes < 0:
            raise ValueError(f"sample_bytes {sample_bytes} must not be negative")
        self.endpoint = endpoint
        self.member = int(member)
        self.attempt = int(attempt)
        self.sample_bytes = int(sample_bytes)
        self.limits = limits
        self.sent = 0
        self._pid = os.getpid()
        self._finished = False
        self._closed = False
        self._state = PumpState()
        self._sent_by_pump = 0
        self._context = zmq.Context(io_threads=1)
        pipe_endpoint = f"inproc://sluice-solver-{uuid.uuid4().hex}"
        self._pipe = self._context.socket(zmq.PAIR)
        # Back-pressure: at most one sample waits in the pipe beyond the one the pump holds.
        self._pipe.setsockopt(zmq.SNDHWM, 1)
        self._pipe.setsockopt(zmq.LINGER, 0)
        self._pipe.bind(pipe_endpoint)
        hello = Hello(role="solver", peer=peer_name or f"python solver member {member} (pid {os.getpid()})",
                      capabilities=list(capabilities), study=study, member=self.member, attempt=self.attempt,
                      sample_bytes=self.sample_bytes)
        connection = Connection(self._context, endpoint, hello, reconnect=reconnect, limits=limits,
                                curve=curve if curve is not None else curve_from_environment())
        self._thread = threading.Thread(target=self._pump, args=(connection, pipe_endpoint),
                                        name=f"sluice-solver-{member}", daemon=True)
        self._thread.start()
        phase = self._state.wait_ready(connect_timeout)
        if phase == PumpState.READY:
            return
        self.close()
        if phase == PumpState.FAILED and self._state.error is not None:
            raise self._state.error
        raise SluiceTimeoutError(
            f"no READY from {endpoint} within {connect_timeout:g} s for solver member {member}: is `sluice serve` "
            f"running there, and is this its solver endpoint?",
            endpoint=endpoint, waited_for="READY", seconds=connect_timeout)

    # MARK: caller side

    @property
    def accepted_steps(self) -> Set[int]:
        """Steps of this member the server already holds (from READY): a relaunched member skips them."""
        ready = self._state.ready
        return set(ready.accepted_steps or []) if ready else set()

    @property
    def error_counts(self) -> Dict[str, int]:
        """ERROR messages the server sent, by code (``duplicate``, ``shape-mismatch``, ``non-finite``, ...)."""
        with self._state.lock:
            return dict(self._state.errors)

    @property
    def last_error(self) -> Optional[ErrorReport]:
        """The last ERROR the server sent."""
        return self._state.last_error

    @property
    def reconnects(self) -> int:
        return self._state.reconnects

    def publish(self, step: int, time: float, fields: Mapping[str, ArrayLike], *,
                parameters: Optional[Mapping[str, float]] = None,
                bounds: Optional[Sequence[Tuple[float, float]]] = None, geometry: Optional[Geometry] = None,
                roles: Optional[Mapping[str, FieldRole]] = None, final: bool = False, copy: bool = True,
                timeout: Optional[float] = None) -> None:
        """Publishes one snapshot; blocks while the server grants no credit (back-pressure).

        Args:
            step: the solver step number (samples are keyed by (member, step); a repeat is refused as duplicate).
            time: simulated time.
            fields: name -> array (float32, float64, int32, int64 or uint8; converted to little-endian C order).
            parameters: name -> value of this member's parameters (viscosity, forcing, seed, ...).
            bounds: (lower, upper) per spatial axis for a grid; the trailing axes of each data field are the grid.
            geometry: defaults to a uniform grid when ``bounds`` is given, else none.
            roles: field roles other than data (``FieldRole.AXIS`` for a stretched grid's coordinates, ...).
            final: mark the member's last sample.
            copy: copy the arrays (default). With ``copy=False`` the arrays are sent without a copy; do not modify
                them afterwards (allocate a new array per step).
            timeout: seconds to wait for credit (None: forever).

        Raises:
            ValueError: the sample breaks the protocol (names, shapes, dtypes) or exceeds ``sample_bytes``.
            SluiceTimeoutError: no credit within ``timeout``.
            RefusedError / ClosedError: the connection failed or was closed.
        """
        arrays: List[np.ndarray] = []
        descriptors: List[FieldDescriptor] = []
        roles = roles or {}
        for name, value in fields.items():
            a = np.asarray(value)
            dtype = DType.from_numpy(a.dtype)
            c = np.ascontiguousarray(a, dtype=dtype.numpy)
            if copy and np.may_share_memory(c, a):
                c = c.copy()
            arrays.append(c)
            descriptors.append(FieldDescriptor(name, dtype, tuple(int(d) for d in c.shape),
                                               FieldRole(roles.get(name, FieldRole.DATA))))
        dims = len(bounds) if bounds is not None else 0
        if geometry is None:
            geometry = Geometry.UNIFORM_GRID if dims > 0 else Geometry.NONE
        header = SampleHeader(member=self.member, attempt=self.attempt, step=int(step), time=float(time),
                              flags=SampleFlags.FINAL if final else SampleFlags.NONE, geometry=Geometry(geometry),
                              spatial_dims=dims, bounds=[AxisBounds(float(lo), float(hi)) for lo, hi in bounds or ()],
                              parameters=[Parameter(k, float(v)) for k, v in (parameters or {}).items()],
                              fields=descriptors)
        self.publish_header(header, arrays, timeout=timeout)

    def publish_header(self, header: SampleHeader, payload: Sequence[Any], *,
                       timeout: Optional[float] = None) -> None:
        """Publishes a sample given as a :class:`SampleHeader` and one buffer per field (bytes or arrays, sent
        without a copy). ``publish`` is the convenient form."""
        if self._finished or self._closed:
            raise ClosedError(f"publish after finish() or close() (solver member {self.member}, {self.endpoint})")
        if header.member != self.member:
            raise ValueError(f"this client streams member {self.member}, not member {header.member}")
        try:
            encoded = encode_sample_header(header, self.limits)
        except WireError as e:
            raise ValueError(f"sample member {header.member} step {header.step} is not valid: {e}") from None
        sizes = [memoryview(p).nbytes for p in payload]
        if len(sizes) != len(header.fields) or any(s != f.nbytes for s, f in zip(sizes, header.fields)):
            raise ValueError(f"payload sizes {sizes} do not match the fields {[f.nbytes for f in header.fields]}")
        if sum(sizes) > self.sample_bytes:
            raise ValueError(f"sample step {header.step} has {sum(sizes)} payload bytes, more than the "
                             f"sample_bytes {self.sample_bytes} this member declared")
        frames = [envelope(Command.SAMPLE), encoded, *payload]
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            self._raise_if_failed()
            try:
                self._pipe.send_multipart(frames, flags=zmq.NOBLOCK, copy=False)
                self.sent += 1
                return
            except zmq.Again:
                pass
            if deadline is not None and time.monotonic() >= deadline:
                raise SluiceTimeoutError(
                    f"no credit from {self.endpoint} within {timeout:g} s for member {self.member} step "
                    f"{header.step}: the server's reservoir is full (no trainer is consuming?) or it is gone",
                    endpoint=self.endpoint, waited_for="CREDIT", seconds=timeout or 0.0)
            self._pipe.poll(20, zmq.POLLOUT)

    def _raise_if_failed(self) -> None:
        if self._state.phase == PumpState.FAILED and self._state.error is not None:
            raise self._state.error
        if self._state.phase == PumpState.STOPPED:
            raise ClosedError(f"the connection of solver member {self.member} to {self.endpoint} stopped")

    def finish(self, timeout: float = 30.0) -> None:
        """Sends every queued sample, says BYE "done", and stops. Waits at most ``timeout`` seconds (samples still
        waiting for credit then are dropped). Raises the connection's failure if it failed."""
        if self._finished or self._closed:
            return
        self._finished = True
        deadline = time.monotonic() + timeout
        while self._state.phase not in (PumpState.FAILED, PumpState.STOPPED):
            try:
                self._pipe.send(_FINISH, flags=zmq.NOBLOCK)
                break
            except zmq.Again:
                if time.monotonic() >= deadline:
                    break
                self._pipe.poll(20, zmq.POLLOUT)
        with self._state.changed:
            while self._state.phase not in (PumpState.FAILED, PumpState.STOPPED):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._state.changed.wait(min(left, 0.1))
        failed = self._state.error if self._state.phase == PumpState.FAILED else None
        self.close()
        if failed is not None:
            raise failed

    def close(self) -> None:
        """Stops at once (queued samples are dropped) and releases the sockets. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._state.stop.set()
        if os.getpid() != self._pid:
            return
        self._thread.join(timeout=5)
        self._pipe.close()
        self._context.term()

    def __enter__(self) -> "SolverClient":
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.close()

    def __del__(self) -> None:
        state = getattr(self, "_state", None)
        if state is not None:
            state.stop.set()

    # MARK: pump thread

    def _pump(self, connection: Connection, pipe_endpoint: str) -> None:
        pipe = self._context.socket(zmq.PAIR)
        pipe.setsockopt(zmq.RCVHWM, 1)
        pipe.setsockopt(zmq.LINGER, 0)
        pipe.connect(pipe_endpoint)
        try:
            self._loop(connection, pipe)
            self._state.set(phase=PumpState.STOPPED)
        except ClientError as e:
            self._state.fail(e)
        except Exception as e:
            log.exception("solver pump for %s failed", self.endpoint)
            self._state.fail(ClientError(f"solver connection to {self.endpoint} failed: {e!r}"))
        finally:
            connection.close()
            pipe.close()

    def _loop(self, connection: Connection, pipe: zmq.Socket) -> None:
        state = self._state
        credit = 0
        pending: Optional[List[Any]] = None
        finishing = False
        bye_sent_at: Optional[float] = None
        connection.open()
        while not state.stop.is_set():
            sockets: Dict[zmq.Socket, int] = {}
            if connection.socket is not None:
                sockets[connection.socket] = zmq.POLLIN
            # Take the next sample only when none is held: with the pipe's marks the caller is at most a sample or
            # two ahead, which is the back-pressure on the solver.
            if pending is None and not finishing:
                sockets[pipe] = zmq.POLLIN
            ready = poll(sockets, 50)
            while True:
                message = connection.receive()
                if message is None:
                    break
                command = message.command
                if command == Command.READY:
                    credit = 0
                    state.set(phase=PumpState.READY, ready=message.body, server_said_bye=None)
                elif command == Command.CREDIT:
                    credit += max(0, message.body.samples or 0)
                elif command == Command.ERROR:
                    report = message.body
                    state.count_error(report)
                    if report.fatal:
                        if report.code == "not-ready" and connection.reconnect_enabled:
                            connection.open()  # the server restarted: introduce ourselves again
                            credit = 0
                        else:
                            raise RefusedError(f"server {self.endpoint} refused solver member {self.member}: "
                                               f"{report.code}: {report.message}", report)
                    else:
                        log.warning("server %s refused member %s step %s: %s: %s", self.endpoint, report.member,
                                    report.step, report.code, report.message)
                elif command == Command.BYE:
                    if bye_sent_at is not None:
                        return  # the server answered our BYE: done
                    credit = 0
                    state.set(server_said_bye=message.body.reason)
                    if not connection.reconnect_enabled:
                        raise ClosedError(f"server {self.endpoint} said BYE ({message.body.reason})")
                    state.set(reconnects=state.reconnects + 1)
                    connection.reconnect(state.stop)
            if pipe in ready and pending is None:
                try:
                    frames = pipe.recv_multipart(flags=zmq.NOBLOCK, copy=False)
                    if len(frames) == 1 and frames[0].bytes == _FINISH:
                        finishing = True
                    else:
                        pending = frames
                except zmq.Again:
                    pass
            if pending is not None and credit > 0 and connection.ready is not None:
                if connection.send_frames(pending):
                    credit -= 1
                    pending = None
                    self._sent_by_pump += 1
            if finishing and pending is None and bye_sent_at is None and connection.ready is not None:
                if connection.send(Message(Command.BYE, Bye("done"))):
                    bye_sent_at = time.monotonic()
            if bye_sent_at is not None and time.monotonic() - bye_sent_at > 5.0:
                return  # no answer to BYE: the samples have left our queue; stop anyway
            if connection.tick():
                if not connection.reconnect_enabled:
                    raise SluiceTimeoutError(f"server {self.endpoint} went silent (no traffic for 3 heartbeats)",
                                             endpoint=self.endpoint, waited_for="heartbeat",
                                             seconds=3 * connection.liveness.interval)
                credit = 0
                state.set(reconnects=state.reconnects + 1)
                connection.reconnect(state.stop)
