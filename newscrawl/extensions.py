"""CrawlRunRecorder: writes one document per crawl to the `crawl_runs` collection.

The document: run_id (scrapyd's job id when run by scrapyd, else a UUID), spider, arguments,
started_at, finished_at, duration_s, finish_reason, status, pages, items stored / updated /
unchanged / duplicate / spooled, drops by reason, errors, and the newscrawl/* stats. It is written
at start (status `running`) and at close (status `finished`, or `failed` with `failure_reasons`
when the CrawlHealthMonitor (newscrawl/health.py) found the run broken; its `quality` metrics and
`baseline` are stored too, and later runs compare against them), with the `outcome` (`ok` /
`degraded` / `failed`, newscrawl/health.py `outcome`) and its `outcome_reasons`; a `failed` outcome
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

from newscrawl.errors import SettingError

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
    def __init__(self, crawler):
        self.crawler = crawler
        self.run_id = os.environ.get("SCRAPY_JOB") or uuid.uuid4().hex
        self.started_at = None
        self.store = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("MONGODB_ENABLED") or not s.getbool("NEWSCRAWL_CRAWL_RUNS_ENABLED"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _write(self, doc) -> None:
        from newscrawl.storage.shared import shared_store

        try:
            shared_store(self.crawler).record_run(doc)
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
        from newscrawl.health import health_of, outcome_of

        health = health_of(self.crawler, spider, reason)  # evaluated once, whichever extension asks first
        result = outcome_of(self.crawler, spider, reason)
        doc = run_document(spider, self.crawler.stats.get_stats(), run_id=self.run_id, started_at=self.started_at,
                           finished_at=datetime.now(timezone.utc), reason=reason)
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
            return
        self._write(doc)
        logger.info("Crawl run %s: %s (%s), %d articles stored, %d updated, %d spooled", self.run_id, doc["status"],
                    doc.get("outcome", "-"), doc["items"]["stored"], doc["items"]["updated"], doc["items"]["spooled"])


class MemoryTrim:
    """Keeps a long crawl's RSS from creeping up on glibc. Parsing a page allocates and frees megabytes of C
    memory (libxml2 trees, page bytes, decoded text) from several threads' malloc arenas:

    * NEWSCRAWL_MALLOC_MMAP_THRESHOLD (bytes; 0 keeps glibc's default) fixes the size from which a
      block gets its own mmap, returned to the OS when freed. glibc otherwise raises that threshold
      (up to 32 MB) each time such a block is freed, and from then on page-sized buffers come from
      the heap, which they fragment.
    * Every NEWSCRAWL_MALLOC_TRIM_SECONDS (0 disables) `malloc_trim` hands the heaps' free pages
      back; glibc keeps them otherwise, so RSS creeps up while live memory stays flat.

    Not configured when both are 0, or without glibc."""

    M_MMAP_THRESHOLD = -3   # mallopt parameter (malloc.h)
    MMAP_THRESHOLD_MAX = 32 << 20   # glibc's ceiling for it on 64-bit

    def __init__(self, crawler, seconds: float, trim):
        self.crawler, self.seconds, self.trim = crawler, seconds, trim
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        import ctypes
        import ctypes.util

        seconds = crawler.settings.getfloat("NEWSCRAWL_MALLOC_TRIM_SECONDS")
        threshold = crawler.settings.getint("NEWSCRAWL_MALLOC_MMAP_THRESHOLD")
        if threshold > cls.MMAP_THRESHOLD_MAX:   # a bad setting is an error on any system
            raise SettingError(f"NEWSCRAWL_MALLOC_MMAP_THRESHOLD={threshold}: at most {cls.MMAP_THRESHOLD_MAX} (32 MiB)")
        if seconds <= 0 and threshold <= 0:
            raise NotConfigured("NEWSCRAWL_MALLOC_TRIM_SECONDS and NEWSCRAWL_MALLOC_MMAP_THRESHOLD are 0")
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            trim, mallopt = libc.malloc_trim, libc.mallopt
        except (OSError, AttributeError):
            raise NotConfigured("no malloc_trim/mallopt in this C library (not glibc)") from None
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        if threshold > 0:
            if not mallopt(cls.M_MMAP_THRESHOLD, threshold):
                raise ValueError(f"NEWSCRAWL_MALLOC_MMAP_THRESHOLD={threshold}: refused by glibc")
            logger.debug("malloc mmap threshold fixed at %d bytes", threshold)
        ext = cls(crawler, seconds, trim)
        if seconds > 0:
            crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        from twisted.internet.task import LoopingCall

        self.loop = LoopingCall(self.run)
        self.loop.start(self.seconds, now=False)

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def run(self):
        if self.trim(0):
            self.crawler.stats.inc_value("newscrawl/memory/trims")


class _AtSpiderOpen:
    """An extension that acts once, when the spider opens; off when its boolean setting `switch` is."""

    switch: str

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool(cls.switch):
            raise NotConfigured(f"{cls.switch} is off")
        ext = cls()
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    def spider_opened(self, spider):
        raise NotImplementedError


class RootLogLevel(_AtSpiderOpen):
    """Raises the root logger's level to LOG_LEVEL when the spider opens. Scrapy applies LOG_LEVEL in
    its root handler only and leaves the root logger at NOTSET, so every debug call of a library
    without a level of its own still builds a LogRecord (and walks the stack for its caller) before
    the handler drops it: trafilatura alone makes ~25 such calls per page, ~1.5% of a crawl's CPU
    (profiled).
    Only raises the level, and only when Scrapy's root handler is installed (`scrapy crawl`, scrapyd
    jobs): with LOG_LEVEL DEBUG, or in a process that logs through handlers of its own, nothing
    changes. (Not in from_crawler: the crawler reinstalls its root handler after building the
    extensions, which resets the root logger to NOTSET.)"""

    switch = "LOG_ENABLED"

    def spider_opened(self, spider):
        from scrapy.utils.log import get_scrapy_root_handler

        handler = get_scrapy_root_handler()
        root = logging.getLogger()
        if handler is not None and handler.level > root.getEffectiveLevel():
            root.setLevel(handler.level)
            logger.debug("root logger level raised to %s", logging.getLevelName(handler.level))


class GcFreeze(_AtSpiderOpen):
    """Takes the objects alive when the spider opens (modules, classes, compiled patterns: ~280,000 in
    a crawl process with trafilatura, numpy and scipy loaded) out of the cyclic garbage collector's
    scans with `gc.freeze()`. They live as long as the process, and each full collection would
    otherwise walk them all again: over 1,500 pages the collector's time went from 1.9-2.0 to
    1.1-1.2 s (~1.3% of the crawl's CPU), peak RSS unchanged.
    Objects created later are collected as usual. NEWSCRAWL_GC_FREEZE (default on)."""

    switch = "NEWSCRAWL_GC_FREEZE"

    def spider_opened(self, spider):
        import gc

        gc.collect()   # what start-up left behind goes first: frozen objects are never freed
        gc.freeze()
        logger.debug("%d objects of the start-up excluded from garbage collection", gc.get_freeze_count())
