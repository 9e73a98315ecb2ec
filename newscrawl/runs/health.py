"""CrawlHealthMonitor: decides at the end of a crawl whether it worked, against the source's own history.

Scrapy ends a crawl with exit code 0 and reason `finished` even when every request failed or a
redesign left every page without a body. This extension measures each run while it goes
(`item_scraped`: the share of items with `published_at`, with `authors`, the mean body length;
from the stats: requests, errors, article pages, drops) and at `spider_closed` applies these rules:

absolute (always):
  * every request failed: requests were made (robots.txt not counted) and none got a response < 400;
  * stored nothing: no item passed the pipelines although article pages were fetched (all dropped),
    the article URLs found all answered 404/410, or no article URL was found at all. A run whose
    discovered URLs were all already stored (an incremental run with nothing new) or exact
    duplicates is not a failure.

relative (with at least NEWSCRAWL_HEALTH_MIN_HISTORY earlier runs of the same spider in
`crawl_runs` with status `finished`; the baseline is the median of the last
NEWSCRAWL_HEALTH_HISTORY_RUNS of them; failed runs never become the baseline):
  * error rate (errors / requests) above max(baseline x FACTOR, baseline + MIN_INCREASE), with at
    least NEWSCRAWL_HEALTH_MIN_REQUESTS requests;
  * drop rate (non-duplicate drops / article pages) likewise, with at least
    NEWSCRAWL_HEALTH_MIN_ITEMS article pages;
  * coverage of `published_at`, of `authors`, and the mean and median body length below baseline x
    NEWSCRAWL_HEALTH_COVERAGE_RATIO / NEWSCRAWL_HEALTH_BODY_RATIO, with at least
    NEWSCRAWL_HEALTH_MIN_ITEMS items;
  * layout-miss rate (pages whose layout's declared selectors failed and fell back to the generic
    path, `newscrawl/layout_miss/<slug>`, over those read by such a layout, `newscrawl/layout_pages/<slug>`)
    above max(baseline x NEWSCRAWL_HEALTH_LAYOUT_MISS_FACTOR, baseline + ..._MIN_INCREASE), with at
    least NEWSCRAWL_HEALTH_MIN_ITEMS such pages: a redesign the selectors no longer match.

A failed run logs one ERROR line naming every reason, sets the stats `newscrawl/health/status`
(`ok` / `failed`) and `newscrawl/health/failures`, hands status `failed`, `failure_reasons`,
`quality` and `baseline` to the CrawlRunRecorder document, and makes `scrapy crawl` exit with
HEALTH_EXIT_CODE (newscrawl/commands/crawl.py reads `failed_crawls()`).

CrawlOutcome: on top of the health verdict, what happened to the articles (`outcome()`, from the
stats and the close reason): `ok` (exit 0), `degraded` (5: articles spooled, rejected or lost,
pipeline or callback errors, or closed early, but something stored or nothing was to be stored),
`failed` (3: the health check failed, nothing stored although articles were produced, or closed
with `mongodb_unreachable` / `storage_unavailable` / `redis_unavailable`). One line at close (INFO /
WARNING / ERROR) names the reasons; stats `newscrawl/outcome/status` and `newscrawl/outcome/exit_code`;
the CrawlRunRecorder stores `outcome` and `outcome_reasons`; `scrapy crawl` exits with the code.
"""

from __future__ import annotations

import logging
import random
import statistics
from dataclasses import dataclass

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl.runs.store import RunStore

logger = logging.getLogger(__name__)

BODY_SAMPLE = 10_000                      # body lengths kept for a run's median
HEALTH_EXIT_CODE = 3                      # `scrapy crawl` exit code of a crawl that failed its health check
DUPLICATE_DROPS = ("duplicate_url", "duplicate_content")
ATTR = "_newscrawl_health"                # crawler attribute under which the monitor is reachable

# Close reasons of a crawl that never fetched: no health verdict on it.
SKIP_CLOSE_REASONS = ("mongodb_unreachable",)

# Crawls of this process that failed their health check: (spider name, reasons).
_FAILED: list[tuple[str, list[str]]] = []


def failed_crawls() -> list[tuple[str, list[str]]]:
    return list(_FAILED)


@dataclass(frozen=True)
class HealthConfig:
    """The NEWSCRAWL_HEALTH_* settings (defaults in settings.py)."""

    history_runs: int
    min_history: int
    min_items: int
    min_requests: int
    error_rate_factor: float
    error_rate_min_increase: float
    drop_rate_factor: float
    drop_rate_min_increase: float
    coverage_ratio: float
    body_ratio: float
    layout_miss_factor: float = 3.0
    layout_miss_min_increase: float = 0.2

    @classmethod
    def from_settings(cls, s) -> "HealthConfig":
        p = "NEWSCRAWL_HEALTH_"
        return cls(history_runs=s.getint(p + "HISTORY_RUNS"), min_history=s.getint(p + "MIN_HISTORY"),
                   min_items=s.getint(p + "MIN_ITEMS"), min_requests=s.getint(p + "MIN_REQUESTS"),
                   error_rate_factor=s.getfloat(p + "ERROR_RATE_FACTOR"),
                   error_rate_min_increase=s.getfloat(p + "ERROR_RATE_MIN_INCREASE"),
                   drop_rate_factor=s.getfloat(p + "DROP_RATE_FACTOR"),
                   drop_rate_min_increase=s.getfloat(p + "DROP_RATE_MIN_INCREASE"),
                   coverage_ratio=s.getfloat(p + "COVERAGE_RATIO"), body_ratio=s.getfloat(p + "BODY_RATIO"),
                   layout_miss_factor=s.getfloat(p + "LAYOUT_MISS_FACTOR", 3.0),
                   layout_miss_min_increase=s.getfloat(p + "LAYOUT_MISS_MIN_INCREASE", 0.2))


def run_metrics(stats: dict, items: int, with_published: int, with_authors: int, body_chars: int,
                body_lengths: list[int] | None = None) -> dict:
    """The quality metrics of one run, from its stats and the item counts (stored in crawl_runs `quality`).
    `body_lengths`: the items' body lengths (a sample), for the median."""
    def count(prefix: str, *, ok: bool) -> int:
        total = 0
        for key, value in stats.items():
            if key.startswith(prefix):
                try:
                    status = int(key.rsplit("/", 1)[1])
                except ValueError:
                    continue
                if (status < 400) == ok:
                    total += value
        return total

    requests = stats.get("downloader/request_count", 0) - stats.get("robotstxt/request_count", 0)
    ok = (count("downloader/response_status_count/", ok=True)
          - count("robotstxt/response_status_count/", ok=True))
    errors = (count("downloader/response_status_count/", ok=False)
              - count("robotstxt/response_status_count/", ok=False)
              + stats.get("downloader/exception_count", 0)
              - sum(v for k, v in stats.items() if k.startswith("robotstxt/exception_count/")))
    dropped = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")}
    drops = sum(v for k, v in dropped.items() if k not in DUPLICATE_DROPS)
    pages = stats.get("newscrawl/pages", 0)
    # Pages read by a layout's declared selectors, and those whose selectors failed (one source's
    # counts per spider; every source's summed for a spider that crawls several).
    layout_pages = _sum_per_source(stats, "newscrawl/layout_pages/")
    layout_misses = _sum_per_source(stats, "newscrawl/layout_miss/")
    return {
        "requests": max(requests, 0),
        "responses_ok": max(ok, 0),
        "errors": max(errors, 0),
        "error_rate": round(min(max(errors, 0) / requests, 1.0), 4) if requests > 0 else None,
        "pages": pages,
        "drops": drops,
        "duplicates": sum(dropped.get(k, 0) for k in DUPLICATE_DROPS),
        "drop_rate": round(min(drops / pages, 1.0), 4) if pages else None,
        "already_stored": stats.get("newscrawl/discovery/already_stored", 0),
        "gone": sum(v for k, v in stats.items() if k.startswith("newscrawl/gone/") and isinstance(v, (int, float))),
        "lost": stats.get("newscrawl/mongodb/lost", 0),
        "items": items,
        "published_share": round(with_published / items, 4) if items else None,
        "authors_share": round(with_authors / items, 4) if items else None,
        "body_mean_chars": round(body_chars / items, 1) if items else None,
        "body_median_chars": statistics.median(body_lengths) if body_lengths else None,
        "layout_pages": layout_pages,
        "layout_misses": layout_misses,
        "layout_miss_rate": round(min(layout_misses / layout_pages, 1.0), 4) if layout_pages else None,
    }


def _sum_per_source(stats: dict, prefix: str) -> int:
    """Sum of the `<prefix><slug>` counts (not their `/<reason>` details)."""
    return int(sum(v for k, v in stats.items()
                   if k.startswith(prefix) and "/" not in k[len(prefix):] and isinstance(v, (int, float))))


def baseline(history: list[dict]) -> dict:
    """Median of each metric over earlier runs' `quality` documents (metrics a run lacks are skipped)."""
    out = {"runs": len(history)}
    for key in ("error_rate", "drop_rate", "published_share", "authors_share", "body_mean_chars",
                "body_median_chars", "layout_miss_rate"):
        values = [h[key] for h in history if isinstance(h.get(key), (int, float))]
        out[key] = round(statistics.median(values), 4) if values else None
    return out


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def evaluate(m: dict, history: list[dict], cfg: HealthConfig) -> list[str]:
    """The failure reasons of a run with metrics `m` against earlier runs' metrics (`history`, newest
    first); [] when the run is healthy."""
    reasons = []
    if m["requests"] > 0 and m["responses_ok"] == 0:
        reasons.append(f"every request failed ({m['requests']} requests, {m['errors']} errors)")
    elif m["items"] == 0:
        if m["drops"] > 0:
            reasons.append(f"stored nothing: all {m['pages']} article pages were dropped ({m['drops']} drops)")
        elif m["pages"] == 0 and m.get("gone"):   # found, but answered 404/410: not "no URL found"
            reasons.append(f"stored nothing: all {m['gone']} article URLs were gone (404/410)")
        elif m["pages"] == 0 and m["already_stored"] == 0 and m["duplicates"] == 0:
            reasons.append("stored nothing: no article URL found")
    if len(history) < cfg.min_history:
        return reasons
    base = baseline(history[:cfg.history_runs])
    n = base["runs"]
    for key, label, factor, increase, enough in (
            ("error_rate", "error rate", cfg.error_rate_factor, cfg.error_rate_min_increase,
             m["requests"] >= cfg.min_requests),
            ("drop_rate", "drop rate", cfg.drop_rate_factor, cfg.drop_rate_min_increase,
             m["pages"] >= cfg.min_items),
            ("layout_miss_rate", "layout-miss rate (declared selectors failed, generic fallback)",
             cfg.layout_miss_factor, cfg.layout_miss_min_increase, (m.get("layout_pages") or 0) >= cfg.min_items)):
        value, usual = m.get(key), base.get(key)
        if enough and value is not None and usual is not None and value > max(usual * factor, usual + increase):
            reasons.append(f"{label} {_pct(value)} vs {_pct(usual)} median of the last {n} runs")
    if m["items"] >= cfg.min_items:
        for key, label in (("published_share", "published_at coverage"), ("authors_share", "authors coverage")):
            value, usual = m.get(key), base.get(key)
            if value is not None and usual and value < usual * cfg.coverage_ratio:
                reasons.append(f"{label} {_pct(value)} vs {_pct(usual)} median of the last {n} runs")
        value, usual = m.get("body_mean_chars"), base.get("body_mean_chars")
        if value is not None and usual and value < usual * cfg.body_ratio:
            reasons.append(f"mean body length {value:.0f} chars vs {usual:.0f} median of the last {n} runs")
        value, usual = m.get("body_median_chars"), base.get("body_median_chars")
        if value is not None and usual and value < usual * cfg.body_ratio:
            reasons.append(f"median body length {value:.0f} chars vs {usual:.0f} median of the last {n} runs")
    return reasons


class CrawlHealthMonitor:
    def __init__(self, crawler, cfg: HealthConfig):
        self.crawler = crawler
        self.cfg = cfg
        self.items = self.with_published = self.with_authors = self.body_chars = 0
        self.body_lengths: list[int] = []     # a bounded sample, for the median body length
        self.result: dict | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_HEALTH_ENABLED"):
            raise NotConfigured("NEWSCRAWL_HEALTH_ENABLED is off")
        ext = cls(crawler, HealthConfig.from_settings(crawler.settings))
        setattr(crawler, ATTR, ext)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_scraped(self, item, spider):
        self.items += 1
        get = item.get if hasattr(item, "get") else (lambda k, d=None: getattr(item, k, d))
        if get("published_at"):
            self.with_published += 1
        if get("authors"):
            self.with_authors += 1
        length = len(get("body") or "")
        self.body_chars += length
        if len(self.body_lengths) < BODY_SAMPLE:
            self.body_lengths.append(length)
        else:   # reservoir sampling: every item equally likely to be in the sample
            j = random.randrange(self.items)
            if j < BODY_SAMPLE:
                self.body_lengths[j] = length

    def _history(self, spider) -> list[dict]:
        if not self.crawler.settings.getbool("MONGODB_ENABLED"):
            return []
        if self.crawler.stats.get_value("newscrawl/mongodb/connect_errors"):
            return []   # the store failed its check at open: no history to read, only absolute rules
        try:
            with RunStore.from_settings(self.crawler.settings) as store:
                return store.history(spider.name, self.crawler.stats.get_value("newscrawl/run_id"),
                                     self.cfg.history_runs)
        except Exception as exc:   # the history is a bonus: absolute rules still apply without it
            logger.warning("Crawl health: could not read the run history of %s (%s); only absolute rules apply",
                           spider.name, type(exc).__name__)
            return []

    def evaluate(self, spider, reason: str | None = None) -> dict:
        """Evaluate once (the CrawlRunRecorder may ask first): {status, reasons, quality, baseline}.
        A crawl closed at open because the store was unreachable fetched nothing: status `skipped`
        (its outcome says why it failed; "no article URL found" would be false)."""
        if self.result is not None:
            return self.result
        stats = self.crawler.stats
        metrics = run_metrics(stats.get_stats(), self.items, self.with_published, self.with_authors, self.body_chars,
                              self.body_lengths)
        if reason in SKIP_CLOSE_REASONS:
            self.result = {"status": "skipped", "reasons": [], "quality": metrics, "baseline": {"runs": 0}}
            stats.set_value("newscrawl/health/status", "skipped")
            logger.info("Crawl health check skipped for %s: closed at open (%s)", spider.name, reason)
            return self.result
        history = self._history(spider)
        reasons = evaluate(metrics, history, self.cfg)
        self.result = {"status": "failed" if reasons else "ok", "reasons": reasons, "quality": metrics,
                       "baseline": baseline(history[:self.cfg.history_runs]) if history else {"runs": 0}}
        stats.set_value("newscrawl/health/status", self.result["status"])
        if reasons:
            stats.set_value("newscrawl/health/failures", len(reasons))
            _FAILED.append((spider.name, reasons))
            logger.error("Crawl health check FAILED for %s: %s", spider.name, "; ".join(reasons))
        else:
            logger.info("Crawl health check ok for %s (%d items, baseline of %d runs)", spider.name,
                        metrics["items"], self.result["baseline"]["runs"])
        return self.result

    def spider_closed(self, spider, reason):
        self.evaluate(spider, reason)


def health_of(crawler, spider, reason: str | None = None) -> dict | None:
    """The health result of the crawl (evaluating it now if needed), or None without the monitor."""
    monitor = getattr(crawler, ATTR, None)
    return monitor.evaluate(spider, reason) if monitor is not None else None


# ---- the outcome: what happened to the articles -------------------------------------------------

OUTCOME_EXIT_CODES = {"ok": 0, "degraded": 5, "failed": 3}
OUTCOME_ATTR = "_newscrawl_outcome"
# Store counts of articles that are in the store after the run (storage/articles.py COUNT_KEYS and the
# alias writes of the store pipeline, both counted under newscrawl/mongodb/).
STORED_KEYS = ("inserted", "updated", "revised", "unchanged", "aliased")
# Close reasons that end a run without its articles, and what they mean.
FAILED_CLOSE_REASONS = {
    "mongodb_unreachable": "MongoDB failed its check when the spider opened: unreachable, or refusing the "
                           "credentials (mongodb_unreachable; the MongoDB ERROR line says which)",
    "storage_unavailable": "neither MongoDB nor the spool could take articles: fetching stopped (storage_unavailable)",
    "redis_unavailable": "Redis stayed unreachable: the worker stopped (redis_unavailable)",
}
# Close reasons of a run that ended as asked; any other (shutdown, memusage_exceeded,
# closespider_errorcount ...) is a run that stopped early.
NORMAL_CLOSE_REASONS = ("finished", "max_articles", "closespider_itemcount", "closespider_pagecount",
                        "closespider_timeout")

# Outcomes of the crawls of this process: (spider name, outcome, reasons).
_OUTCOMES: list[tuple[str, str, list[str]]] = []


def crawl_outcomes() -> list[tuple[str, str, list[str]]]:
    return list(_OUTCOMES)


def _total(stats: dict, key: str, total_key: str) -> int:
    """The count `total_key`, else the sum of the `key/<detail>` counts (never both)."""
    value = stats.get(total_key)
    if isinstance(value, (int, float)) and value:
        return int(value)
    prefix = key + "/"
    return int(sum(v for k, v in stats.items()
                   if k.startswith(prefix) and k != total_key and isinstance(v, (int, float))))


def _details(stats: dict, key: str) -> str:
    prefix = key + "/"
    parts = [f"{k[len(prefix):]}: {v}" for k, v in sorted(stats.items())
             if k.startswith(prefix) and k != prefix + "count" and isinstance(v, (int, float)) and v]
    return f" ({', '.join(parts)})" if parts else ""


def outcome(stats: dict, reason: str | None, health: dict | None, *, storing: bool = True) -> tuple[str, list[str]]:
    """(`ok` | `degraded` | `failed`, reasons) of a closed crawl, from its final stats, Scrapy's close
    reason and the health result (None without the monitor). `storing`: the MongoDB pipeline was on
    (without it, an item that passed the pipelines was delivered to the feed export)."""
    def get(key: str) -> int:
        value = stats.get(key)
        return int(value) if isinstance(value, (int, float)) else 0

    failures, problems = [], []
    if reason in FAILED_CLOSE_REASONS:
        failures.append(FAILED_CLOSE_REASONS[reason])
    elif reason and reason not in NORMAL_CLOSE_REASONS:
        problems.append(f"closed early ({reason})")
    if health and health.get("status") == "failed":
        failures += [f"health: {r}" for r in health.get("reasons") or ["failed"]]

    # (count, what it means): each non-zero count is a problem named in the outcome line.
    losses = [
        (get("newscrawl/mongodb/spooled"), "article(s) spooled, not stored (python -m newscrawl.storage replay)"),
        (get("newscrawl/mongodb/rejected"),
         "document(s) rejected by the store" + _details(stats, "newscrawl/mongodb/rejected")),
        (get("newscrawl/mongodb/lost"), "article(s) lost: neither stored nor spooled"),
        (get("newscrawl/mongodb/alias_errors"), "alias write(s) failed or matched no document"),
        (_total(stats, "newscrawl/pipeline/errors", "newscrawl/pipeline/errors"),
         "item(s) lost to pipeline errors" + _details(stats, "newscrawl/pipeline/errors")),
        (_total(stats, "spider_exceptions", "spider_exceptions/count"),
         "spider callback exception(s)" + _details(stats, "spider_exceptions")),
    ]
    problems += [f"{n} {what}" for n, what in losses if n]

    scraped = get("item_scraped_count")
    delivered = sum(get(f"newscrawl/mongodb/{k}") for k in STORED_KEYS) if storing else scraped
    if not delivered and (any(n for n, _ in losses) or (storing and scraped)):
        failures.append("stored nothing: no article reached the store" if storing
                        else "no article passed the pipelines")
    if failures:
        return "failed", failures + problems
    return ("degraded", problems) if problems else ("ok", [])


class CrawlOutcome:
    """Computes the crawl's outcome once at spider_closed (or when the CrawlRunRecorder asks first).
    Also counts the items an exception lost in a pipeline that does not guard its stages (Scrapy
    only logs those): `newscrawl/pipeline/errors/uncaught` and `newscrawl/pipeline/errors`."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.result: dict | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        setattr(crawler, OUTCOME_ATTR, ext)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_error(self, item, response, spider, failure):
        self.crawler.stats.inc_value("newscrawl/pipeline/errors/uncaught")
        self.crawler.stats.inc_value("newscrawl/pipeline/errors")

    def evaluate(self, spider, reason) -> dict:
        """{outcome, reasons, exit_code}, computed once."""
        if self.result is not None:
            return self.result
        stats = self.crawler.stats
        status, reasons = outcome(stats.get_stats(), reason, health_of(self.crawler, spider, reason),
                                  storing=self.crawler.settings.getbool("MONGODB_ENABLED"))
        self.result = {"outcome": status, "reasons": reasons, "exit_code": OUTCOME_EXIT_CODES[status]}
        stats.set_value("newscrawl/outcome/status", status)
        stats.set_value("newscrawl/outcome/exit_code", self.result["exit_code"])
        _OUTCOMES.append((spider.name, status, reasons))
        level = {"ok": logging.INFO, "degraded": logging.WARNING, "failed": logging.ERROR}[status]
        logger.log(level, "Crawl outcome of %s: %s (exit code %d)%s", spider.name, status, self.result["exit_code"],
                   ": " + "; ".join(reasons) if reasons else "")
        return self.result

    def spider_closed(self, spider, reason):
        self.evaluate(spider, reason)


def outcome_of(crawler, spider, reason) -> dict | None:
    """The outcome of the crawl (computing it now if needed), or None without the extension."""
    ext = getattr(crawler, OUTCOME_ATTR, None)
    return ext.evaluate(spider, reason) if ext is not None else None
