"""CURVE from Python against a real `sluice serve --curve-dir`: keys made by `sluice keys generate`, an authorised
solver and trainer exchange data intact, an unknown key and a plain client are refused and counted, loose key files
are refused with the chmod to run, and the SLUICE_CURVE_KEY/SLUICE_SERVER_KEY environment variables work."""

import os
import subprocess

import numpy as np
import pytest

from sluice import ClientError, CurveKeys, ServerProcess, SluiceTimeoutError, SolverClient, TrainerClient, status
from sluice.keys import read_public_key, read_secret_key


def keygen(binary, directory, name=None, role=None):
    args = [binary, "keys", "generate", "--dir", directory]
    if name is not None:
        args += ["--name", name, "--role", role]
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture
def curve_server(sluice_bin, tmp_path):
    keys = str(tmp_path / "keys")
    keygen(sluice_bin, keys)
    for name, role in [("member", "solver"), ("fno", "trainer"), ("ops", "admin")]:
        keygen(sluice_bin, keys, name, role)
    # A key pair the server never heard of: on no allow-list.
    stranger = str(tmp_path / "stranger")
    keygen(sluice_bin, stranger, "intruder", "trainer")
    with ServerProcess(["--curve-dir", keys], binary=sluice_bin) as server:
        yield server, keys, os.path.join(stranger, "intruder.key")


def rejected(server, keys):
    admin = CurveKeys.from_files(os.path.join(keys, "ops.key"), os.path.join(keys, "server.pub"))
    return status(server.control, curve=admin)["totals"]["rejected"]


def test_authorised_python_clients_exchange_data_intact(curve_server):
    server, keys, _ = curve_server
    pub = os.path.join(keys, "server.pub")
    u = np.arange(64, dtype=np.float32).reshape(8, 8)
    with TrainerClient(server.consumer, group="g", batch_size=4,
                       curve=CurveKeys.from_files(os.path.join(keys, "fno.key"), pub)) as trainer:
        with SolverClient(server.solver, member=1, sample_bytes=u.nbytes,
                          curve=CurveKeys.from_files(os.path.join(keys, "member.key"), pub)) as solver:
            for step in range(4):
                solver.publish(step, time=0.5 * step, fields={"u": u + step})
        batch = trainer.next(timeout=20)
    assert batch.step.tolist() == [0, 1, 2, 3]
    for i in range(4):
        np.testing.assert_array_equal(batch["u"][i], u + i)
    assert "auth-unknown-key" not in rejected(server, keys)


def test_unknown_key_and_plain_client_are_refused_and_counted(curve_server):
    server, keys, intruder = curve_server
    pub = os.path.join(keys, "server.pub")
    with pytest.raises(SluiceTimeoutError):
        TrainerClient(server.consumer, group="g", connect_timeout=2,
                      curve=CurveKeys.from_files(intruder, pub))
    with pytest.raises(SluiceTimeoutError):
        TrainerClient(server.consumer, group="g", connect_timeout=2)  # no CURVE at all
    counts = rejected(server, keys)
    assert counts.get("auth-unknown-key", 0) >= 1, counts
    assert counts.get("handshake-failed", 0) >= 1, counts


def test_environment_variables_name_the_keys(curve_server, monkeypatch):
    server, keys, _ = curve_server
    monkeypatch.setenv("SLUICE_CURVE_KEY", os.path.join(keys, "ops.key"))
    monkeypatch.setenv("SLUICE_SERVER_KEY", os.path.join(keys, "server.pub"))
    assert status(server.control)["server"]["security"].upper().startswith("CURVE")
    monkeypatch.delenv("SLUICE_SERVER_KEY")
    with pytest.raises(ClientError, match="must be set together"):
        status(server.control)


def test_key_files_are_checked(sluice_bin, tmp_path):
    keys = str(tmp_path / "k")
    keygen(sluice_bin, keys)
    keygen(sluice_bin, keys, "m", "solver")
    public, secret = read_secret_key(os.path.join(keys, "m.key"))
    assert public == read_public_key(os.path.join(keys, "m.pub")) and len(secret) == 40
    os.chmod(os.path.join(keys, "m.key"), 0o644)
    with pytest.raises(ClientError, match="chmod 600"):
        read_secret_key(os.path.join(keys, "m.key"))
    with open(os.path.join(keys, "bad.pub"), "w") as f:
        f.write("public = not-a-key\n")
    with pytest.raises(ClientError, match="no valid 'public"):
        read_public_key(os.path.join(keys, "bad.pub"))
