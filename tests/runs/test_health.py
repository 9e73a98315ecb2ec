"""CrawlHealthMonitor (newscrawl/runs/health.py): the rules on synthetic metrics and history, the extension
on a crawler with synthetic stats, and real `scrapy crawl` runs that must fail (exit code 3, one
ERROR line, `failed` in crawl_runs)."""

import dataclasses
from datetime import datetime, timedelta, timezone

from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from conftest import article_html, run_crawl
from newscrawl.runs.health import (ATTR, HEALTH_EXIT_CODE, CrawlHealthMonitor, HealthConfig, baseline, evaluate,
                                   run_metrics)

PROJECT = Settings()
PROJECT.setmodule("newscrawl.settings", priority="project")


def judge(m: dict, history: list[dict], **config) -> list[str]:
    """The rules with the project's thresholds (settings.py), some replaced by `config`."""
    return evaluate(m, history, dataclasses.replace(HealthConfig.from_settings(PROJECT), **config))


def metrics(**kw):
    m = {"requests": 40, "responses_ok": 40, "errors": 0, "error_rate": 0.0, "pages": 30, "drops": 1,
         "duplicates": 0, "drop_rate": 0.03, "already_stored": 0, "items": 29, "published_share": 1.0,
         "authors_share": 0.9, "body_mean_chars": 3000.0}
    m.update(kw)
    return m


HISTORY = [metrics(error_rate=0.05, drop_rate=0.05), metrics(error_rate=0.0, authors_share=0.8),
           metrics(body_mean_chars=2800.0), metrics()]


def test_healthy_run_and_no_history():
    assert judge(metrics(), HISTORY) == []
    assert judge(metrics(), []) == []
    # Without history the relative rules do not apply: a run without authors is fine.
    assert judge(metrics(authors_share=0.0, published_share=0.0), []) == []


def test_a_run_where_every_request_failed_fails():
    reasons = judge(metrics(responses_ok=0, errors=40, error_rate=1.0, pages=0, items=0, drops=0), [])
    assert reasons == ["every request failed (40 requests, 40 errors)"]


def test_stored_nothing_and_incremental_runs():
    assert judge(metrics(items=0, drops=30, pages=30, drop_rate=1.0), []) == [
        "stored nothing: all 30 article pages were dropped (30 drops)"]
    assert judge(metrics(items=0, drops=0, pages=0, requests=3, responses_ok=3), []) == [
        "stored nothing: no article URL found"]
    # Article URLs were found, but all answered 404/410: said so, not "no article URL found".
    assert judge(metrics(items=0, drops=0, pages=0, requests=3, responses_ok=1, gone=2), []) == [
        "stored nothing: all 2 article URLs were gone (404/410)"]
    # Everything discovered was already stored, or an exact duplicate: an incremental run, not a failure.
    assert judge(metrics(items=0, drops=0, pages=0, already_stored=25), HISTORY) == []
    assert judge(metrics(items=0, drops=0, pages=4, duplicates=4), HISTORY) == []
    # Articles a write lost are the outcome's business (degraded, or failed when nothing was stored:
    # newscrawl.runs.health.outcome, tests/runs/test_hostile_outcomes.py), not a rule on the run's quality.
    assert judge(metrics(lost=3), []) == []


def test_relative_rules_against_history():
    assert baseline(HISTORY)["error_rate"] == 0.0 and baseline(HISTORY)["authors_share"] == 0.9
    reasons = judge(metrics(errors=12, error_rate=0.3), HISTORY)
    assert reasons == ["error rate 30% vs 0% median of the last 4 runs"]
    assert judge(metrics(errors=4, error_rate=0.1), HISTORY) == []          # not far above
    assert judge(metrics(drops=15, drop_rate=0.5), HISTORY) == ["drop rate 50% vs 3% median of the last 4 runs"]
    # A silent layout change: bodies still there, bylines and dates gone, bodies cut short.
    reasons = judge(metrics(published_share=0.1, authors_share=0.0, body_mean_chars=900.0), HISTORY)
    assert reasons == ["published_at coverage 10% vs 100% median of the last 4 runs",
                       "authors coverage 0% vs 90% median of the last 4 runs",
                       "mean body length 900 chars vs 3000 median of the last 4 runs"]
    # Too few runs of history, or too few items in this run: no relative verdict.
    assert judge(metrics(authors_share=0.0), HISTORY[:2]) == []
    assert judge(metrics(authors_share=0.0, items=3), HISTORY) == []
    # Thresholds are settings.
    assert judge(metrics(authors_share=0.6), HISTORY, coverage_ratio=0.8) == [
        "authors coverage 60% vs 90% median of the last 4 runs"]


def test_run_metrics_are_computed_from_the_stats():
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


def test_monitor_measures_items_and_evaluates_once():
    health = {k: v for k, v in PROJECT.items() if k.startswith("NEWSCRAWL_HEALTH_")}
    crawler = get_crawler(settings_dict={**health, "MONGODB_ENABLED": False, "NEWSCRAWL_HEALTH_MIN_HISTORY": 1})
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
    errors = [line for line in log.splitlines() if "[newscrawl.runs.health] ERROR" in line]
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
        mongo_db.runs.record({"run_id": f"hist{n}", "spider": "article", "status": "finished",
                                   "started_at": now - timedelta(hours=n + 1),
                                   "finished_at": now - timedelta(hours=n + 1) + timedelta(minutes=5),
                                   "quality": metrics(items=6, pages=6)})
    mongo_db.runs.record({"run_id": "broken-before", "spider": "article", "status": "failed",
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
    run = mongo_db.db.crawl_runs.find_one({"run_id": stats["newscrawl/run_id"]})
    assert run["status"] == "failed"
    assert "published_at coverage 0% vs 100% median of the last 3 runs" in run["failure_reasons"]
    assert "authors coverage 0% vs 90% median of the last 3 runs" in run["failure_reasons"]
    assert run["quality"]["items"] == 6 and run["baseline"]["runs"] == 3
    assert "Crawl health check FAILED for article: published_at coverage 0%" in log


# ---- layout drift: declared selectors that stopped matching (newscrawl/pages/declared.py) -----------

LAYOUT_HISTORY = [metrics(layout_pages=30, layout_misses=m, layout_miss_rate=round(m / 30, 4), body_median_chars=2900.0)
                  for m in (0, 1, 0, 2)]


def test_a_layout_miss_rate_far_above_the_sources_history_fails():
    reasons = judge(metrics(layout_pages=30, layout_misses=21, layout_miss_rate=0.7), LAYOUT_HISTORY)
    assert len(reasons) == 1 and reasons[0].startswith("layout-miss rate") and "70% vs 2%" in reasons[0]


def test_a_usual_layout_miss_rate_passes():
    assert judge(metrics(layout_pages=30, layout_misses=1, layout_miss_rate=0.0333), LAYOUT_HISTORY) == []
    # Too few pages read by a declared layout to judge a rate.
    assert judge(metrics(layout_pages=2, layout_misses=2, layout_miss_rate=1.0), LAYOUT_HISTORY) == []


def test_a_median_body_far_below_the_sources_history_fails():
    reasons = judge(metrics(body_median_chars=400.0), LAYOUT_HISTORY)
    assert reasons == ["median body length 400 chars vs 2900 median of the last 4 runs"]


def test_layout_counts_and_median_body_are_in_the_run_quality():
    stats = {"newscrawl/pages": 10, "newscrawl/layout_pages/reuters": 10, "newscrawl/layout_miss/reuters": 4,
             "newscrawl/layout_miss/reuters/body_selector": 3, "newscrawl/layout_miss/reuters/short_body": 1}
    m = run_metrics(stats, 10, 10, 10, 5000, [100, 300, 2000])
    assert (m["layout_pages"], m["layout_misses"], m["layout_miss_rate"]) == (10, 4, 0.4)
    assert m["body_median_chars"] == 300
    assert baseline([m])["layout_miss_rate"] == 0.4


def test_monitor_fails_a_run_whose_layout_misses_depart_from_history(monkeypatch):
    """The extension on a crawler: the spider's layout counts (newscrawl/spiders/base.py `count_layout`)
    and a history of runs with low miss rates; a run with a high rate fails, a usual one passes."""
    health = {k: v for k, v in PROJECT.items() if k.startswith("NEWSCRAWL_HEALTH_")}

    class Spider:
        name = "reuters"

    def run(misses: int) -> dict:
        crawler = get_crawler(settings_dict={**health, "MONGODB_ENABLED": False})
        ext = CrawlHealthMonitor.from_crawler(crawler)
        monkeypatch.setattr(ext, "_history", lambda spider: LAYOUT_HISTORY)
        for _ in range(20):
            ext.item_scraped({"published_at": "2026-11-01T00:00:00Z", "authors": ["A"], "body": "x" * 3000}, Spider())
        for key, value in {"downloader/request_count": 20, "downloader/response_status_count/200": 20,
                           "newscrawl/pages": 20, "newscrawl/layout_pages/reuters": 20,
                           "newscrawl/layout_miss/reuters": misses,
                           "newscrawl/layout_miss/reuters/body_selector": misses}.items():
            crawler.stats.set_value(key, value)
        return ext.evaluate(Spider())

    broken = run(misses=15)
    assert broken["status"] == "failed" and broken["quality"]["layout_miss_rate"] == 0.75
    assert any(r.startswith("layout-miss rate") and "75% vs 2%" in r for r in broken["reasons"]), broken["reasons"]
    usual = run(misses=1)
    assert usual["status"] == "ok", usual["reasons"]
    assert usual["quality"]["body_median_chars"] == 3000
