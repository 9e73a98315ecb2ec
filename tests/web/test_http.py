"""The web front over HTTP: status codes for malformed and unknown input, headers, the empty store,
MongoDB down, the health data behind the charts, and `python -m newscrawl.web` itself."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone

import pytest

from newscrawl.web import create_app
from tests.conftest import REPO
from mongo_server import free_port
from tests.web.web_fixtures import article

UTC = timezone.utc


@pytest.fixture
def client(mongo_db):
    app = create_app(mongo_db.uri, mongo_db.name, mongo_db.collection)
    yield app.test_client()
    app.extensions["newscrawl"]["client"].close()


def _seed(mongo_db) -> None:
    mongo_db.store.upsert_batch([
        article("https://a.example/1", source="a.example", published_at="2026-11-20T10:00:00Z", body="one two three"),
        article("https://a.example/2", source="a.example", published_at="2026-11-21T10:00:00Z",
                body="one two three four five six seven"),
        article("https://a.example/3", source="a.example", published_at="2026-11-21T11:00:00Z",
                body="one two three four five six seven eight nine"),
        article("https://b.example/1", source="b.example", published_at="2026-11-21T12:00:00Z", body="新幹線の新型車両"),
    ])
    mongo_db.runs.record({"run_id": "ok-1", "spider": "a", "status": "finished", "started_at": datetime(2026, 11, 21, tzinfo=UTC),
                          "dropped": {"too_short": 2, "index_page": 1}, "errors": {"http_errors": 4, "log_errors": 0}})
    mongo_db.runs.record({"run_id": "bad-1", "spider": "b", "status": "failed", "outcome": "failed",
                          "started_at": datetime(2026, 11, 22, tzinfo=UTC),
                          "failure_reasons": ["every request failed (12 requests, 12 errors)"],
                          "dropped": {"too_short": 1}, "errors": {"download_errors": 12}})


@pytest.mark.parametrize("path, status", [
    ("/day/2026-13-01", 400), ("/day/20261121", 400), ("/day/2026-11-21x", 400),
    ("/day/2026-11-21?tz=Mars/Olympus", 400), ("/day/2026-11-21?tz=../../etc/passwd", 400),
    ("/article/not-an-id", 400), ("/article/6b136e20ea76dd190c9dbd4", 400),
    ("/day/1999-01-01", 404), ("/article/6b136e20ea76dd190c9dbd41", 404), ("/nowhere", 404),
    ("/health/nope.svg", 404),
])
def test_malformed_input_is_400_and_unknown_ids_or_days_404_without_a_traceback(client, mongo_db, path, status):
    _seed(mongo_db)
    response = client.get(path)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and "<h1>%d " % status in page
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'")


def test_every_page_sends_the_strict_headers_and_only_reads(client, mongo_db):
    _seed(mongo_db)
    for path in ("/", "/day/2026-11-21", "/health", "/health.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.post("/day/2026-11-21").status_code == 405
    assert client.get("/today").status_code == 302


def test_an_empty_store_explains_itself_instead_of_failing(client):
    index = client.get("/")
    assert index.status_code == 200 and "No articles with a publication day are stored" in index.get_data(as_text=True)
    health = client.get("/health")
    assert health.status_code == 200
    assert "Nothing to chart yet" in health.get_data(as_text=True)
    assert client.get("/health.json").get_json()["articles_per_source_per_day"] == []
    assert client.get("/health/reasons.svg").status_code == 404


def test_mongodb_down_is_a_503_page_with_one_line():
    app = create_app(f"mongodb://127.0.0.1:{free_port()}", server_timeout_ms=300)
    response = app.test_client().get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "did not answer (ServerSelectionTimeoutError)" in page
    assert "Traceback" not in page


def test_health_data_and_charts_plot_what_the_store_holds(client, mongo_db):
    _seed(mongo_db)
    data = client.get("/health.json").get_json()
    assert data["days"] == ["2026-11-20", "2026-11-21"]
    assert data["articles_per_source_per_day"] == [
        {"day": "2026-11-20", "source": "a.example", "articles": 1},
        {"day": "2026-11-21", "source": "a.example", "articles": 2},
        {"day": "2026-11-21", "source": "b.example", "articles": 1}]
    words = {r["source"]: r for r in data["body_words"]}
    assert words["a.example"]["latest_day"] == "2026-11-21"
    assert words["a.example"]["latest_median"] == 8 and words["a.example"]["history_median"] == 3
    assert words["b.example"]["latest_median"] == 8 and words["b.example"]["history_median"] is None   # CJK: 1 word/char
    assert data["drops"] == {"too_short": 3, "index_page": 1}
    assert data["errors"] == {"http_errors": 4, "download_errors": 12}
    assert [r["run_id"] for r in data["failed_runs"]] == ["bad-1"]

    def bars(name: str) -> list[str]:
        response = client.get(f"/health/{name}.svg")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        return re.findall(rf'id="(bar-[a-z]+-\d+)"', response.get_data(as_text=True))

    assert len(bars("articles-per-day")) == 3            # one bar per (day, source) with articles
    assert len(bars("reasons")) == 4                     # 2 drop reasons + 2 error kinds
    assert len(bars("body-words")) == 3                  # 2 latest-day medians + 1 history median

    page = client.get("/health").get_data(as_text=True)
    assert page.count('<img src="/health/') == 3
    assert "every request failed (12 requests, 12 errors)" in page and 'class="failed-run"' in page


def _run_cli(*args, timeout=30):
    return subprocess.run([sys.executable, "-m", "newscrawl.web", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def test_cli_refuses_a_public_host_without_public_and_an_unreachable_mongodb_in_one_line():
    refused = _run_cli("--host", "0.0.0.0", "--uri", "mongodb://127.0.0.1:1")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: --host 0.0.0.0 is not a loopback address: the web front has no authentication; "
        "add --public to serve it there anyway"]
    down = _run_cli("--uri", f"mongodb://127.0.0.1:{free_port()}", "--port", str(free_port()))
    assert down.returncode == 1
    assert len(down.stderr.strip().splitlines()) == 1 and "is not reachable" in down.stderr
    assert "Traceback" not in down.stderr


def test_cli_serves_the_store_on_loopback(mongo_db):
    _seed(mongo_db)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newscrawl.web", "--uri", mongo_db.uri, "--database", mongo_db.name,
                             "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = proc.stdout.readline()
        assert banner.startswith(f"newscrawl web front on http://127.0.0.1:{port}/ (read-only, {mongo_db.name}.articles")
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/day/2026-11-21", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "All news articles on 2026-11-21" in page and page.count('class="title"') == 3
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_a_loopback_server_answers_only_to_loopback_host_names(mongo_db):
    app = create_app(mongo_db.uri, mongo_db.name, trusted_hosts=["127.0.0.1", "localhost", "::1"])
    client = app.test_client()
    try:
        for host in ("127.0.0.1:8080", "localhost:8080", "[::1]:8080", "localhost"):
            assert client.get("/", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", "evil.example:8080", "127.0.0.1.evil.example:8080"):   # DNS rebinding
            response = client.get("/", headers={"Host": host})
            assert response.status_code == 400, host
            assert "answers only to its own loopback names" in response.get_data(as_text=True)
    finally:
        app.extensions["newscrawl"]["client"].close()


def test_a_day_shows_at_most_its_limit_newest_first_and_says_there_were_more(mongo_db):
    from datetime import date

    from newscrawl.web.queries import StoreReader

    mongo_db.store.upsert_batch([article(f"https://a.example/{h}", title=f"at {h:02d}",
                                         published_at=f"2026-11-21T{h:02d}:00:00Z") for h in range(5)])
    reader = StoreReader(mongo_db.store.client, mongo_db.name, "articles")
    docs, more = reader.day(date(2026, 11, 21), limit=3)
    assert [d["title"] for d in docs] == ["at 04", "at 03", "at 02"] and more
    assert "body" not in docs[0] and docs[0]["lede"].startswith("The regional water board")
    docs, more = reader.day(date(2026, 11, 21), limit=5)
    assert len(docs) == 5 and not more
