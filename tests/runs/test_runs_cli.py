"""`python -m newscrawl.ops runs` (newscrawl/runs/cli.py) over runs the CrawlRunRecorder wrote in real
crawls: a run whose articles were all copies of stored ones reads "aliased", not "stored 0" and
nothing else; a run of the same pages again reads "unchanged"."""

import subprocess
import sys

from conftest import REPO, article_html, run_crawl
from newscrawl.warc import write_warc

COLUMNS = ["stored", "updated", "unchanged", "aliased", "duplicate", "spooled"]


def paragraphs(n: int) -> tuple[str, ...]:
    return tuple(f"Paragraph {k} of harbour story {n}: the ferry timetable changes again and the council meets "
                 f"on Tuesday to discuss the quay, the fishing fleet and the new lighthouse keeper's cottage."
                 for k in range(1, 5))


def warc_of(path, host: str) -> str:
    """Three articles under `host`: the same titles and bodies whatever the host."""
    pages = [(f"https://{host}/2026/11/story-{n}.html",
              article_html(f"Harbour story {n}", published="2026-11-20T08:00:00+00:00",
                           paragraphs=paragraphs(n)).encode(), "2026-11-20T09:00:00Z", "text/html")
             for n in range(1, 4)]
    write_warc(str(path), pages)
    return str(path)


def test_runs_listing_shows_aliased_and_unchanged_articles_of_real_crawls(mongo_db, tmp_path):
    settings = {**mongo_db.settings, "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    original = warc_of(tmp_path / "original.warc.gz", "www.harbour-news.example")
    copies = warc_of(tmp_path / "copies.warc.gz", "syndication.example")
    for path in (original, copies, original):
        _, stats, code, log = run_crawl(tmp_path, "warc", {"path": path}, settings)
        assert code == 0, log[-3000:]

    # The run documents say what the store did (namespaced stats -> items).
    runs = list(mongo_db.db.crawl_runs.find({}, {"_id": 0}).sort("started_at", 1))
    assert [{k: r["items"][k] for k in ("stored", "unchanged", "aliased", "duplicate", "spooled")} for r in runs] == [
        {"stored": 3, "unchanged": 0, "aliased": 0, "duplicate": 0, "spooled": 0},
        {"stored": 0, "unchanged": 0, "aliased": 3, "duplicate": 0, "spooled": 0},
        {"stored": 0, "unchanged": 3, "aliased": 0, "duplicate": 0, "spooled": 0}]
    stored = {a["url"]: a["aliases"] for a in mongo_db.store.articles.find({}, {"url": 1, "aliases": 1})}
    assert len(stored) == 3 and all(len(aliases) == 1 for aliases in stored.values())

    out = subprocess.run([sys.executable, "-m", "newscrawl.ops", "runs", "--uri", mongo_db.uri,
                          "--database", mongo_db.name], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "== warc"
    header = lines[1].split()
    assert header[header.index("duration") + 1:-1] == COLUMNS
    rows = {r.split()[-1]: dict(zip(COLUMNS, r.split()[-7:-1])) for r in lines[2:5]}
    newest, copies_run, first = (rows[r["run_id"]] for r in reversed(runs))
    assert first == {"stored": "3", "updated": "0", "unchanged": "0", "aliased": "0", "duplicate": "0", "spooled": "0"}
    assert copies_run == {"stored": "0", "updated": "0", "unchanged": "0", "aliased": "3", "duplicate": "0",
                          "spooled": "0"}
    assert newest["unchanged"] == "3" and newest["stored"] == "0"


def test_runs_recorded_before_the_aliased_count_show_it_from_their_stats(mongo_db):
    from newscrawl.runs.cli import runs_table

    old = {"run_id": "old", "spider": "warc", "status": "finished", "duration_s": 3,
           "items": {"stored": 0, "updated": 0, "unchanged": 0, "duplicate": 0, "spooled": 0},
           "stats": {"newscrawl/mongodb/aliased": 5}}
    mongo_db.runs.record(old)
    row = runs_table(mongo_db.runs.list("warc")).splitlines()[1].split()
    assert row[-7:-1] == ["0", "0", "0", "5", "0", "0"]


def test_a_crawl_closed_before_it_opened_is_still_recorded(mongo_db):
    """An error at start closes the spider without spider_opened: the run is recorded (no traceback)."""
    from scrapy.utils.test import get_crawler

    from newscrawl.runs.recorder import CrawlRunRecorder
    from newscrawl.spiders.warc import WarcSpider

    crawler = get_crawler(WarcSpider, {**mongo_db.settings, "NEWSCRAWL_CRAWL_RUNS_ENABLED": True,
                                       "MONGODB_SERVER_TIMEOUT_MS": 5000})
    recorder = CrawlRunRecorder.from_crawler(crawler)
    spider = WarcSpider.from_crawler(crawler, path=str(REPO / "samples" / "demo.warc.gz"))
    recorder.spider_closed(spider, "shutdown")
    run = mongo_db.db.crawl_runs.find_one({"run_id": recorder.run_id})
    assert run["finish_reason"] == "shutdown" and run["duration_s"] == 0 and run["started_at"] == run["finished_at"]
