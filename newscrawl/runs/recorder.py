"""CrawlRunRecorder: writes one document per crawl to the `crawl_runs` collection.

The document: run_id (scrapyd's job id when run by scrapyd, else a UUID), spider, arguments,
started_at, finished_at, duration_s, finish_reason, status, pages, `items` (scraped; what the
store did with them: stored (new), updated (a new revision), unchanged, aliased (a new URL whose
text was already stored under another: added to that article's `aliases`, not a new article);
duplicate (dropped in the run: the same URL twice, or a copy of an article of the run, which is
also stored as an alias); spooled (written to the spool, not stored: `python -m newscrawl.storage
replay`); rejected; lost), drops by reason, errors, and the newscrawl/* stats. It is written
at start (status `running`) and at close (status `finished`, or `failed` with `failure_reasons`
when the CrawlHealthMonitor (newscrawl/runs/health.py) found the run broken; its `quality` metrics and
`baseline` are stored too, and later runs compare against them), with the `outcome` (`ok` /
`degraded` / `failed`, newscrawl/runs/health.py `outcome`) and its `outcome_reasons`; a `failed` outcome
makes the status `failed` too. Settings: NEWSCRAWL_CRAWL_RUNS_ENABLED (default on when
MONGODB_ENABLED); never contains credentials (spider arguments named like secrets are masked).
"""

import logging
import os
import re
import uuid
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl.runs.store import RunStore

logger = logging.getLogger(__name__)

_SECRET = re.compile(r"pass|secret|token|key|auth|credential", re.I)


def run_document(spider, stats: dict, *, run_id: str, started_at, finished_at=None, reason=None) -> dict:
    dropped = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")}
    args = {k: ("***" if _SECRET.search(k) else str(v)) for k, v in getattr(spider, "spider_args", {}).items()}
    doc = {
        "run_id": run_id,
        "spider": spider.name,
        "arguments": args,
        "started_at": started_at,
        "finished_at": finished_at,
        "duration_s": round((finished_at - started_at).total_seconds(), 3) if finished_at else None,
        "finish_reason": reason,
        "status": "running" if finished_at is None else "finished",
        "pages": stats.get("newscrawl/pages", 0),
        "articles": stats.get("newscrawl/articles", 0),
        "items": {
            "scraped": stats.get("item_scraped_count", 0),
            "stored": stats.get("newscrawl/mongodb/inserted", 0),
            "updated": stats.get("newscrawl/mongodb/updated", 0),
            "unchanged": stats.get("newscrawl/mongodb/unchanged", 0),
            "aliased": stats.get("newscrawl/mongodb/aliased", 0),
            "duplicate": dropped.get("duplicate_url", 0) + dropped.get("duplicate_content", 0),
            "spooled": stats.get("newscrawl/mongodb/spooled", 0),
            "rejected": stats.get("newscrawl/mongodb/rejected", 0),
            "lost": stats.get("newscrawl/mongodb/lost", 0),
        },
        "dropped": dropped,
        "errors": {
            "log_errors": stats.get("log_count/ERROR", 0),
            "download_errors": stats.get("downloader/exception_count", 0),
            "http_errors": sum(v for k, v in stats.items() if k.startswith("downloader/response_status_count/")
                               and not k.endswith(("/200", "/301", "/302", "/304"))),
            "spider_exceptions": stats.get("spider_exceptions/count", 0)
            or sum(v for k, v in stats.items() if k.startswith("spider_exceptions/")),
        },
        "stats": {k.replace(".", "_"): v for k, v in stats.items() if k.startswith("newscrawl/")},
        "host": os.uname().nodename,
        "pid": os.getpid(),
    }
    return doc


class CrawlRunRecorder:
    def __init__(self, crawler, store: RunStore):
        self.crawler = crawler
        self.store = store
        self.run_id = os.environ.get("SCRAPY_JOB") or uuid.uuid4().hex
        self.started_at = None
        self.indexed = False

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("MONGODB_ENABLED") or not s.getbool("NEWSCRAWL_CRAWL_RUNS_ENABLED"):
            raise NotConfigured("MONGODB_ENABLED or NEWSCRAWL_CRAWL_RUNS_ENABLED is off")
        ext = cls(crawler, RunStore.from_settings(s))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _write(self, doc) -> None:
        try:
            if not self.indexed:
                self.store.ensure_indexes(lambda message: logger.warning("%s", message))
                self.indexed = True
            self.store.record(doc)
        except Exception as exc:
            logger.warning("Could not record crawl run %s in crawl_runs (%s)", self.run_id, type(exc).__name__)
            self.crawler.stats.inc_value("newscrawl/crawl_runs/write_errors")

    def spider_opened(self, spider):
        # scrapyd 1.6 passes the job id as the spider argument `_job` (older versions: env SCRAPY_JOB).
        job = getattr(spider, "_job", None)
        if job:
            self.run_id = str(job)
        self.started_at = datetime.now(timezone.utc)
        self.crawler.stats.set_value("newscrawl/run_id", self.run_id)
        if self.crawler.stats.get_value("newscrawl/mongodb/connect_errors"):
            return   # the store failed its check at open: the record at close says what happened
        self._write(run_document(spider, self.crawler.stats.get_stats(), run_id=self.run_id, started_at=self.started_at))

    def spider_closed(self, spider, reason):
        from newscrawl.runs.health import health_of, outcome_of

        health = health_of(self.crawler, spider, reason)  # evaluated once, whichever extension asks first
        result = outcome_of(self.crawler, spider, reason)
        finished_at = datetime.now(timezone.utc)
        # A crawl that closed before it opened (an error at start) has no start time of its own.
        doc = run_document(spider, self.crawler.stats.get_stats(), run_id=self.run_id,
                           started_at=self.started_at or finished_at, finished_at=finished_at, reason=reason)
        if health is not None:
            doc["status"] = "failed" if health["status"] == "failed" else "finished"
            doc["failure_reasons"] = health["reasons"]
            doc["quality"] = health["quality"]
            doc["baseline"] = health["baseline"]
        if result is not None:
            doc["outcome"], doc["outcome_reasons"] = result["outcome"], result["reasons"]
            if result["outcome"] == "failed":   # a failed run never becomes a health baseline
                doc["status"] = "failed"
        if reason == "mongodb_unreachable":   # a write would only wait for the server selection timeout
            logger.warning("Crawl run %s not recorded in crawl_runs: MongoDB unreachable", self.run_id)
            self.store.close()
            return
        self._write(doc)
        self.store.close()
        items = doc["items"]
        logger.info("Crawl run %s: %s (%s), %d articles stored, %d updated, %d unchanged, %d aliased, %d spooled",
                    self.run_id, doc["status"], doc.get("outcome", "-"), items["stored"], items["updated"],
                    items["unchanged"], items["aliased"], items["spooled"])
