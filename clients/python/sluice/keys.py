"""CurveZMQ keys for authenticated, encrypted connections (docs/security.md).

Key files are the ones ``sluice keys generate`` writes: ``NAME.key`` (mode 0600) holds ``public = Z85`` and
``secret = Z85`` lines, ``NAME.pub`` (and the server's ``server.pub``) the ``public =`` line. A secret key file that
the group or others can read is refused, as the Swift tools refuse it.

>>> keys = CurveKeys.from_files("keys/fno.key", "keys/server.pub")          # doctest: +SKIP
>>> trainer = TrainerClient("tcp://host:5556", group="fno", curve=keys)     # doctest: +SKIP

Every client also reads ``SLUICE_CURVE_KEY`` and ``SLUICE_SERVER_KEY`` (paths) from the environment when no
``curve=`` is given, so that a job script can hand keys to an unmodified training script.
"""

import os
import stat
import struct
from typing import Dict, NamedTuple, Optional

import zmq
from zmq.utils import z85

from .errors import ClientError

__all__ = ["CurveKeys", "read_secret_key", "read_public_key", "curve_from_environment"]


def _fields(path: str) -> Dict[str, str]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ClientError(f"cannot read key file {path}: {e.strerror}") from None
    out: Dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        out[name.strip()] = value.strip()
    return out


def _valid_z85_key(key: str) -> bool:
    if len(key) != 40:
        return False
    try:
        return len(z85.decode(key)) == 32
    except (ValueError, KeyError, TypeError, struct.error):
        return False


def read_public_key(path: str) -> str:
    """The Z85 public key of a ``.pub`` or ``.key`` file."""
    key = _fields(path).get("public", "")
    if not _valid_z85_key(key):
        raise ClientError(f"key file {path} has no valid 'public = ...' line (40 Z85 characters)")
    return key


def read_secret_key(path: str) -> "tuple[str, str]":
    """(public, secret) Z85 keys of a ``NAME.key`` file, refusing one readable or writable by group or others."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as e:
        raise ClientError(f"cannot read key file {path}: {e.strerror}") from None
    if mode & 0o077:
        raise ClientError(f"key file {path} has permissions {mode:o} but holds a secret key; run: chmod 600 {path}")
    fields = _fields(path)
    secret = fields.get("secret", "")
    if not _valid_z85_key(secret):
        raise ClientError(f"key file {path} has no valid 'secret = ...' line (40 Z85 characters)")
    public = zmq.curve_public(secret.encode()).decode()
    if "public" in fields and fields["public"] != public:
        raise ClientError(f"key file {path}: its public key does not belong to its secret key")
    return public, secret


class CurveKeys(NamedTuple):
    """A client's key pair and the server's public key, all Z85."""

    public: str
    secret: str
    server_public: str

    @classmethod
    def from_files(cls, key: str, server_key: str) -> "CurveKeys":
        """From the client's ``NAME.key`` file and the server's ``server.pub``."""
        public, secret = read_secret_key(key)
        return cls(public, secret, read_public_key(server_key))

    def apply(self, socket: zmq.Socket) -> None:
        """Makes ``socket`` a CURVE client (call before ``connect``)."""
        socket.curve_secretkey = self.secret.encode()
        socket.curve_publickey = self.public.encode()
        socket.curve_serverkey = self.server_public.encode()


def curve_from_environment() -> Optional[CurveKeys]:
    """Keys named by ``SLUICE_CURVE_KEY`` and ``SLUICE_SERVER_KEY``, or None when neither is set."""
    key, server = os.environ.get("SLUICE_CURVE_KEY"), os.environ.get("SLUICE_SERVER_KEY")
    if not key and not server:
        return None
    if not key or not server:
        raise ClientError("SLUICE_CURVE_KEY and SLUICE_SERVER_KEY must be set together (the client's NAME.key and "
                          "the server's server.pub)")
    return CurveKeys.from_files(key, server)
