"""Heartbeat and reconnect state machines (the Paranoid Pirate pattern, zguide chapter 4), over an injected clock.

Both are pure: they take the current time as an argument and return what to do, so tests advance a fake clock
instead of sleeping. They mirror ``Sources/Transport/Liveness.swift``.
"""

from __future__ import annotations

import enum

__all__ = ["Action", "Liveness", "Backoff"]


class Action(enum.Enum):
    """What the owner of a connection should do now."""

    NONE = "none"
    SEND_HEARTBEAT = "send-heartbeat"
    PEER_LOST = "peer-lost"


class Liveness:
    """Send a HEARTBEAT after ``interval`` seconds without sending anything else; consider the peer gone after
    ``liveness`` intervals without hearing from it. Any message counts as a sign of life either way."""

    def __init__(self, interval: float = 1.0, now: float = 0.0, liveness: int = 3) -> None:
        if interval <= 0 or liveness < 1:
            raise ValueError("heartbeat interval and liveness must be positive")
        self.interval = float(interval)
        self.liveness = int(liveness)
        self.last_received = now
        self.last_sent = now

    def received(self, now: float) -> None:
        """Something arrived from the peer."""
        self.last_received = now

    def sent(self, now: float) -> None:
        """Something was sent to the peer (it counts as a heartbeat)."""
        self.last_sent = now

    @property
    def expiry(self) -> float:
        """When the peer is declared lost if nothing arrives."""
        return self.last_received + self.interval * self.liveness

    @property
    def heartbeat_due(self) -> float:
        """When the next heartbeat is due if nothing else is sent."""
        return self.last_sent + self.interval

    @property
    def next_deadline(self) -> float:
        """The earliest time at which :meth:`check` may return something other than ``NONE``."""
        return min(self.expiry, self.heartbeat_due)

    def check(self, now: float) -> Action:
        """What to do at ``now``; ``PEER_LOST`` takes precedence over ``SEND_HEARTBEAT``."""
        if now >= self.expiry:
            return Action.PEER_LOST
        if now >= self.heartbeat_due:
            return Action.SEND_HEARTBEAT
        return Action.NONE


class Backoff:
    """Reconnect delays: ``initial`` seconds first, doubling up to ``maximum``, back to ``initial`` after a
    successful connection (1 s to 32 s by default)."""

    def __init__(self, initial: float = 1.0, maximum: float = 32.0) -> None:
        if not 0 < initial <= maximum:
            raise ValueError("back-off needs 0 < initial <= maximum")
        self.initial = float(initial)
        self.maximum = float(maximum)
        self.current = self.initial

    def next(self) -> float:
        """The delay before the next attempt; doubles the one after."""
        delay = self.current
        self.current = min(self.current * 2, self.maximum)
        return delay

    def reset(self) -> None:
        """Back to ``initial`` after READY."""
        self.current = self.initial
