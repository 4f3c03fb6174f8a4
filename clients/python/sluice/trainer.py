"""Pull batches from a Sluice server as one rank of a consumer group.

Design (why a background thread): a training step can take seconds or minutes (a large model, a validation pass, a
checkpoint), far longer than the server's 3-heartbeat liveness window, so heartbeats cannot wait for the training
loop to come back. A pump thread therefore owns the DEALER socket (pyzmq sockets are not thread-safe, so no other
thread ever touches it): it says HELLO, answers liveness, keeps ``prefetch`` batch requests in flight, reconnects
with back-off 1 s to 32 s when the server goes silent or restarts, and hands received batches to the caller through
an in-process queue (the ``zmq.Frame`` objects are passed by reference: nothing is copied). The caller tells the pump
that it took a batch over an ``inproc://`` PAIR socket, so the pump sends the next CREDIT at once rather than at its
next poll. The pump mostly sleeps in ``zmq_poll`` (which releases the GIL), and CPython switches threads every few
milliseconds even while the caller runs pure-Python code, so a busy training loop does not starve it.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import uuid
from typing import Iterator, Optional

import zmq

from ._connection import Connection, PumpState, poll
from .keys import CurveKeys, curve_from_environment
from .batch import Batch
from .control import Bye, Credit, Hello
from .errors import ClientError, ClosedError, RefusedError, SluiceTimeoutError
from .model import WireLimits
from .wire import Command, Message

__all__ = ["TrainerClient"]

log = logging.getLogger("sluice.trainer")

_TAKEN = b"T"
_STOP = b"S"


class TrainerClient:
    """One trainer rank's connection to a server's consumer endpoint.

    >>> with TrainerClient("tcp://127.0.0.1:5556", group="fno", batch_size=32) as client:  # doctest: +SKIP
    ...     for batch in client:
    ...         x = batch["vorticity"]          # np.ndarray [32, 64, 64], viewed in the received frame
    ...         members, steps = batch.member, batch.step

    Ranks ``0..world_size-1`` of one ``group`` get disjoint samples; different groups each see the whole stream.
    Iterating blocks for the next batch and raises :class:`~sluice.errors.SluiceTimeoutError` (naming the endpoint
    and what was awaited) when none arrives within ``timeout`` seconds; :meth:`batches` ends quietly instead.

    Not fork-safe: create the client in the process that uses it (``sluice.torch.ReservoirDataset`` does this in
    each DataLoader worker).
    """

    def __init__(self, endpoint: str, group: str = "default", rank: int = 0, world_size: int = 1,
                 batch_size: int = 32, prefetch: int = 2, *, timeout: Optional[float] = 60.0,
                 connect_timeout: float = 10.0, reconnect: bool = True, peer_name: Optional[str] = None,
                 limits: WireLimits = WireLimits(), curve: Optional[CurveKeys] = None) -> None:
        """Connects and waits for READY.

        Args:
            endpoint: the server's consumer endpoint, e.g. ``tcp://127.0.0.1:5556``.
            group: consumer group; each group sees the stream independently.
            rank, world_size: this trainer's rank in the group and the group's size (ranks get disjoint samples).
            batch_size: samples per batch. The server sends a partial batch at the end of a stream (after its
                ``partial_batch_after_ms``), so batches may be smaller.
            prefetch: batch requests kept in flight (the server caps it at its ``max_prefetch``).
            timeout: default seconds :meth:`next` and iteration wait for a batch (None: forever).
            connect_timeout: seconds to wait for READY before raising :class:`SluiceTimeoutError`.
            reconnect: reconnect with back-off (1 s to 32 s) if the server goes silent or restarts.
            peer_name: name shown in the server's logs and status.
            limits: decoder limits.
            curve: CURVE keys (:class:`~sluice.keys.CurveKeys`) for a server run with ``--curve-dir``; default:
                the files named by ``SLUICE_CURVE_KEY`` and ``SLUICE_SERVER_KEY`` if set, else a plain connection.

        Raises:
            SluiceTimeoutError: no READY within ``connect_timeout`` (server absent or wrong endpoint).
            RefusedError: the server refused the HELLO (bad rank, world size differing from the group's, ...).
        """
        if batch_size < 1 or prefetch < 1:
            raise ValueError(f"batch_size ({batch_size}) and prefetch ({prefetch}) must be at least 1")
        if world_size < 1 or not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} must be in 0..{world_size - 1} (world_size {world_size})")
        self.endpoint = endpoint
        self.group = group
        self.rank = rank
        self.world_size = world_size
        self.batch_size = batch_size
        self.prefetch = prefetch
        self.timeout = timeout
        self.batches_received = 0
        self.samples_received = 0
        self._pid = os.getpid()
        self._closed = False
        self._lock = threading.Lock()
        self._state = PumpState()
        self._queue: "queue.Queue[object]" = queue.Queue()
        self._context = zmq.Context(io_threads=1)
        pipe_endpoint = f"inproc://sluice-trainer-{uuid.uuid4().hex}"
        self._pipe = self._context.socket(zmq.PAIR)
        self._pipe.setsockopt(zmq.LINGER, 0)
        self._pipe.bind(pipe_endpoint)
        hello = Hello(role="trainer", peer=peer_name or f"python trainer {group}/{rank} (pid {os.getpid()})",
                      capabilities=["ragged-batch"], group=group, rank=rank, world_size=world_size,
                      batch_size=batch_size)
        connection = Connection(self._context, endpoint, hello, reconnect=reconnect, limits=limits,
                                curve=curve if curve is not None else curve_from_environment())
        self._thread = threading.Thread(target=self._pump, args=(connection, pipe_endpoint),
                                        name=f"sluice-trainer-{group}-{rank}", daemon=True)
        self._thread.start()
        phase = self._state.wait_ready(connect_timeout)
        if phase == PumpState.READY:
            return
        self.close()
        if phase == PumpState.FAILED and self._state.error is not None:
            raise self._state.error
        raise SluiceTimeoutError(
            f"no READY from {endpoint} within {connect_timeout:g} s for trainer group '{group}' rank {rank}: "
            f"is `sluice serve` running there, and is this its consumer endpoint?",
            endpoint=endpoint, waited_for="READY", seconds=connect_timeout)

    # MARK: caller side

    def next(self, timeout: Optional[float] = -1.0) -> Batch:
        """The next batch, waiting at most ``timeout`` seconds (default: the client's ``timeout``; None: forever).

        Raises:
            SluiceTimeoutError: nothing arrived in time; the message names the endpoint, group, rank and state.
            RefusedError: the server refused this trainer.
            ClosedError: the client was closed.
        """
        if timeout is not None and timeout < 0:
            timeout = self.timeout
        if os.getpid() != self._pid:
            raise ClientError(f"this TrainerClient was created in process {self._pid} and cannot be used after "
                              f"fork (in process {os.getpid()}); create one per process, e.g. in each DataLoader "
                              f"worker (sluice.torch.ReservoirDataset does)")
        if self._closed:
            raise ClosedError(f"the trainer client for {self.endpoint} is closed")
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise self._timeout_error(timeout) from None
        if isinstance(item, Batch):
            with self._lock:
                if not self._closed:
                    try:
                        self._pipe.send(_TAKEN, flags=zmq.NOBLOCK)
                    except zmq.Again:  # the pump is gone or busy; the credit is recovered on its next READY
                        pass
            self.batches_received += 1
            self.samples_received += item.size
            return item
        # A sentinel: the pump failed or stopped. Leave it for any other waiter.
        self._queue.put(item)
        if self._state.error is not None:
            raise self._state.error
        bye = self._state.server_said_bye
        raise ClosedError(f"the trainer connection to {self.endpoint} stopped"
                          + (f": the server said BYE ({bye})" if bye else ""))

    def _timeout_error(self, timeout: Optional[float]) -> SluiceTimeoutError:
        s = self._state
        with s.lock:
            if s.server_said_bye is not None:
                state = f"the server said BYE ({s.server_said_bye}) and has not come back"
            elif s.phase != PumpState.READY:
                state = "not connected: the server stopped answering and the client is reconnecting"
            else:
                state = f"connected; {self.batches_received} batches received so far"
        return SluiceTimeoutError(
            f"no batch from {self.endpoint} within {timeout:g} s (group '{self.group}', rank {self.rank} of "
            f"{self.world_size}, batch size {self.batch_size}; {state}): are solvers streaming into the server?",
            endpoint=self.endpoint, waited_for="BATCH", seconds=timeout or 0.0)

    def __iter__(self) -> Iterator[Batch]:
        """Batches forever; each wait is bounded by the client's ``timeout``."""
        while True:
            yield self.next()

    def batches(self, limit: Optional[int] = None, idle_timeout: Optional[float] = None,
                first_timeout: Optional[float] = None) -> Iterator[Batch]:
        """Batches until ``limit`` were taken or the stream went idle: the first batch waits up to
        ``first_timeout`` seconds (default: ``idle_timeout``), each later one up to ``idle_timeout``; when a wait
        runs out the iteration simply ends (useful for finite streams). With neither given, waits are bounded by
        the client's ``timeout`` and raise :class:`SluiceTimeoutError` as :meth:`next` does."""
        taken = 0
        while limit is None or taken < limit:
            wait = first_timeout if taken == 0 and first_timeout is not None else idle_timeout
            try:
                batch = self.next(timeout=wait if wait is not None else -1.0)
            except SluiceTimeoutError:
                if wait is None:
                    raise
                return
            taken += 1
            yield batch

    @property
    def reconnects(self) -> int:
        """Reconnections so far."""
        return self._state.reconnects

    @property
    def error_counts(self) -> dict:
        """ERROR messages the server sent, by code."""
        with self._state.lock:
            return dict(self._state.errors)

    @property
    def server(self) -> Optional[str]:
        """The server's name from READY."""
        ready = self._state.ready
        return ready.server if ready else None

    def close(self) -> None:
        """Says BYE and stops the background thread. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._state.stop.set()
            if os.getpid() == self._pid:
                try:
                    self._pipe.send(_STOP, flags=zmq.NOBLOCK)
                except zmq.ZMQError:
                    pass
        if os.getpid() != self._pid:
            return  # a forked copy: the thread and sockets belong to the parent
        self._thread.join(timeout=5)
        self._pipe.close()
        self._context.term()

    def __enter__(self) -> "TrainerClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # best effort: never block or raise in a finaliser
        state = getattr(self, "_state", None)
        if state is not None:
            state.stop.set()

    # MARK: pump thread

    def _pump(self, connection: Connection, pipe_endpoint: str) -> None:
        pipe = self._context.socket(zmq.PAIR)
        pipe.setsockopt(zmq.LINGER, 0)
        pipe.connect(pipe_endpoint)
        try:
            self._loop(connection, pipe)
            self._state.set(phase=PumpState.STOPPED)
        except ClientError as e:
            self._state.fail(e)
        except Exception as e:  # a bug or a socket failure: report it to the caller rather than die silently
            log.exception("trainer pump for %s failed", self.endpoint)
            self._state.fail(ClientError(f"trainer connection to {self.endpoint} failed: {e!r}"))
        finally:
            try:
                connection.send(Message(Command.BYE, Bye("closed")))
            except Exception:
                pass
            connection.close()
            pipe.close()
            self._queue.put(None)  # wakes a waiting caller

    def _loop(self, connection: Connection, pipe: zmq.Socket) -> None:
        state = self._state
        queued = 0       # batches handed to the caller and not yet taken
        requested = 0    # batches asked for in this session and not yet received
        connection.open()

        def top_up() -> None:
            nonlocal requested
            want = self.prefetch - queued - requested
            if want > 0 and connection.ready is not None and connection.send(
                    Message(Command.CREDIT, Credit(batches=want))):
                requested += want

        while not state.stop.is_set():
            sockets = {pipe: zmq.POLLIN}
            if connection.socket is not None:
                sockets[connection.socket] = zmq.POLLIN
            ready = poll(sockets, 50)
            while True:
                message = connection.receive()
                if message is None:
                    break
                command = message.command
                if command == Command.READY:
                    requested = 0
                    state.set(phase=PumpState.READY, ready=message.body, server_said_bye=None)
                    top_up()
                elif command == Command.BATCH:
                    requested = max(0, requested - 1)
                    queued += 1
                    self._queue.put(Batch(message.body, message.payload))
                elif command == Command.ERROR:
                    report = message.body
                    state.count_error(report)
                    if report.fatal:
                        if report.code == "not-ready" and connection.reconnect_enabled:
                            connection.open()  # the server restarted and forgot us: introduce ourselves again
                        else:
                            raise RefusedError(f"server {self.endpoint} refused trainer group '{self.group}' rank "
                                               f"{self.rank}: {report.code}: {report.message}", report)
                    else:
                        log.warning("server %s: %s: %s", self.endpoint, report.code, report.message)
                elif command == Command.BYE:
                    state.set(server_said_bye=message.body.reason, phase=PumpState.CONNECTING
                              if state.phase == PumpState.READY else state.phase)
                    if not connection.reconnect_enabled:
                        return
                    state.set(reconnects=state.reconnects + 1)
                    connection.reconnect(state.stop)
            if pipe in ready:
                while True:
                    try:
                        token = pipe.recv(flags=zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    if token == _STOP:
                        return
                    queued = max(0, queued - 1)
                top_up()
            if connection.tick():
                if not connection.reconnect_enabled:
                    raise SluiceTimeoutError(f"server {self.endpoint} went silent (no traffic for 3 heartbeats)",
                                             endpoint=self.endpoint, waited_for="heartbeat",
                                             seconds=3 * connection.liveness.interval)
                state.set(reconnects=state.reconnects + 1,
                          phase=PumpState.CONNECTING if state.phase == PumpState.READY else state.phase)
                connection.reconnect(state.stop)
