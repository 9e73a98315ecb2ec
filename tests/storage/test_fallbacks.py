"""What the server does not take (storage/articles.py ensure_indexes, storage/client.py note_fallbacks):
FerretDB's known gaps (no validator, no text index) are one INFO line per process, never a WARNING;
any other refusal stays a WARNING. Against the real test server, and through a real `scrapy crawl`."""

import logging

import pytest

from conftest import REPO, run_crawl
from newscrawl.storage import client
from newscrawl.storage.articles import ArticleStore
from newscrawl.storage.client import server_kind

FALLBACK_LINE = "has no $jsonSchema validator / text index"


@pytest.fixture
def ferretdb(mongo_db):
    if server_kind(mongo_db.store.client) != "ferretdb":
        pytest.skip("the test server is MongoDB: nothing to fall back from")
    return mongo_db


def test_ferretdb_gaps_are_one_info_line_per_process_and_no_warning(ferretdb, caplog, monkeypatch):
    monkeypatch.setattr(client, "_NOTED", set())   # as in a fresh process
    with caplog.at_level(logging.DEBUG, logger="newscrawl"):
        first = ferretdb.store.ensure_indexes()
        second = ferretdb.store.ensure_indexes()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    noted = [r for r in caplog.records if FALLBACK_LINE in r.getMessage()]
    assert [r.levelno for r in noted] == [logging.INFO, logging.DEBUG]   # the second call repeats quietly
    line = noted[0].getMessage()
    assert line.startswith("MongoDB: FerretDB 1.24") and "expected on FerretDB" in line
    assert "documents are checked by the pipeline instead" in line and "text search ($text) off" in line
    # What was not taken is still returned (python -m newscrawl.storage indexes prints it).
    assert first == second and any("validator" in m for m in first) and any("text index" in m for m in first)


def test_any_other_refusal_stays_a_warning(ferretdb, caplog, monkeypatch):
    monkeypatch.setattr(client, "_NOTED", set())
    other = ArticleStore(ferretdb.uri, ferretdb.name, "clashing", server_timeout_ms=5000)
    try:
        # An index of the same name on other keys: the server refuses it, and that is no known gap.
        other.articles.create_index([("title", 1)], name="published_at")
        with caplog.at_level(logging.INFO, logger="newscrawl"):
            messages = other.ensure_indexes()
    finally:
        other.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "index published_at on clashing not created" in warnings[0]
    assert any("published_at" in m for m in messages)
    assert sum(FALLBACK_LINE in r.getMessage() for r in caplog.records if r.levelno == logging.INFO) == 1


def test_crawl_on_ferretdb_says_the_fallbacks_once_at_info_and_warns_about_nothing(ferretdb, tmp_path):
    settings = {**ferretdb.settings, "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    _, stats, code, log = run_crawl(tmp_path, "warc", {"path": REPO / "samples" / "demo.warc.gz"}, settings)
    assert code == 0, log[-3000:]
    assert stats["newscrawl/mongodb/inserted"] == 4
    assert " WARNING: " not in log, [line for line in log.splitlines() if " WARNING: " in line]
    infos = [line for line in log.splitlines() if FALLBACK_LINE in line]
    assert len(infos) == 1 and " INFO: MongoDB: FerretDB 1.24" in infos[0], infos
