"""One-shot requests to a server's control endpoint (what ``sluice status`` does)."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

import zmq

from .control import Status
from .errors import RefusedError, SluiceTimeoutError
from .keys import CurveKeys, curve_from_environment
from .wire import Command, Message, decode, encode

__all__ = ["status"]


def status(endpoint: str, timeout: float = 5.0, curve: Optional[CurveKeys] = None) -> Dict[str, Any]:
    """The server's counters (the STATUS reply, as ``sluice status --json`` prints them). ``curve``: an admin
    key for a server run with ``--curve-dir`` (default: ``SLUICE_CURVE_KEY``/``SLUICE_SERVER_KEY`` if set).

    Raises:
        SluiceTimeoutError: no reply within ``timeout`` seconds (names the endpoint).
        RefusedError: the server answered with ERROR.
    """
    context = zmq.Context(io_threads=1)
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    keys = curve if curve is not None else curve_from_environment()
    if keys is not None:
        keys.apply(socket)
    try:
        socket.connect(endpoint)
        socket.send_multipart(encode(Message(Command.STATUS, Status(b"{}"))))
        if not socket.poll(int(timeout * 1000)):
            raise SluiceTimeoutError(
                f"no STATUS reply from {endpoint} within {timeout:g} s: is `sluice serve` running there (control "
                f"endpoint)?", endpoint=endpoint, waited_for="STATUS", seconds=timeout)
        message = decode(socket.recv_multipart())
        if message.command == Command.ERROR:
            raise RefusedError(f"server {endpoint} refused STATUS: {message.body.code}: {message.body.message}",
                               message.body)
        if message.command != Command.STATUS:
            raise RefusedError(f"server {endpoint} answered STATUS with {message.command.name}")
        return json.loads(message.body.raw)
    finally:
        socket.close()
        context.term()
