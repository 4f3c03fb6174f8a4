"""A few hand-written ZMTP 3.0 (NULL mechanism) frames over a raw TCP socket, to act like a hostile peer that
libzmq itself would never be (libzmq only sends complete multipart messages)."""
import socket
import struct


def greeting() -> bytes:
    return b"\xff" + b"\x00" * 8 + b"\x7f" + bytes([3, 0]) + b"NULL".ljust(20, b"\x00") + b"\x00" + b"\x00" * 31


def ready_command(socket_type: bytes = b"DEALER") -> bytes:
    body = b"\x05READY" + bytes([len(b"Socket-Type")]) + b"Socket-Type" + struct.pack(">I", len(socket_type)) + socket_type
    return bytes([0x04, len(body)]) + body


def frame(body: bytes, more: bool) -> bytes:
    flags = 0x01 if more else 0x00
    if len(body) > 255:
        return bytes([flags | 0x02]) + struct.pack(">Q", len(body)) + body
    return bytes([flags, len(body)]) + body


def frame_header(size: int, more: bool) -> bytes:
    return bytes([(0x01 if more else 0x00) | 0x02]) + struct.pack(">Q", size)


def connect(endpoint: str, handshake: bool = True, timeout: float = 5.0) -> socket.socket:
    host, port = endpoint.replace("tcp://", "").rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=timeout)
    if handshake:
        s.sendall(greeting())
        got = b""
        while len(got) < 64:
            chunk = s.recv(64 - len(got))
            if not chunk:
                raise ConnectionError("server closed during the greeting")
            got += chunk
        s.sendall(ready_command())
    return s
