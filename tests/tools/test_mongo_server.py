"""The embedded server (tools/mongo_server.py): what it says when it cannot run; `start` leaves it
running until `stop`, `status` tells, a stale pid file or a taken port is said in one line. Starting, stopping and
restarting it on the same data is what every storage test does through tests/mongo_server.py."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pymongo import MongoClient

from tools import mongo_server as server_mod
from tools.mongo_server import EmbeddedServer, ServerError

REPO = Path(__file__).resolve().parents[2]


def test_server_binary_missing_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.delenv(server_mod.FERRETDB_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(server_mod, "ROOT", tmp_path)
    with pytest.raises(ServerError, match="make setup"):
        EmbeddedServer(tmp_path / "data")
    monkeypatch.setenv(server_mod.FERRETDB_ENV, str(tmp_path / "nope"))
    with pytest.raises(ServerError, match="NEWSCRAWL_FERRETDB"):
        EmbeddedServer(tmp_path / "data")


def test_server_that_dies_reports_its_log(monkeypatch, tmp_path):
    fake = tmp_path / "ferretdb"
    fake.write_text("#!/bin/sh\necho 'panic: cannot open the database' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv(server_mod.FERRETDB_ENV, str(fake))
    server = EmbeddedServer(tmp_path / "data")
    with pytest.raises(ServerError, match=r"(?s)exited with code 3.*panic: cannot open the database"):
        server.start()
    assert not server.running


# ---- start / status / stop: the local server that stays ---------------------------------------------


def local(tmp_path, port, *command):
    """`python -m tools.mongo_server <command>` on the test's own port, data, pid file and log."""
    return subprocess.run([sys.executable, "-m", "tools.mongo_server", *command, "--port", str(port),
                           "--data", str(tmp_path / "db"), "--pid-file", str(tmp_path / "server.pid"),
                           "--log-file", str(tmp_path / "server.log")],
                          cwd=REPO, capture_output=True, text=True, timeout=90)


def test_start_leaves_the_server_running_until_stop(tmp_path):
    port = server_mod.free_port()
    uri = f"mongodb://127.0.0.1:{port}"
    assert local(tmp_path, port, "status").returncode == 3
    started = local(tmp_path, port, "start")
    try:
        assert started.returncode == 0, started.stderr
        pid = int((tmp_path / "server.pid").read_text())
        assert started.stdout.strip().splitlines() == [
            f"MongoDB-compatible server ({server_mod.server_version(uri)}) running at {uri} "
            f"(data {tmp_path / 'db'}, log {tmp_path / 'server.log'}, pid {pid})"]
        # The `start` process is gone; the server still answers and keeps what is written.
        client = MongoClient(uri, serverSelectionTimeoutMS=3000)
        client.newscrawl.articles.insert_one({"url": "https://example.org/kept"})
        client.close()
        again = local(tmp_path, port, "start")
        assert again.returncode == 0 and "already running at" in again.stdout and f"pid {pid}" in again.stdout
        status = local(tmp_path, port, "status")
        assert status.returncode == 0 and f"running at {uri}" in status.stdout and f"pid {pid})" in status.stdout
    finally:
        stopped = local(tmp_path, port, "stop")
    assert stopped.returncode == 0 and f"stopped (pid {pid})" in stopped.stdout
    assert not (tmp_path / "server.pid").exists() and not server_mod.ping(uri, 300)
    assert local(tmp_path, port, "status").returncode == 3
    assert local(tmp_path, port, "stop").stdout.startswith("MongoDB-compatible server not running")
    # Started again on the same data: what was written is there.
    assert local(tmp_path, port, "start").returncode == 0
    try:
        client = MongoClient(uri, serverSelectionTimeoutMS=3000)
        assert client.newscrawl.articles.count_documents({"url": "https://example.org/kept"}) == 1
        client.close()
    finally:
        assert local(tmp_path, port, "stop").returncode == 0


def test_a_stale_pid_file_is_not_a_running_server(tmp_path):
    port = server_mod.free_port()
    # A live process that is not a server (this test) and a pid nobody has.
    for stale in (os.getpid(), 2 ** 22 + 17):
        (tmp_path / "server.pid").write_text(f"{stale}\n")
        status = local(tmp_path, port, "status")
        assert status.returncode == 3 and "not running" in status.stdout
        assert not (tmp_path / "server.pid").exists()
    (tmp_path / "server.pid").write_text("garbage\n")
    assert local(tmp_path, port, "stop").returncode == 0


def test_start_on_a_port_another_program_holds_says_so_in_one_line(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        started = local(tmp_path, port, "start")
    assert started.returncode == 1
    assert started.stderr.strip().splitlines() == [
        f"error: 127.0.0.1:{port} is in use by another process, not by a server started here "
        f"({tmp_path / 'server.pid'}): stop it or choose another --port"]
    assert not (tmp_path / "server.pid").exists() and not (tmp_path / "db").exists()


def test_two_starts_at_once_start_one_server(tmp_path):
    port = server_mod.free_port()
    cmd = [sys.executable, "-m", "tools.mongo_server", "start", "--port", str(port), "--data", str(tmp_path / "db"),
           "--pid-file", str(tmp_path / "server.pid"), "--log-file", str(tmp_path / "server.log")]
    procs = [subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    try:
        outs = [p.communicate(timeout=90) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        lines = [out.strip() for out, _ in outs]
        pid = int((tmp_path / "server.pid").read_text())
        assert sum(" already running at " in line for line in lines) == 1, lines
        assert all(line.endswith(f"pid {pid})") for line in lines)
    finally:
        assert local(tmp_path, port, "stop").returncode == 0
