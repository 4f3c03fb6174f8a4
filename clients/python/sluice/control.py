"""Control bodies (HELLO, READY, CREDIT, BYE, ERROR, STATUS): canonical JSON, PROTOCOL.md section 4.

Canonical JSON is what ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` writes after
absent (``None``) values are dropped; the Swift encoder writes the same bytes, so the golden fixtures re-encode
byte for byte on both sides. Decoding is strict where the Swift decoder is strict (UTF-8, a JSON object, required
keys with the right types and ranges) and lenient where the spec says so (unknown keys are ignored).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Dict, List, Optional, Tuple

from .errors import WireError

__all__ = [
    "ROLES",
    "canonical_json",
    "parse_json_object",
    "ControlBody",
    "Hello",
    "Ready",
    "Credit",
    "Bye",
    "ErrorReport",
    "Status",
]

#: The roles a peer may declare in HELLO.
ROLES = ("solver", "trainer", "admin")

_INT64 = (-(1 << 63), (1 << 63) - 1)
_RANGES = {"int": _INT64, "u64": (0, (1 << 64) - 1), "u32": (0, (1 << 32) - 1)}


def canonical_json(obj: Dict[str, Any]) -> bytes:
    """The canonical JSON bytes of a body: keys sorted, no whitespace, ``None`` values dropped, UTF-8."""
    cleaned = {k: v for k, v in obj.items() if v is not None}
    return json.dumps(cleaned, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json_object(data: bytes, command: str) -> Dict[str, Any]:
    """Parses a body that must be a JSON object. Raises ``WireError('bad-body')`` otherwise."""
    try:
        text = bytes(data).decode("utf-8")
        obj = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise WireError("bad-body", f"{command} body is not valid JSON: {e}") from None
    if not isinstance(obj, dict):
        raise WireError("bad-body", f"{command} body is not a JSON object")
    return obj


def _integral(value: Any) -> Optional[int]:
    """A JSON number with an integral value (3, 3.0, 3e0) as an int, as Swift's JSONDecoder reads an Int; None for
    anything else (booleans, fractions, strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _check(value: Any, kind: str, key: str, command: str) -> Any:
    def bad(expected: str) -> WireError:
        return WireError("bad-body", f"{command} body is not valid: '{key}' must be {expected}, got {value!r:.60}")

    if kind == "str":
        if not isinstance(value, str):
            raise bad("a string")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise bad("true or false")
    elif kind in _RANGES:
        lo, hi = _RANGES[kind]
        value = _integral(value)
        if value is None or not lo <= value <= hi:
            raise bad(f"an integer in {lo}...{hi}")
    elif kind == "[str]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of strings")
    elif kind == "[u64]":
        lo, hi = _RANGES["u64"]
        items = [_integral(v) for v in value] if isinstance(value, list) else None
        if items is None or not all(v is not None and lo <= v <= hi for v in items):
            raise bad("a list of unsigned integers")
        value = items
    elif kind == "role":
        if value not in ROLES:
            raise bad(f"one of {', '.join(ROLES)}")
    else:  # pragma: no cover - programmer error
        raise AssertionError(kind)
    return value


@dataclass
class ControlBody:
    """Base of the typed control bodies: ``SCHEMA`` maps each key to (kind, required)."""

    SCHEMA: ClassVar[Dict[str, Tuple[str, bool]]] = {}
    COMMAND: ClassVar[str] = ""

    @classmethod
    def from_json(cls, data: bytes) -> "ControlBody":
        """Decodes a body; raises ``WireError('bad-body')`` naming the missing or malformed key."""
        obj = parse_json_object(data, cls.COMMAND)
        kwargs = {}
        for key, (kind, required) in cls.SCHEMA.items():
            value = obj.get(key)
            if value is None:
                if required:
                    raise WireError("bad-body", f"{cls.COMMAND} body is not valid: missing key '{key}'")
                continue
            kwargs[key] = _check(value, kind, key, cls.COMMAND)
        return cls(**kwargs)

    def to_dict(self) -> Dict[str, Any]:
        """The body as a dict (``None`` for absent optional keys)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self) -> bytes:
        """The canonical JSON bytes of this body."""
        return canonical_json(self.to_dict())


@dataclass
class Hello(ControlBody):
    """HELLO: the first message of every peer. Solver keys: study, member, attempt, sample_bytes. Trainer keys:
    group, rank, world_size, batch_size."""

    role: str
    peer: str
    capabilities: List[str] = field(default_factory=list)
    protocol_version: int = 1
    study: Optional[str] = None
    member: Optional[int] = None
    attempt: Optional[int] = None
    sample_bytes: Optional[int] = None
    group: Optional[str] = None
    rank: Optional[int] = None
    world_size: Optional[int] = None
    batch_size: Optional[int] = None

    COMMAND: ClassVar[str] = "HELLO"
    SCHEMA: ClassVar[Dict[str, Tuple[str, bool]]] = {
        "role": ("role", True), "protocol_version": ("int", True), "peer": ("str", True),
        "capabilities": ("[str]", True), "study": ("str", False), "member": ("u64", False),
        "attempt": ("u32", False), "sample_bytes": ("int", False), "group": ("str", False),
        "rank": ("int", False), "world_size": ("int", False), "batch_size": ("int", False),
    }


@dataclass
class Ready(ControlBody):
    """READY: the server accepted HELLO. ``heartbeat_ms`` is the interval both sides keep."""

    server: str
    session: str
    heartbeat_ms: int
    max_frame_bytes: int
    protocol_version: int = 1
    accepted_steps: Optional[List[int]] = None

    COMMAND: ClassVar[str] = "READY"
    SCHEMA: ClassVar[Dict[str, Tuple[str, bool]]] = {
        "protocol_version": ("int", True), "server": ("str", True), "session": ("str", True),
        "heartbeat_ms": ("int", True), "max_frame_bytes": ("int", True), "accepted_steps": ("[u64]", False),
    }


@dataclass
class Credit(ControlBody):
    """CREDIT: ``samples`` (server to solver) or ``batches`` (trainer to server)."""

    samples: Optional[int] = None
    batches: Optional[int] = None

    COMMAND: ClassVar[str] = "CREDIT"
    SCHEMA: ClassVar[Dict[str, Tuple[str, bool]]] = {"samples": ("int", False), "batches": ("int", False)}


@dataclass
class Bye(ControlBody):
    """BYE: an orderly goodbye; ``reason`` is "done" when a solver finished its member."""

    reason: str

    COMMAND: ClassVar[str] = "BYE"
    SCHEMA: ClassVar[Dict[str, Tuple[str, bool]]] = {"reason": ("str", True)}


@dataclass
class ErrorReport(ControlBody):
    """ERROR: a refusal with a stable ``code``, a sentence, and whether the session was dropped (``fatal``)."""

    code: str
    message: str
    fatal: bool = False
    member: Optional[int] = None
    step: Optional[int] = None

    COMMAND: ClassVar[str] = "ERROR"
    SCHEMA: ClassVar[Dict[str, Tuple[str, bool]]] = {
        "code": ("str", True), "message": ("str", True), "fatal": ("bool", True), "member": ("u64", False),
        "step": ("u64", False),
    }


@dataclass
class Status:
    """STATUS: a request (usually ``{}``) or the server's counters. The body is kept verbatim (``raw``); only
    "is a JSON object" is checked."""

    raw: bytes = b"{}"

    COMMAND: ClassVar[str] = "STATUS"

    @classmethod
    def from_json(cls, data: bytes) -> "Status":
        parse_json_object(data, cls.COMMAND)
        return cls(bytes(data))

    def to_json(self) -> bytes:
        return self.raw

    def to_dict(self) -> Dict[str, Any]:
        """The counters as a dict."""
        return json.loads(self.raw)


