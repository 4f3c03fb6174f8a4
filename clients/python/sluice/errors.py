"""Exceptions raised by the Sluice client.

Every exception derives from :class:`SluiceError`. Decoding failures raise :class:`WireError`, whose ``code`` is one
of the stable kebab-case rejection codes of ``schemas/wire/PROTOCOL.md`` section 7 (the same codes the Swift decoder
uses and the golden fixtures' ``manifest.json`` lists). Client failures name the endpoint and what was waited for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover
    from .control import ErrorReport

__all__ = [
    "SluiceError",
    "WireError",
    "ClientError",
    "SluiceTimeoutError",
    "RefusedError",
    "ClosedError",
    "WIRE_ERROR_CODES",
]

#: The decoder's rejection codes (PROTOCOL.md section 7).
WIRE_ERROR_CODES = frozenset({
    "bad-protocol",
    "unsupported-version",
    "unknown-command",
    "truncated",
    "trailing-bytes",
    "limit-exceeded",
    "frame-count",
    "frame-size",
    "invalid-value",
    "bad-body",
})


class SluiceError(Exception):
    """Base class of every exception this package raises on purpose."""


class WireError(SluiceError, ValueError):
    """A message broke the wire protocol. ``code`` is the stable rejection code, ``message`` a sentence saying what
    was wrong and where (which field, which byte offset)."""

    def __init__(self, code: str, message: str) -> None:
        if code not in WIRE_ERROR_CODES:
            raise AssertionError(f"unknown wire error code {code!r}")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @classmethod
    def truncated(cls, what: str, at: int, need: int, have: int) -> "WireError":
        return cls("truncated", f"{what} at byte {at} needs {need} bytes but only {have} remain")

    @classmethod
    def limit(cls, what: str, value: int, maximum: int) -> "WireError":
        return cls("limit-exceeded", f"{what} is {value}, above the limit of {maximum}")

    @classmethod
    def invalid(cls, message: str) -> "WireError":
        return cls("invalid-value", message)


class ClientError(SluiceError):
    """A client call failed; the message names the endpoint and what the client was doing."""


class SluiceTimeoutError(ClientError, TimeoutError):
    """Nothing arrived in time: the server is absent, or it had no data. Also a built-in :class:`TimeoutError`."""

    def __init__(self, message: str, *, endpoint: str, waited_for: str, seconds: float) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.waited_for = waited_for
        self.seconds = seconds


class RefusedError(ClientError):
    """The server refused this peer with a fatal ERROR; ``report`` is that ERROR's body."""

    def __init__(self, message: str, report: Optional["ErrorReport"] = None) -> None:
        super().__init__(message)
        self.report = report


class ClosedError(ClientError):
    """The client was closed, or its background thread stopped."""
