"""Bounds-checked little-endian reads and writes. Every read checks the bytes that remain first and raises
``WireError('truncated')`` naming what was being read; nothing trusts a length it has not checked."""

from __future__ import annotations

import struct
from typing import Union

from .errors import WireError

Buffer = Union[bytes, bytearray, memoryview]

_U8 = struct.Struct("<B")
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_F64 = struct.Struct("<d")


class ByteReader:
    """Reads a frame from the front; ``context`` ("SAMPLE header") prefixes every error message."""

    __slots__ = ("data", "offset", "context")

    def __init__(self, data: Buffer, context: str) -> None:
        self.data = memoryview(data).cast("B") if not isinstance(data, bytes) else data
        self.offset = 0
        self.context = context

    @property
    def remaining(self) -> int:
        return len(self.data) - self.offset

    def _take(self, s: struct.Struct, what: str):
        if self.remaining < s.size:
            raise WireError.truncated(f"{self.context} {what}", self.offset, s.size, self.remaining)
        (v,) = s.unpack_from(self.data, self.offset)
        self.offset += s.size
        return v

    def u8(self, what: str) -> int:
        return self._take(_U8, what)

    def u16(self, what: str) -> int:
        return self._take(_U16, what)

    def u32(self, what: str) -> int:
        return self._take(_U32, what)

    def u64(self, what: str) -> int:
        return self._take(_U64, what)

    def f64(self, what: str) -> float:
        return self._take(_F64, what)

    def reserved(self, s: struct.Struct, what: str) -> None:
        """A reserved field: must be zero, so that a later version can give it a meaning."""
        at = self.offset
        v = self._take(s, what)
        if v != 0:
            raise WireError.invalid(f"{self.context} {what} at byte {at} is reserved and must be 0, got {v}")

    def name(self, what: str, max_bytes: int) -> str:
        """A name: one length byte (1 to ``max_bytes``) and that many bytes of UTF-8."""
        length = self.u8(f"{what} length")
        if length == 0:
            raise WireError.invalid(f"{self.context} {what} at byte {self.offset - 1} is empty")
        if length > max_bytes:
            raise WireError.limit(f"{self.context} {what} length", length, max_bytes)
        if self.remaining < length:
            raise WireError.truncated(f"{self.context} {what}", self.offset, length, self.remaining)
        raw = bytes(self.data[self.offset:self.offset + length])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise WireError.invalid(f"{self.context} {what} at byte {self.offset} is not valid UTF-8") from None
        self.offset += length
        return text

    def skip(self, n: int) -> int:
        """Advances past ``n`` bytes the caller has already bounds-checked; returns where they start."""
        at = self.offset
        self.offset += n
        return at

    def finish(self) -> None:
        """Raises ``trailing-bytes`` unless every byte was consumed."""
        if self.remaining != 0:
            raise WireError("trailing-bytes",
                            f"{self.context} has {self.remaining} unexpected bytes after byte {self.offset}")


U8 = _U8
U16 = _U16
U32 = _U32


class ByteWriter:
    """Little-endian writes into a growing buffer."""

    __slots__ = ("buffer",)

    def __init__(self) -> None:
        self.buffer = bytearray()

    def u8(self, v: int) -> None:
        self.buffer += _U8.pack(v)

    def u16(self, v: int) -> None:
        self.buffer += _U16.pack(v)

    def u32(self, v: int) -> None:
        self.buffer += _U32.pack(v)

    def u64(self, v: int) -> None:
        self.buffer += _U64.pack(v)

    def f64(self, v: float) -> None:
        self.buffer += _F64.pack(v)

    def raw(self, b: Buffer) -> None:
        self.buffer += b

    def name(self, text: str) -> None:
        """One length byte and the UTF-8 bytes; the caller validated the length."""
        b = text.encode("utf-8")
        assert 0 < len(b) <= 255, "names are validated before encoding"
        self.buffer.append(len(b))
        self.buffer += b

    def bytes(self) -> bytes:
        return bytes(self.buffer)
