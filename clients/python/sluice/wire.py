"""The Sluice wire protocol, version 1 (``schemas/wire/PROTOCOL.md``): frame 0, commands, and whole messages.

:func:`decode` turns the frames of one multipart message (without any ROUTER routing id) into a :class:`Message`;
:func:`encode` does the reverse. Payload frames of SAMPLE and BATCH are kept as given (``bytes`` or received
``zmq.Frame`` objects), sizes checked, never copied. Pure: no sockets.

>>> frames = encode(Message(Command.CREDIT, Credit(batches=4)))
>>> frames
[b'SLUICE\\x01\\x03', b'{"batches":4}']
>>> decode(frames).body
Credit(samples=None, batches=4)
"""

from __future__ import annotations

import enum
import struct
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Union

from .control import Bye, ControlBody, Credit, ErrorReport, Hello, Ready, Status
from .errors import WireError
from .headers import decode_batch_header, decode_sample_header, encode_batch_header, encode_sample_header
from .model import BatchHeader, SampleHeader, WireLimits

__all__ = [
    "PROTOCOL_ID",
    "VERSION",
    "Command",
    "Message",
    "envelope",
    "parse_envelope",
    "decode",
    "encode",
    "frame_view",
    "read_frame_file",
    "write_frame_file",
]

#: The protocol identifier at the start of frame 0.
PROTOCOL_ID = b"SLUICE"
#: The protocol version this package speaks.
VERSION = 1


class Command(enum.IntEnum):
    """The one-byte command in frame 0 (PROTOCOL.md section 3)."""

    HELLO = 0x01
    READY = 0x02
    CREDIT = 0x03
    HEARTBEAT = 0x04
    BYE = 0x05
    ERROR = 0x06
    STATUS = 0x07
    SAMPLE = 0x10
    BATCH = 0x11
    SAMPLES = 0x12


#: The most frames a SAMPLES message may have in all, frame 0 and the count frame included (PROTOCOL.md).
MAX_SAMPLES_MESSAGE_FRAMES = 4096


_BODIES: Dict[Command, Any] = {
    Command.HELLO: Hello,
    Command.READY: Ready,
    Command.CREDIT: Credit,
    Command.BYE: Bye,
    Command.ERROR: ErrorReport,
    Command.STATUS: Status,
}

#: What ``Message.body`` holds, by command (typed as ``Any`` on the message so callers need no casts after
#: checking ``command``).
Body = Union[ControlBody, Status, SampleHeader, BatchHeader, None]


class Message(NamedTuple):
    """One decoded message. ``body`` is the control body (:class:`Hello`, ...), ``None`` for HEARTBEAT, or the
    :class:`SampleHeader` / :class:`BatchHeader` of a data message, whose ``payload`` holds one frame per field in
    header order. For SAMPLES, ``body`` is a list of ``(SampleHeader, payload)`` pairs and ``payload`` is empty."""

    command: Command
    body: Any = None
    payload: Sequence[Any] = ()


def envelope(command: Command, version: int = VERSION) -> bytes:
    """Frame 0 for ``command``."""
    return PROTOCOL_ID + bytes((version, int(command)))


def frame_view(frame: Any) -> memoryview:
    """A read-only byte view of a frame: ``bytes``, ``bytearray``, ``memoryview`` or a received ``zmq.Frame``."""
    buffer = getattr(frame, "buffer", frame)
    view = memoryview(buffer)
    return view if view.format == "B" and view.ndim == 1 else view.cast("B")


def parse_envelope(frame: Any) -> Command:
    """Parses frame 0. Raises ``bad-protocol``, ``unsupported-version`` or ``unknown-command``."""
    b = bytes(frame_view(frame)[:9])
    if len(b) != 8 or b[:6] != PROTOCOL_ID:
        shown = " ".join(f"{x:x}" for x in b[:8])
        raise WireError("bad-protocol", f"frame 0 must be 8 bytes starting with 'SLUICE'; got "
                                        f"{len(frame_view(frame))} bytes [{shown}]")
    if b[6] != VERSION:
        raise WireError("unsupported-version",
                        f"protocol version {b[6]} is not supported; this client speaks version {VERSION}")
    try:
        return Command(b[7])
    except ValueError:
        raise WireError("unknown-command", f"unknown command byte 0x{b[7]:x}") from None


def _control_bytes(command: Command, frames: Sequence[Any], limits: WireLimits) -> bytes:
    if len(frames) != 2:
        raise WireError("frame-count", f"{command.name} has 2 frames, got {len(frames)}")
    body = frame_view(frames[1])
    if len(body) > limits.max_control_bytes:
        raise WireError.limit(f"{command.name} body bytes", len(body), limits.max_control_bytes)
    return bytes(body)


def _check_payload(command: Command, payload: Sequence[Any], declared: List[tuple], limits: WireLimits) -> None:
    if len(payload) != len(declared):
        raise WireError("frame-count", f"{command.name} declares {len(declared)} fields but carries "
                                       f"{len(payload)} payload frames")
    for frame, (name, nbytes) in zip(payload, declared):
        if nbytes is None:
            raise WireError.invalid(f"{command.name} field '{name}' has an overflowing shape")
        size = len(frame_view(frame))
        if size > limits.max_frame_bytes:
            raise WireError.limit(f"frame of field '{name}'", size, limits.max_frame_bytes)
        if size != nbytes:
            raise WireError("frame-size", f"{command.name} field '{name}' declares {nbytes} bytes but its frame "
                                          f"has {size}")


def decode(frames: Sequence[Any], limits: WireLimits = WireLimits()) -> Message:
    """Decodes the frames of one message. Raises :class:`WireError` with the protocol's rejection code."""
    if len(frames) == 0:
        raise WireError("frame-count", "a message needs at least frame 0")
    command = parse_envelope(frames[0])
    if command == Command.HEARTBEAT:
        if len(frames) != 1:
            raise WireError("frame-count", f"HEARTBEAT has 1 frame, got {len(frames)}")
        return Message(command)
    if command in _BODIES:
        return Message(command, _BODIES[command].from_json(_control_bytes(command, frames, limits)))
    if len(frames) < 2:
        raise WireError("frame-count", f"{command.name} needs a header frame")
    if command == Command.SAMPLES:
        return Message(command, _decode_samples(frames, limits))
    payload = list(frames[2:])
    if command == Command.SAMPLE:
        sample = decode_sample_header(frame_view(frames[1]), limits)
        _check_payload(command, payload, [(f.name, f.nbytes) for f in sample.fields], limits)
        return Message(command, sample, payload)
    batch = decode_batch_header(frame_view(frames[1]), limits)
    _check_payload(command, payload, [(f.name, f.frame_bytes(batch.count)) for f in batch.fields], limits)
    return Message(command, batch, payload)


def _decode_samples(frames: Sequence[Any], limits: WireLimits) -> List[tuple]:
    """SAMPLES: frame 1 holds the count N (u32 little-endian); then N times a SAMPLE header and its field
    frames. Returns ``[(SampleHeader, payload), ...]``."""
    if len(frames) > MAX_SAMPLES_MESSAGE_FRAMES:
        raise WireError.limit("SAMPLES frames", len(frames), MAX_SAMPLES_MESSAGE_FRAMES)
    count_frame = frame_view(frames[1])
    if len(count_frame) != 4:
        raise WireError.invalid(f"SAMPLES count frame must be 4 bytes, got {len(count_frame)}")
    count = int.from_bytes(count_frame, "little")
    if not 1 <= count <= limits.max_batch_samples:
        raise WireError.limit("SAMPLES count", count, limits.max_batch_samples)
    out = []
    i = 2
    for k in range(count):
        if i >= len(frames):
            raise WireError("frame-count", f"SAMPLES declares {count} samples but ends after {k}")
        header = decode_sample_header(frame_view(frames[i]), limits)
        n = len(header.fields)
        if i + 1 + n > len(frames):
            raise WireError("frame-count", f"SAMPLES sample {k} declares {n} fields but the message ends first")
        payload = list(frames[i + 1:i + 1 + n])
        _check_payload(Command.SAMPLES, payload, [(f.name, f.nbytes) for f in header.fields], limits)
        out.append((header, payload))
        i += 1 + n
    if i != len(frames):
        raise WireError("frame-count", f"SAMPLES has {len(frames) - i} frames after its {count} samples")
    return out


def encode(message: Message, limits: WireLimits = WireLimits()) -> List[Any]:
    """The frames of a message: frame 0, then the body (or the binary header and the payload frames as given)."""
    command = Command(message.command)
    frame0 = envelope(command)
    if command == Command.HEARTBEAT:
        return [frame0]
    if command == Command.SAMPLE:
        if not isinstance(message.body, SampleHeader):
            raise TypeError("a SAMPLE message needs a SampleHeader body")
        return [frame0, encode_sample_header(message.body, limits), *message.payload]
    if command == Command.SAMPLES:
        samples = list(message.body)
        if not 1 <= len(samples) <= limits.max_batch_samples:
            raise WireError.limit("SAMPLES count", len(samples), limits.max_batch_samples)
        frames: List[Any] = [frame0, len(samples).to_bytes(4, "little")]
        for header, payload in samples:
            frames.append(encode_sample_header(header, limits))
            frames.extend(payload)
        if len(frames) > MAX_SAMPLES_MESSAGE_FRAMES:
            raise WireError.limit("SAMPLES frames", len(frames), MAX_SAMPLES_MESSAGE_FRAMES)
        return frames
    if command == Command.BATCH:
        if not isinstance(message.body, BatchHeader):
            raise TypeError("a BATCH message needs a BatchHeader body")
        return [frame0, encode_batch_header(message.body, limits), *message.payload]
    expected = _BODIES[command]
    if not isinstance(message.body, expected):
        raise TypeError(f"a {command.name} message needs a {expected.__name__} body, got {type(message.body)}")
    return [frame0, message.body.to_json()]


# MARK: - fixture container (schemas/wire/fixtures/README.md)

def read_frame_file(path: str) -> List[bytes]:
    """Reads a golden fixture: frames one after the other, each a little-endian u32 byte count and its bytes."""
    with open(path, "rb") as f:
        data = f.read()
    frames, i = [], 0
    while i < len(data):
        if i + 4 > len(data):
            raise ValueError(f"{path}: truncated frame length at byte {i}")
        (n,) = struct.unpack_from("<I", data, i)
        i += 4
        if i + n > len(data):
            raise ValueError(f"{path}: frame of {n} bytes at byte {i} runs past the end")
        frames.append(data[i:i + n])
        i += n
    return frames


def write_frame_file(frames: Sequence[Any], path: Optional[str] = None) -> bytes:
    """The fixture container bytes of ``frames``; also written to ``path`` if given."""
    out = bytearray()
    for fr in frames:
        b = frame_view(fr)
        out += struct.pack("<I", len(b))
        out += b
    if path is not None:
        with open(path, "wb") as f:
            f.write(out)
    return bytes(out)
