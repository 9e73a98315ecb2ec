"""`make demo` (tools/demo.py): run twice against the same MongoDB, each run reports its own crawl run
(the second: nothing new, nothing lost), and ends by saying how to reach the data. The demo site
(`--serve`) is crawled for real by the `article` spider, as schedules.local.toml schedules it."""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pymongo import MongoClient

from conftest import REPO, run_crawl
from mongo_server import EmbeddedServer
from newscrawl.ops.schedule import check_entries, load_schedule
from tools import demo

ARTICLE_URLS = sorted(url for name, (url, _, _) in demo.PAGES.items() if name not in demo.INDEX_PAGES)
STORED_URLS = sorted(url.split("?")[0] for url in ARTICLE_URLS)   # the tracking parameter is dropped
TITLES = {"La Seine retrouve ses poissons migrateurs", "Bahn kündigt neue Nachtzüge nach Italien an",
          "Las lluvias de otoño alivian la sequía en Cataluña", "新幹線の新型車両、来春から営業運転へ"}


def run_demo(tmp_path: Path, uri: str) -> subprocess.CompletedProcess:
    # The feed and any spool go to the test's directory, never to var/ of the checkout.
    return subprocess.run([sys.executable, "-m", "tools.demo", "--out", str(tmp_path / "items.jsonl"),
                           "-s", f"NEWSCRAWL_DATA_DIR={tmp_path / 'data'}", "-s", "LOG_LEVEL=WARNING"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, env={**os.environ, "MONGODB_URI": uri})


def summary(stdout: str) -> tuple[str, dict]:
    """(run id, {url: state}) of the demo's "This run" section."""
    head = re.search(r"^This run \(warc, run id (\S+), finished, ok\) into newscrawl\.articles:$", stdout, re.M)
    assert head, stdout
    rows = re.findall(r"^  \S+\s+\S+\s+(new|updated|already stored|not stored|alias)\s+(https://\S+)$", stdout, re.M)
    return head.group(1), {url: state for state, url in rows}


def test_demo_twice_reports_each_run_alone_nothing_new_nothing_lost(tmp_path):
    with EmbeddedServer(tmp_path / "db") as server:
        first = run_demo(tmp_path, server.uri)
        assert first.returncode == 0, first.stderr[-3000:]
        run1, states = summary(first.stdout)
        assert "4 articles extracted: 4 new, 0 updated, 0 already stored (unchanged), 0 aliases of stored " \
               "articles, 0 duplicates dropped, 0 spooled; pages dropped: index_page 1" in first.stdout
        assert states == dict.fromkeys(STORED_URLS, "new")

        # Another crawl's article in the same collection is not this demo's news.
        client = MongoClient(server.uri, serverSelectionTimeoutMS=5000)
        client.newscrawl.articles.insert_one({"url": "https://elsewhere.example/other", "title": "Other"})

        second = run_demo(tmp_path, server.uri)
        assert second.returncode == 0, second.stderr[-3000:]
        run2, states = summary(second.stdout)
        assert run2 != run1 and run2.startswith("demo-")
        assert "4 articles extracted: 0 new, 0 updated, 4 already stored (unchanged), 0 aliases of stored " \
               "articles, 0 duplicates dropped, 0 spooled; pages dropped: index_page 1" in second.stdout
        assert states == dict.fromkeys(STORED_URLS, "already stored")

        # Nothing lost, nothing twice: the four demo articles once each, and both runs recorded.
        stored = sorted(d["url"] for d in client.newscrawl.articles.find({"url": {"$in": STORED_URLS}}, {"url": 1}))
        assert stored == STORED_URLS
        assert sorted(r["run_id"] for r in client.newscrawl.crawl_runs.find({}, {"run_id": 1})) == sorted([run1, run2])
        client.close()
    tail = second.stdout[second.stdout.index("\nThe data ("):]
    assert tail.splitlines()[1:] == [
        "The data (newscrawl.articles, 5 articles from all runs so far):",
        f"  MongoDB URI   {server.uri}",
        f"  mongosh       bin/mongosh {server.uri}/newscrawl",
        f"  web front     .venv/bin/python -m newscrawl.web --uri {server.uri}   (open http://127.0.0.1:8080)"]
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("spool-*"))


@pytest.fixture
def demo_site():
    server = demo.make_site(port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_local_schedule_validates_and_its_jobs_crawl_the_demo_site(demo_site, tmp_path):
    entries = load_schedule(REPO / "schedules.local.toml")
    check_entries(entries)   # what `ops schedule` checks before calling scrapyd
    assert {e.spider for e in entries} == {"article"} and len(entries) == 2
    for entry in entries:
        args = {k: v.replace("http://127.0.0.1:8765", demo_site) for k, v in entry.args.items()}
        assert any(v.startswith(demo_site) for v in args.values()), entry
        # robots.txt obeyed (the site's allows all); the loopback host is reachable because the job names it.
        items, stats, code, log = run_crawl(tmp_path, entry.spider, args,
                                            {**entry.settings, "ROBOTSTXT_OBEY": True, "MONGODB_ENABLED": False})
        assert code == 0, log[-3000:]
        assert {item["title"] for item in items} == TITLES, entry.name
        assert all(item["url"].startswith(demo_site + "/") for item in items)
        assert {item["language"] for item in items} == {"fr", "de", "es", "ja"}
        assert "newscrawl/refused/private_address" not in stats


def test_demo_site_serves_pages_sitemap_feed_and_robots(demo_site):
    from urllib.request import urlopen

    sitemap = urlopen(demo_site + "/sitemap.xml").read().decode()
    assert sitemap.count("<loc>") == 4 and "<lastmod>2026-11-22T02:00:00Z</lastmod>" in sitemap
    assert urlopen(demo_site + "/rss.xml").read().decode().count("<item>") == 4
    assert "Allow: /" in urlopen(demo_site + "/robots.txt").read().decode()
    page = urlopen(demo_site + "/wirtschaft/bahn-nachtzuege-italien-a-1234")
    assert page.headers["Content-Type"] == "text/html" and "Nachtz\xfcge".encode("latin-1") in page.read()
    with pytest.raises(Exception, match="404"):
        urlopen(demo_site + "/nope")


def test_demo_with_mongodb_unreachable_says_why_and_exits_with_the_crawls_code(tmp_path):
    from tools.mongo_server import free_port

    uri = f"mongodb://127.0.0.1:{free_port()}"   # nobody listens there
    done = run_demo(tmp_path, uri)
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1].startswith("crawl failed with exit code 3 (run id demo-")
    assert "ERROR: MongoDB at " + uri + " is not reachable" in done.stdout
    assert "Crawl outcome of warc: failed (exit code 3)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
