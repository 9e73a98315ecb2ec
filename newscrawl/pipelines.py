"""Item pipelines, in this order (see ITEM_PIPELINES in settings.py):

1. ValidatePipeline  required fields and sane values; Unicode/whitespace normalised.
2. DedupePipeline    same URL twice in a run (dropped), exact copies (alias of the first),
                     near-duplicates (MinHash/LSH; shared `story_id`), across runs via MongoDB.
3. LanguagePipeline  langdetect on title + body; `language`, `language_confidence`, `language_method`.
4. MongoPipeline     buffered bulk upserts in a worker thread; retry, then spool to disk (storage/).

Every drop raises DropItem and counts `newscrawl/dropped/<reason>`. An unexpected exception in a
stage costs only its item (`guarded`): counted `newscrawl/pipeline/errors/<stage>` and
`newscrawl/pipeline/errors`, logged at ERROR with the URL and the exception type (never the
message: it may quote the page), dropped as `pipeline_error`; the crawl goes on.
"""

import asyncio
import functools
import inspect
import logging
import traceback
from datetime import datetime, timedelta, timezone

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured

from newscrawl import dedupe, language
from newscrawl import signals as newscrawl_signals
from newscrawl.extract.text import clean_paragraph_text, clean_text
from newscrawl.storage.articles import ArticleStore
from newscrawl.storage.client import client_from_settings, mask_uri, ping, short_error
from newscrawl.article.hashing import content_hash, title_hash
from newscrawl.storage.spool import spool_dir
from newscrawl.storage.stories import StoryLookup, check_mode
from newscrawl.storage.writer import BatchWriter

logger = logging.getLogger(__name__)


def drop(stats, reason: str, url: str | None, detail: str = "") -> DropItem:
    """Count the drop; the DropItem logs at INFO (drops are expected, not warnings)."""
    stats.inc_value(f"newscrawl/dropped/{reason}")
    return DropItem(f"{reason}: {url}{f' ({detail})' if detail else ''}", log_level="INFO")


def _log_url(item) -> str:
    """The item's URL for a log line: printable, bounded (a hostile URL cannot forge log lines)."""
    try:
        url = ItemAdapter(item).get("url")
    except Exception:  # noqa: BLE001 - not even an item
        url = None
    text = url if isinstance(url, str) else repr(url)
    if not text.isprintable():
        text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return text[:300]


def guarded(stage: str):
    """Decorate a pipeline's `process_item` (sync or async) so that an unexpected exception costs
    only that item: counted, logged (URL, exception type, where it was raised), dropped as
    `pipeline_error`. DropItem passes through (an expected drop)."""

    def failed(pipeline, item, exc: Exception) -> DropItem:
        stats = pipeline.stats
        stats.inc_value(f"newscrawl/pipeline/errors/{stage}")
        stats.inc_value("newscrawl/pipeline/errors")
        url = _log_url(item)
        # Code locations only: the exception's message may carry page text.
        frames = traceback.extract_tb(exc.__traceback__)[-3:]
        where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))
        logger.error("Pipeline stage %s failed on %s: %s at %s; item dropped", stage, url, type(exc).__name__,
                     where or "?")
        stats.inc_value("newscrawl/dropped/pipeline_error")
        return DropItem(f"pipeline_error: {url} ({stage}: {type(exc).__name__})", log_level="INFO")

    def decorate(method):
        if inspect.iscoroutinefunction(method):
            @functools.wraps(method)
            async def process_item(self, item):
                try:
                    return await method(self, item)
                except DropItem:
                    raise
                except Exception as exc:  # noqa: BLE001 - one item's failure, recorded
                    raise failed(self, item, exc) from None
        else:
            @functools.wraps(method)
            def process_item(self, item):
                try:
                    return method(self, item)
                except DropItem:
                    raise
                except Exception as exc:  # noqa: BLE001 - one item's failure, recorded
                    raise failed(self, item, exc) from None
        return process_item

    return decorate


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


class ValidatePipeline:
    """Settings: NEWSCRAWL_FUTURE_TOLERANCE_HOURS. The body's minimum length is the page's rule
    (`to_item`, NEWSCRAWL_MIN_BODY_WORDS: `too_short`), applied there only."""

    EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)

    def __init__(self, stats, future_tolerance: timedelta):
        self.stats = stats
        self.future_tolerance = future_tolerance

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, timedelta(hours=crawler.settings.getfloat("NEWSCRAWL_FUTURE_TOLERANCE_HOURS")))

    @guarded("validate")
    def process_item(self, item):
        a = ItemAdapter(item)
        url = a.get("url")
        if not url or not str(url).startswith(("http://", "https://")):
            raise drop(self.stats, "invalid_url", url)
        a["title"] = clean_text(a.get("title"))
        if not a["title"]:
            raise drop(self.stats, "no_title", url)
        a["body"] = clean_paragraph_text(a.get("body"))
        a["summary"] = clean_text(a.get("summary")) or None
        a["authors"] = [clean_text(x) for x in a.get("authors") or [] if clean_text(x)]
        crawled = _parse_iso(a.get("crawled_at")) or datetime.now(timezone.utc)
        for field in ("published_at", "modified_at"):
            value = _parse_iso(a.get(field))
            if a.get(field) and (value is None or value < self.EARLIEST
                                 or value > crawled + self.future_tolerance):
                # Not stored as truth: the raw value stays in published_at_source for analysis.
                self.stats.inc_value(f"newscrawl/validate/{field}_rejected")
                logger.info("Implausible %s %r for %s: treated as unknown", field, a.get(field), url)
                if field == "published_at" and a.get("published_at_source"):
                    a["published_at_source"] = {**a["published_at_source"], "rejected": a[field]}
                a[field] = None
        return item


class DedupePipeline:
    """Settings: NEWSCRAWL_DEDUPE_ENABLED, NEWSCRAWL_DEDUPE_THRESHOLD (Jaccard of word 3-gram
    shingles), NEWSCRAWL_DEDUPE_NUM_PERM, NEWSCRAWL_DEDUPE_LOOKUP_BATCH,
    NEWSCRAWL_DEDUPE_LOOKUP_WAIT_MS, NEWSCRAWL_DEDUPE_MEMORY_ARTICLES (with MongoDB). Drops a URL seen
    before in the run; adds content_hash, title_hash, minhash, lsh_bands, story_id, duplicate_of
    (dedupe.StoryAssigner: this run's articles in memory, then the stored ones, micro-batched)."""

    def __init__(self, crawler, assigner: dedupe.StoryAssigner, memory_articles: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.assigner = assigner
        self.memory_articles = memory_articles
        self.urls = dedupe.UrlSet()   # every URL of the run, as 8-byte digests
        self.client = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("NEWSCRAWL_DEDUPE_ENABLED"):
            raise NotConfigured("NEWSCRAWL_DEDUPE_ENABLED is off")
        signer = dedupe.Signer(s.getfloat("NEWSCRAWL_DEDUPE_THRESHOLD"), s.getint("NEWSCRAWL_DEDUPE_NUM_PERM"))
        assigner = dedupe.StoryAssigner(signer, crawler.stats, lookup_batch=s.getint("NEWSCRAWL_DEDUPE_LOOKUP_BATCH"),
                                        lookup_wait_s=s.getfloat("NEWSCRAWL_DEDUPE_LOOKUP_WAIT_MS") / 1000)
        return cls(crawler, assigner, s.getint("NEWSCRAWL_DEDUPE_MEMORY_ARTICLES"))

    def open_spider(self):
        s = self.crawler.settings
        if s.getbool("MONGODB_ENABLED"):
            self.client = client_from_settings(s)
            # Older articles of this run are in the store by then: the in-memory index stays bounded.
            self.assigner.use_store(StoryLookup(self.client[s.get("MONGODB_DATABASE")], s.get("MONGODB_COLLECTION"),
                                                s.get("MONGODB_STORY_LOOKUP")), self.memory_articles)

    def close_spider(self):
        if self.client is not None:
            self.client.close()

    @guarded("dedupe")
    async def process_item(self, item):
        a = ItemAdapter(item)
        url = a["url"]
        if url in self.urls:
            raise drop(self.stats, "duplicate_url", url)
        self.urls.add(url)
        await self.assigner.assign(a, content_hash(a["body"]), title_hash(a["title"]))
        return item


class LanguagePipeline:
    """Settings: NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE, NEWSCRAWL_LANGUAGE_MAX_CHARS.
    Adds language (ISO 639-1 or `und`), language_confidence, language_method."""

    def __init__(self, stats, min_confidence: float, max_chars: int):
        self.stats = stats
        self.min_confidence = min_confidence
        self.max_chars = max_chars

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler.stats, s.getfloat("NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE"), s.getint("NEWSCRAWL_LANGUAGE_MAX_CHARS"))

    def open_spider(self):
        language.warm_up()

    @guarded("language")
    def process_item(self, item):
        a = ItemAdapter(item)
        lang, conf, method = language.detect(f"{a['title']}\n{a['body']}", a.get("declared_language"),
                                             min_confidence=self.min_confidence, max_chars=self.max_chars)
        a["language"], a["language_confidence"], a["language_method"] = lang, conf, method
        self.stats.inc_value(f"newscrawl/language/{lang}")
        return item


class MongoPipeline:
    """Stores articles in MongoDB without blocking the crawl (storage/writer.py: batches written on a
    worker thread, retried, then spooled; replay: `python -m newscrawl.storage replay`).

    Exact copies (`duplicate_of`) are not exported again, but their documents go through the batch
    like any article: the store adds the URL to the aliases of whichever document holds that text
    (stored earlier, in another run, or the copy itself when the first one was not stored).
    A document the store refuses is set aside (`newscrawl/mongodb/rejected[/<reason>]`, the rejects
    file beside the spool) while the rest of its batch is written.

    When the spider opens, one ping (MONGODB_START_CHECK_TIMEOUT_MS; 0: the client's own timeout)
    finds an unreachable server: the spider is closed at once (`mongodb_unreachable`). When neither
    the store nor the spool can take a batch, the spider is closed (`storage_unavailable`): nothing
    more is fetched to be lost. Sends `article_accepted` for each item taken; the writer sends
    `articles_durable` and `storage_failed` (newscrawl/signals.py). Off unless MONGODB_ENABLED.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = self.writer = self._ticker = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("MONGODB_ENABLED"):
            raise NotConfigured("MONGODB_ENABLED is off")
        check_mode(crawler.settings.get("MONGODB_STORY_LOOKUP"))   # before the crawl starts, not at first use
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    def spider_idle(self):
        """Nothing is being fetched or processed: write the partial batch now rather than at the
        next tick (in distributed mode the other workers wait for this worker's acks)."""
        if self.writer is not None and self.writer.waiting:
            asyncio.ensure_future(self.writer.flush())

    async def open_spider(self):
        s = self.crawler.settings
        self.store = ArticleStore.from_settings(s)
        self.writer = BatchWriter.from_crawler(self.crawler, self.store, self._storage_unavailable)
        uri = mask_uri(s.get("MONGODB_URI"))
        try:
            # One short check, not the retry path of a batch: a server that is not there is
            # reported in seconds, before anything is fetched.
            await asyncio.to_thread(ping, self.store.client, s.getint("MONGODB_START_CHECK_TIMEOUT_MS"))
        except Exception as exc:
            self.stats.inc_value("newscrawl/mongodb/connect_errors")
            logger.error("MongoDB at %s is not reachable (%s: %s): start the local server (`make demo` or "
                         "`python -m tools.mongo_server`), point MONGODB_URI at yours, or crawl without "
                         "storage with -s MONGODB_ENABLED=false; closing the spider (mongodb_unreachable)",
                         uri, type(exc).__name__, short_error(exc))
            raise CloseSpider("mongodb_unreachable") from None
        try:
            # Logs what the server does not take itself (FerretDB's known gaps once at INFO).
            await asyncio.to_thread(self.store.ensure_indexes)
            logger.info("Storing articles in %s (%s.%s)", uri, self.store.db.name, self.store.articles.name)
        except Exception as exc:
            self.stats.inc_value("newscrawl/mongodb/connect_errors")
            logger.error("MongoDB at %s failed while creating indexes (%s: %.300s): articles will be retried, "
                         "then spooled to %s", uri, type(exc).__name__, exc, spool_dir(s))
        self._ticker = asyncio.ensure_future(self.writer.tick())

    @guarded("store")
    async def process_item(self, item):
        a = ItemAdapter(item)
        # Converted to the stored form once, by the store (newscrawl.article.document.screen); a
        # shallow copy: a hostile nesting must reach the store's depth check, not a recursion here.
        doc = dict(a.items())
        self.writer.take(doc)
        # Before any wait for back-pressure: a request done meanwhile must wait for this article too.
        self.crawler.signals.send_catch_log(newscrawl_signals.article_accepted, item=item)
        await self.writer.flush_if_full()
        if a.get("duplicate_of"):
            # Stored as an alias of the document holding this text, not exported again.
            raise drop(self.stats, "duplicate_content", a["url"], f"copy of {a['duplicate_of']}")
        return item

    def _storage_unavailable(self, error, lost: int) -> None:
        """Neither the store nor the spool took a batch: stop fetching (one ERROR line)."""
        logger.error("MongoDB is failing and the spool cannot take the articles either (%s: %s): %d article(s) "
                     "lost; closing the spider (storage_unavailable)", type(error).__name__, error, lost)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(engine, "spider", None) is not None:
            asyncio.ensure_future(engine.close_spider_async(reason="storage_unavailable"))

    async def close_spider(self):
        if self._ticker:
            self._ticker.cancel()
        if self.writer is not None:
            await self.writer.close()
        if self.store is not None:
            self.store.close()
