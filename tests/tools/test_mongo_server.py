"""The embedded server (tools/mongo_server.py): what it says when it cannot run. Starting, stopping and
restarting it on the same data is what every storage test does through tests/mongo_server.py."""

import pytest

from tools import mongo_server as server_mod
from tools.mongo_server import EmbeddedServer, ServerError


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
