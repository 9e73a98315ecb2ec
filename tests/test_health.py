"""CrawlHealthMonitor (newscrawl/health.py): the rules on synthetic metrics and history, the extension
on a crawler with synthetic stats, and real `scrapy crawl` runs that must fail (exit code 3, one
ERROR line, `failed` in crawl_runs)."""

from datetime import datetime, timedelta, timezone

from scrapy.utils.test import get_crawler

from conftest import article_html, run_crawl
from newscrawl.health import (ATTR, HEALTH_EXIT_CODE, CrawlHealthMonitor, HealthConfig, baseline, evaluate,
                              run_metrics)


def metrics(**kw):
    m = {"requests": 40, "responses_ok": 40, "errors": 0, "error_rate": 0.0, "pages": 30, "drops": 1,
         "duplicates": 0, "drop_rate": 0.03, "already_stored": 0, "items": 29, "published_share": 1.0,
         "authors_share": 0.9, "body_mean_chars": 3000.0}
    m.update(kw)
    return m


HISTORY = [metrics(error_rate=0.05, drop_rate=0.05), metrics(error_rate=0.0, authors_share=0.8),
           metrics(body_mean_chars=2800.0), metrics()]


def test_healthy_run_and_no_history():
    assert evaluate(metrics(), HISTORY) == []
    assert evaluate(metrics(), []) == []
    # Without history the relative rules do not apply: a run without authors is fine.
    assert evaluate(metrics(authors_share=0.0, published_share=0.0), []) == []


def test_every_request_failed():
    reasons = evaluate(metrics(responses_ok=0, errors=40, error_rate=1.0, pages=0, items=0, drops=0), [])
    assert reasons == ["every request failed (40 requests, 40 errors)"]


def test_stored_nothing_and_incremental_runs():
    assert evaluate(metrics(items=0, drops=30, pages=30, drop_rate=1.0), []) == [
        "stored nothing: all 30 article pages were dropped (30 drops)"]
    assert evaluate(metrics(items=0, drops=0, pages=0, requests=3, responses_ok=3), []) == [
        "stored nothing: no article URL found"]
    # Everything discovered was already stored, or an exact duplicate: an incremental run, not a failure.
    assert evaluate(metrics(items=0, drops=0, pages=0, already_stored=25), HISTORY) == []
    assert evaluate(metrics(items=0, drops=0, pages=4, duplicates=4), HISTORY) == []
    # Articles a write lost are the outcome's business (degraded, or failed when nothing was stored:
    # newscrawl.health.outcome, tests/test_hostile_outcomes.py), not a rule on the run's quality.
    assert evaluate(metrics(lost=3), []) == []


def test_relative_rules_against_history():
    assert baseline(HISTORY)["error_rate"] == 0.0 and baseline(HISTORY)["authors_share"] == 0.9
    reasons = evaluate(metrics(errors=12, error_rate=0.3), HISTORY)
    assert reasons == ["error rate 30% vs 0% median of the last 4 runs"]
    assert evaluate(metrics(errors=4, error_rate=0.1), HISTORY) == []          # not far above
    assert evaluate(metrics(drops=15, drop_rate=0.5), HISTORY) == ["drop rate 50% vs 3% median of the last 4 runs"]
    # A silent layout change: bodies still there, bylines and dates gone, bodies cut short.
    reasons = evaluate(metrics(published_share=0.1, authors_share=0.0, body_mean_chars=900.0), HISTORY)
    assert reasons == ["published_at coverage 10% vs 100% median of the last 4 runs",
                       "authors coverage 0% vs 90% median of the last 4 runs",
                       "mean body length 900 chars vs 3000 median of the last 4 runs"]
    # Too few runs of history, or too few items in this run: no relative verdict.
    assert evaluate(metrics(authors_share=0.0), HISTORY[:2]) == []
    assert evaluate(metrics(authors_share=0.0, items=3), HISTORY) == []
    # Thresholds are settings.
    assert evaluate(metrics(authors_share=0.6), HISTORY, HealthConfig(coverage_ratio=0.8)) == [
        "authors coverage 60% vs 90% median of the last 4 runs"]


def test_run_metrics_from_stats():
    stats = {"downloader/request_count": 12, "robotstxt/request_count": 1,
             "downloader/response_status_count/200": 8, "downloader/response_status_count/404": 3,
             "robotstxt/response_status_count/404": 1, "downloader/exception_count": 1,
             "newscrawl/pages": 8, "newscrawl/dropped/too_short": 2, "newscrawl/dropped/duplicate_url": 1}
    m = run_metrics(stats, items=5, with_published=5, with_authors=1, body_chars=5000)
    assert m["requests"] == 11 and m["responses_ok"] == 8 and m["errors"] == 3
    assert m["error_rate"] == round(3 / 11, 4) and m["drops"] == 2 and m["duplicates"] == 1
    assert m["drop_rate"] == 0.25 and m["published_share"] == 1.0 and m["authors_share"] == 0.2
    assert m["body_mean_chars"] == 1000.0 and m["lost"] == 0
    assert run_metrics({**stats, "newscrawl/mongodb/lost": 2}, 5, 5, 1, 5000)["lost"] == 2


def test_extension_on_a_crawler():
    crawler = get_crawler(settings_dict={"MONGODB_ENABLED": False, "NEWSCRAWL_HEALTH_MIN_HISTORY": 1})
    ext = CrawlHealthMonitor.from_crawler(crawler)
    assert getattr(crawler, ATTR) is ext and ext.cfg.min_history == 1

    class Spider:
        name = "unit"

    for n in range(3):
        ext.item_scraped({"published_at": "2026-11-01T00:00:00Z", "authors": ["A"] if n else [], "body": "x" * 100},
                         Spider())
    for key, value in {"downloader/request_count": 4, "downloader/response_status_count/200": 4,
                       "newscrawl/pages": 3}.items():
        crawler.stats.set_value(key, value)
    result = ext.evaluate(Spider())
    assert result["status"] == "ok" and result["quality"]["items"] == 3
    assert result["quality"]["authors_share"] == round(2 / 3, 4) and result["quality"]["body_mean_chars"] == 100.0
    assert crawler.stats.get_value("newscrawl/health/status") == "ok"
    assert ext.evaluate(Spider()) is result            # evaluated once


def test_crawl_where_every_request_fails_exits_non_zero(http_site, tmp_path):
    urls = [http_site.add(f"/health500/{n}.html", "server error", status=500) for n in range(3)]
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)})
    assert items == []
    assert rc == HEALTH_EXIT_CODE, log[-3000:]
    errors = [line for line in log.splitlines() if "[newscrawl.health] ERROR" in line]
    assert len(errors) == 2, errors       # the health check's line, then the outcome's
    assert "Crawl health check FAILED for article: every request failed (3 requests" in errors[0]
    assert "Crawl outcome of article: failed (exit code 3): health: every request failed" in errors[1]
    assert stats["newscrawl/health/status"] == "failed"
    # A healthy crawl still exits 0.
    ok = http_site.add("/health200/a.html", article_html("A healthy page", published="2026-11-20T08:00:00Z"))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ok})
    assert rc == 0 and len(items) == 1 and stats["newscrawl/health/status"] == "ok", log[-3000:]


def test_layout_change_against_history_is_recorded_failed(http_site, tmp_path, mongo_db):
    """Real crawl, real server: three earlier finished runs of the spider with bylines and dates in
    crawl_runs; this run's pages have neither -> exit 3, status failed with the reasons."""
    now = datetime.now(timezone.utc)
    for n in range(3):
        mongo_db.store.record_run({"run_id": f"hist{n}", "spider": "article", "status": "finished",
                                   "started_at": now - timedelta(hours=n + 1),
                                   "finished_at": now - timedelta(hours=n + 1) + timedelta(minutes=5),
                                   "quality": metrics(items=6, pages=6)})
    mongo_db.store.record_run({"run_id": "broken-before", "spider": "article", "status": "failed",
                               "started_at": now - timedelta(minutes=30), "quality": metrics(authors_share=0.0)})
    urls = [http_site.add(f"/healthlayout/{n}.html",
                          article_html(f"Headline without byline {n}",
                                       paragraphs=[f"Paragraph {n} {w} of a story whose page lost its byline and "
                                                   f"date after a redesign of the site templates, number {n * 3}."
                                                   for w in ("one", "two", "three")]))
            for n in range(6)]
    settings = {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)}, settings)
    assert len(items) == 6, log[-3000:]
    assert rc == HEALTH_EXIT_CODE, log[-3000:]
    run = mongo_db.store.runs.find_one({"run_id": stats["newscrawl/run_id"]})
    assert run["status"] == "failed"
    assert "published_at coverage 0% vs 100% median of the last 3 runs" in run["failure_reasons"]
    assert "authors coverage 0% vs 90% median of the last 3 runs" in run["failure_reasons"]
    assert run["quality"]["items"] == 6 and run["baseline"]["runs"] == 3
    assert "Crawl health check FAILED for article: published_at coverage 0%" in log


def test_memory_trim_returns_freed_heap_to_the_os():
    import pytest
    from scrapy import Spider
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions import MemoryTrim

    crawler = get_crawler(Spider, {"NEWSCRAWL_MALLOC_TRIM_SECONDS": 30})
    ext = MemoryTrim.from_crawler(crawler)   # glibc (Debian): available
    blocks = [bytearray(64 * 1024) for _ in range(2000)]   # 128 MB through malloc, then freed
    del blocks
    ext.run()
    assert crawler.stats.get_value("newscrawl/memory/trims") == 1
    with pytest.raises(NotConfigured):
        MemoryTrim.from_crawler(get_crawler(Spider, {"NEWSCRAWL_MALLOC_TRIM_SECONDS": 0}))


MMAP_PROBE = """
import ctypes, sys
from scrapy import Spider
from scrapy.utils.test import get_crawler
from newscrawl.extensions import MemoryTrim

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                               "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] != "0":
    MemoryTrim.from_crawler(get_crawler(Spider, {"NEWSCRAWL_MALLOC_TRIM_SECONDS": 0,
                                                 "NEWSCRAWL_MALLOC_MMAP_THRESHOLD": int(sys.argv[1])}))
libc.free(libc.malloc(4 << 20))   # glibc's own threshold moves up to 4 MB here
before = libc.mallinfo2().hblks
block = libc.malloc(1 << 20)
print(libc.mallinfo2().hblks - before)
"""


def test_memory_trim_keeps_page_sized_blocks_out_of_the_heap():
    """With NEWSCRAWL_MALLOC_MMAP_THRESHOLD a 1 MB block is still mmapped after a 4 MB one was
    freed; with glibc's moving threshold it comes from the heap."""
    import subprocess
    import sys

    import pytest
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions import MemoryTrim

    def mmapped_blocks(threshold: int) -> int:
        out = subprocess.run([sys.executable, "-c", MMAP_PROBE, str(threshold)], capture_output=True, text=True,
                             check=True)
        return int(out.stdout.split()[-1])

    assert mmapped_blocks(0) == 0
    assert mmapped_blocks(512 * 1024) == 1
    with pytest.raises(ValueError, match="NEWSCRAWL_MALLOC_MMAP_THRESHOLD"):
        MemoryTrim.from_crawler(get_crawler(Spider, {"NEWSCRAWL_MALLOC_MMAP_THRESHOLD": 64 << 20}))


LOG_PROBE = """
import logging, sys
from scrapy import Spider
from scrapy.crawler import CrawlerProcess

lib = logging.getLogger("trafilatura.core")

class Probe(Spider):
    name = "probe"

    async def start(self):
        print(lib.isEnabledFor(logging.DEBUG), lib.isEnabledFor(logging.INFO), end=" ")
        return
        yield

settings = {"LOG_LEVEL": sys.argv[1], "TELNETCONSOLE_ENABLED": False,
            "EXTENSIONS": {"newscrawl.extensions.RootLogLevel": 0 if sys.argv[2] != "off" else None}}
if sys.argv[2] == "own":   # a process with handlers of its own
    settings["LOG_ENABLED"] = False
    logging.basicConfig(level=logging.DEBUG)
    logging.root.setLevel(logging.NOTSET)
process = CrawlerProcess(settings)
process.crawl(Probe)
process.start()
"""


def test_root_log_level_stops_building_debug_records_of_libraries():
    import subprocess
    import sys

    def probe(level, extension="on"):
        return subprocess.run([sys.executable, "-c", LOG_PROBE, level, extension], capture_output=True,
                              text=True, check=True).stdout.split()
    # Scrapy's root handler filters at LOG_LEVEL; its root logger (NOTSET) lets every record be built
    assert probe("INFO", "off") == ["True", "True"]
    assert probe("INFO") == ["False", "True"]
    assert probe("DEBUG") == ["True", "True"]
    assert probe("INFO", "own") == ["True", "True"]   # handlers of the process's own: left alone


def test_gc_freeze_leaves_start_up_objects_out_of_collections():
    import gc

    import pytest
    from scrapy import Spider
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions import GcFreeze

    with pytest.raises(NotConfigured):
        GcFreeze.from_crawler(get_crawler(Spider, {"NEWSCRAWL_GC_FREEZE": False}))
    ext = GcFreeze.from_crawler(get_crawler(Spider, {"NEWSCRAWL_GC_FREEZE": True}))
    gc.unfreeze()   # (an in-process crawl of an earlier test may have frozen)
    assert gc.get_freeze_count() == 0
    try:
        ext.spider_opened(None)
        assert gc.get_freeze_count() > 10_000   # this process's modules, classes, functions
        later = []
        later.append(later)   # a cycle made after the freeze is still collected
        del later
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
