"""The background thread's connection to a server: a DEALER that says HELLO, waits for READY, keeps heartbeats,
and reconnects with back-off. Owned by one pump thread only (pyzmq sockets are not thread-safe); the caller's thread
sees it only through :class:`PumpState`."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import Any, Callable, Dict, List, Mapping, Optional

import zmq

from .control import ErrorReport, Hello, Ready
from .keys import CurveKeys
from .errors import ClientError, WireError
from .liveness import Action, Backoff, Liveness
from .model import WireLimits
from .wire import Command, Message, decode, encode

log = logging.getLogger("sluice.client")

Clock = Callable[[], float]


class PumpState:
    """What the pump thread tells the caller's thread, behind one lock: phase, READY, counters, the failure."""

    CONNECTING, READY, FAILED, STOPPED = "connecting", "ready", "failed", "stopped"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.phase = self.CONNECTING
        self.error: Optional[ClientError] = None
        self.ready: Optional[Ready] = None
        self.errors: Counter = Counter()
        self.last_error: Optional[ErrorReport] = None
        self.reconnects = 0
        self.server_said_bye: Optional[str] = None
        self.stop = threading.Event()

    def set(self, **changes: Any) -> None:
        with self.changed:
            for k, v in changes.items():
                setattr(self, k, v)
            self.changed.notify_all()

    def fail(self, error: ClientError) -> None:
        with self.changed:
            if self.phase != self.FAILED:
                self.phase, self.error = self.FAILED, error
            self.changed.notify_all()

    def count_error(self, report: ErrorReport) -> None:
        with self.lock:
            self.errors[report.code] += 1
            self.last_error = report

    def wait_ready(self, timeout: float) -> str:
        """Waits until the phase leaves CONNECTING (READY, FAILED or STOPPED) or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.phase == self.CONNECTING:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
            return self.phase


class Connection:
    """A DEALER to the server with HELLO, READY, heartbeats and back-off. Not thread-safe: one pump owns it."""

    def __init__(self, context: zmq.Context, endpoint: str, hello: Hello, *, heartbeat: float = 1.0,
                 reconnect: bool = True, limits: WireLimits = WireLimits(), clock: Clock = time.monotonic,
                 curve: Optional[CurveKeys] = None) -> None:
        self.context = context
        self.curve = curve
        self.endpoint = endpoint
        self.hello = hello
        self.heartbeat = heartbeat
        self.reconnect_enabled = reconnect
        self.limits = limits
        self.clock = clock
        self.socket: Optional[zmq.Socket] = None
        self.ready: Optional[Ready] = None
        self.liveness = Liveness(heartbeat, clock())
        self.backoff = Backoff()
        self.malformed: Counter = Counter()

    def open(self) -> None:
        """Opens a new DEALER and sends HELLO. READY arrives later through :meth:`receive`."""
        self.close()
        s = self.context.socket(zmq.DEALER)
        # Unsent messages are worthless once we give up: do not hold process exit on them.
        s.setsockopt(zmq.LINGER, 200)
        # libzmq drops a connection that announces a frame above the protocol's largest (payload) frame before
        # anything is allocated for it.
        s.setsockopt(zmq.MAXMSGSIZE, self.limits.max_frame_bytes)
        # Batches are bounded by the credit we grant and samples by the server's credit; the marks only need to
        # cover that plus control traffic.
        s.setsockopt(zmq.RCVHWM, 1000)
        s.setsockopt(zmq.SNDHWM, 1000)
        if self.curve is not None:
            self.curve.apply(s)
        s.connect(self.endpoint)
        self.socket = s
        self.ready = None
        now = self.clock()
        self.liveness = Liveness(self.heartbeat, now)
        self._send_frames(encode(Message(Command.HELLO, self.hello)))

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def _send_frames(self, frames: List[Any]) -> bool:
        if self.socket is None:
            return False
        try:
            self.socket.send_multipart(frames, flags=zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return False
        self.liveness.sent(self.clock())
        return True

    def send(self, message: Message) -> bool:
        """Queues a message without blocking; False if not connected or the queue is full."""
        return self._send_frames(encode(message, self.limits))

    def send_frames(self, frames: List[Any]) -> bool:
        """Queues already-encoded frames (a SAMPLE whose payload is shared, not copied)."""
        return self._send_frames(frames)

    def receive(self) -> Optional[Message]:
        """Receives and decodes one message without blocking. READY resets the back-off and adopts the server's
        heartbeat interval. A malformed message is counted and skipped (a buggy server must not kill the client)."""
        if self.socket is None:
            return None
        while True:
            try:
                frames = self.socket.recv_multipart(flags=zmq.NOBLOCK, copy=False)
            except zmq.Again:
                return None
            now = self.clock()
            self.liveness.received(now)
            try:
                message = decode(frames, self.limits)
                break
            except WireError as e:
                self.malformed[e.code] += 1
                log.warning("malformed message from %s: %s", self.endpoint, e)
        if message.command == Command.READY:
            self.ready = message.body
            self.backoff.reset()
            self.liveness = Liveness(max(message.body.heartbeat_ms, 1) / 1000.0, now)
        return message

    def tick(self) -> bool:
        """Heartbeat housekeeping; True if the server is considered lost. Before READY no HEARTBEAT is sent (the
        server would answer ``not-ready``); silence then still counts towards losing the server."""
        now = self.clock()
        action = self.liveness.check(now)
        if action == Action.SEND_HEARTBEAT:
            if self.ready is not None:
                self.send(Message(Command.HEARTBEAT))
            else:
                self.liveness.sent(now)
            return False
        return action == Action.PEER_LOST

    def reconnect(self, stop: threading.Event) -> None:
        """Closes, waits the next back-off delay (interruptible by ``stop``) and opens again."""
        self.close()
        delay = self.backoff.next()
        log.warning("server %s is silent or gone; reconnecting in %.0f s", self.endpoint, delay)
        if not stop.wait(delay):
            self.open()


def poll(sockets: Mapping[zmq.Socket, int], timeout_ms: int) -> Dict[zmq.Socket, int]:
    """Polls ``sockets`` (socket -> event mask) once; returns the ready ones."""
    poller = zmq.Poller()
    for s, mask in sockets.items():
        poller.register(s, mask)
    return dict(poller.poll(timeout_ms))
