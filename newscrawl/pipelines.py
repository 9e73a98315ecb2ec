"""Item pipelines, in this order (see ITEM_PIPELINES in settings.py):

1. ValidatePipeline  required fields and sane values; Unicode/whitespace normalised.
2. DedupePipeline    same URL twice in a run (dropped), exact copies (alias of the first),
                     near-duplicates (MinHash/LSH; shared `story_id`), across runs via MongoDB.
3. LanguagePipeline  langdetect on title + body; `language`, `language_confidence`, `language_method`.
4. MongoPipeline     buffered bulk upserts in a worker thread; retry, then spool to disk.

Every drop raises DropItem and counts `newscrawl/dropped/<reason>`. An unexpected exception in a
stage costs only its item (`guarded`): counted `newscrawl/pipeline/errors/<stage>` and
`newscrawl/pipeline/errors`, logged at ERROR with the URL and the exception type (never the
message: it may quote the page), dropped as `pipeline_error`; the crawl goes on.
"""

import asyncio
import functools
import inspect
import logging
import time
import traceback
from collections import deque
from datetime import datetime, timedelta, timezone

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured

from newscrawl import dedupe, language
from newscrawl.extract.text import clean_paragraph_text, clean_text, tokens

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
    """Settings: NEWSCRAWL_MIN_BODY_WORDS, NEWSCRAWL_FUTURE_TOLERANCE_HOURS."""

    EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)

    def __init__(self, stats, min_body_words: int, future_tolerance: timedelta):
        self.stats = stats
        self.min_body_words = min_body_words
        self.future_tolerance = future_tolerance

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler.stats, s.getint("NEWSCRAWL_MIN_BODY_WORDS"),
                   timedelta(hours=s.getfloat("NEWSCRAWL_FUTURE_TOLERANCE_HOURS")))

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
        if len(tokens(a["body"])) < self.min_body_words:
            raise drop(self.stats, "too_short", url)
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
    NEWSCRAWL_DEDUPE_LOOKUP_WAIT_MS. Adds content_hash, title_hash, minhash, lsh_bands, story_id,
    duplicate_of (exact copy of an article of this run).

    An article is first compared with this run's articles (in memory). One that matches none is
    looked up in MongoDB (stored articles sharing an LSH band: other runs and processes). Lookups
    are micro-batched: the articles waiting for one go as ONE query when LOOKUP_BATCH of them wait
    or LOOKUP_WAIT_MS after the first, one query at a time (a query scans the whole collection on
    FerretDB). After the query the batch is decided in arrival order, each article seeing the
    articles of this run decided before it, so copies of each other in one batch share a story."""

    def __init__(self, crawler, signer: dedupe.Signer, lookup_batch: int = 100, lookup_wait_ms: float = 100,
                 memory_articles: int = 2000):
        self.crawler = crawler
        self.stats = crawler.stats
        self.signer = signer
        self.memory_articles = memory_articles
        self.index = dedupe.StoryIndex(signer)
        self.urls = dedupe.UrlSet()   # every URL of the run, as 8-byte digests
        # Raw content hash (20 bytes, not the 40-char hex) -> (url, story_id), the entry the index shares;
        # with the index's capacity, the newest ones only (FIFO through `hash_order`).
        self.hashes: dict[bytes, tuple[str, str]] = {}
        self.hash_order: deque[bytes] = deque()
        self.store = None
        self.lookup = dedupe.MicroBatcher(self._fetch_candidates, lookup_batch, lookup_wait_ms / 1000)

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("NEWSCRAWL_DEDUPE_ENABLED"):
            raise NotConfigured("NEWSCRAWL_DEDUPE_ENABLED is off")
        return cls(crawler, dedupe.Signer(s.getfloat("NEWSCRAWL_DEDUPE_THRESHOLD"), s.getint("NEWSCRAWL_DEDUPE_NUM_PERM")),
                   lookup_batch=s.getint("NEWSCRAWL_DEDUPE_LOOKUP_BATCH", 100),
                   lookup_wait_ms=s.getfloat("NEWSCRAWL_DEDUPE_LOOKUP_WAIT_MS", 100),
                   memory_articles=s.getint("NEWSCRAWL_DEDUPE_MEMORY_ARTICLES", 2000))

    def open_spider(self):
        from newscrawl.storage.shared import shared_store

        self.store = shared_store(self.crawler)   # None without MongoDB
        if self.store is not None:
            # Older articles of this run are in the store by then: the in-memory index stays bounded.
            self.index.capacity = max(0, self.memory_articles)

    @guarded("dedupe")
    async def process_item(self, item):
        a = ItemAdapter(item)
        url = a["url"]
        if url in self.urls:
            raise drop(self.stats, "duplicate_url", url)
        self.urls.add(url)
        a["content_hash"] = dedupe.content_hash(a["body"])
        a["title_hash"] = dedupe.title_hash(a["title"])
        a["duplicate_of"] = None
        # The exact-copy key: the content hash; an empty body (no hash) copies nothing.
        chash = a["content_hash"] or dedupe.text_hash("\x00empty body of " + url)
        if bytes.fromhex(chash) in self.hashes:
            self._decide(a, chash, None, [], ())
            return item
        sig = self.signer.signature(a["title"] + "\n" + a["body"])
        keys = self.signer.band_keys(sig) if sig is not None else []
        a["minhash"] = dedupe.Signer.to_bytes(sig) if sig is not None else None
        a["lsh_bands"] = keys
        if self.store is not None and keys and self.index.best_match(sig, exclude_url=url)[0] is None:
            await self.lookup.submit(keys, lambda candidates: self._decide(a, chash, sig, keys, candidates))
        else:
            self._decide(a, chash, sig, keys, ())
        return item

    def _decide(self, a, chash, sig, keys, candidates) -> None:
        """Set story_id (and duplicate_of) from this run's articles, else from the stored
        candidates, else a new story; register the article for the ones decided after it."""
        url = a["url"]
        hkey = bytes.fromhex(chash)
        if hkey in self.hashes:  # also: a copy decided while this one waited for its lookup
            first_url, story_id = self.hashes[hkey]
            a["duplicate_of"], a["story_id"] = first_url, story_id
            self.stats.inc_value("newscrawl/dedupe/exact_duplicates")
            return
        match, _ = self.index.best_match(sig, exclude_url=url) if keys else (None, 0)
        story_id = match[1] if match else self._stored_match(url, sig, candidates)
        if story_id:
            self.stats.inc_value("newscrawl/dedupe/near_duplicates")
        else:
            story_id = dedupe.story_id_for(chash)
        a["story_id"] = story_id
        self.hashes[hkey] = self.index.add(url, story_id, sig) if keys else (url, story_id)
        self.hash_order.append(hkey)
        if self.index.capacity and len(self.hashes) > self.index.capacity:
            del self.hashes[self.hash_order.popleft()]

    def _fetch_candidates(self, band_lists: list[list[str]]) -> list[list[dict]]:
        """Runs in a worker thread: one query for a micro-batch of articles."""
        self.stats.inc_value("newscrawl/dedupe/lookups")
        self.stats.inc_value("newscrawl/dedupe/looked_up", len(band_lists))
        try:
            return self.store.story_candidates_many(band_lists)
        except Exception as exc:  # the store's outage handling is the MongoPipeline's job
            self.stats.inc_value("newscrawl/dedupe/lookup_errors", len(band_lists))
            logger.warning("Story lookup failed (%s); treating %d article(s) as new stories", type(exc).__name__,
                           len(band_lists))
            return [[] for _ in band_lists]

    def _stored_match(self, url, sig, candidates) -> str | None:
        best, best_sim = None, 0.0
        for cand in candidates:
            if cand.get("url") == url and cand.get("story_id"):
                return cand["story_id"]   # this article's stored version: a revision keeps its story
            if not cand.get("minhash"):
                continue
            sim = self.signer.similarity(sig, dedupe.Signer.from_bytes(cand["minhash"]))
            if sim > best_sim:
                best, best_sim = cand.get("story_id"), sim
        return best if best_sim >= self.signer.threshold else None


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
    """Stores articles in MongoDB without blocking the crawl.

    Items are buffered and written with one unordered bulk upsert per batch (MongoStore.upsert_batch)
    on a single worker thread, flushed when MONGODB_BUFFER_SIZE items are waiting, when the oldest
    has waited MONGODB_FLUSH_SECONDS, when the crawl is idle and at close. A failing batch is retried MONGODB_RETRY_ATTEMPTS times with
    exponential backoff from MONGODB_RETRY_BACKOFF_SECONDS, then written to a JSON Lines spool in
    MONGODB_SPOOL_DIR (replay: `python -m newscrawl.storage replay`). When more than
    MONGODB_MAX_PENDING_BATCHES batches are in flight, processing waits (back-pressure).

    Exact copies (`duplicate_of`) are not exported again, but their documents go through the batch
    like any article: the store adds the URL to the aliases of whichever document holds that text
    (stored earlier, in another run, or the copy itself when the first one was not stored).
    A document the store refuses is set aside (`newscrawl/mongodb/rejected[/<reason>]`, the rejects
    file beside the spool) while the rest of its batch is written.

    When the spider opens, one ping (MONGODB_START_CHECK_TIMEOUT_MS) finds an unreachable server:
    the spider is closed at once (`mongodb_unreachable`). When neither the store nor the spool can
    take a batch, the spider is closed (`storage_unavailable`): nothing more is fetched to be lost.
    """

    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.buffer_size = s.getint("MONGODB_BUFFER_SIZE")
        self.flush_seconds = s.getfloat("MONGODB_FLUSH_SECONDS")
        self.attempts = s.getint("MONGODB_RETRY_ATTEMPTS")
        self.backoff = s.getfloat("MONGODB_RETRY_BACKOFF_SECONDS")
        self.max_pending = s.getint("MONGODB_MAX_PENDING_BATCHES")
        self.spool_dir = s.get("MONGODB_SPOOL_DIR")
        self.check_timeout_ms = s.getint("MONGODB_START_CHECK_TIMEOUT_MS")   # 0: the client's own timeout
        self.buffer: list[dict] = []
        self._oldest: float | None = None   # time.monotonic() when the oldest buffered article came
        self.pending: list[asyncio.Future] = []
        self.executor = None
        self.store = self.spool = self._ticker = None
        # For distributed mode's acks (newscrawl/distributed.py): documents taken into the buffer,
        # and how many of them are stored, spooled or set aside (in order; a failed write stops the count).
        self.accepted = self.durable = 0
        self.write_failed = False
        self.unavailable = False   # the store and the spool both failed: the spider is closing

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("MONGODB_ENABLED"):
            raise NotConfigured("MONGODB_ENABLED is off")
        from newscrawl.storage.mongo import STORY_LOOKUPS

        lookup = crawler.settings.get("MONGODB_STORY_LOOKUP") or "auto"
        if lookup not in STORY_LOOKUPS:   # before the crawl starts, not at the store's first use
            raise ValueError(f"MONGODB_STORY_LOOKUP must be one of {', '.join(STORY_LOOKUPS)}, not {lookup!r}")
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    def spider_idle(self):
        """Nothing is being fetched or processed: write the partial batch now rather than at the
        next tick (in distributed mode the other workers wait for this worker's acks)."""
        if self.buffer and self.executor is not None:
            asyncio.ensure_future(self.flush())

    async def open_spider(self):
        from concurrent.futures import ThreadPoolExecutor

        from newscrawl.storage.mongo import mask_uri
        from newscrawl.storage.shared import shared_store
        from newscrawl.storage.spool import Spool, _short

        self.store = shared_store(self.crawler)
        self.spool = Spool(self.spool_dir, spider=self.crawler.spider.name)
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="mongodb-writer")
        uri = mask_uri(self.crawler.settings.get("MONGODB_URI"))
        try:
            # One short check, not the retry path of a batch: a server that is not there is
            # reported in seconds, before anything is fetched.
            await asyncio.to_thread(self.store.ping, self.check_timeout_ms)
        except Exception as exc:
            self.stats.inc_value("newscrawl/mongodb/connect_errors")
            logger.error("MongoDB at %s is not reachable (%s: %s): start the local server (`make demo` or "
                         "`python -m newscrawl.storage.server`), point MONGODB_URI at yours, or crawl without "
                         "storage with -s MONGODB_ENABLED=false; closing the spider (mongodb_unreachable)",
                         uri, type(exc).__name__, _short(exc))
            raise CloseSpider("mongodb_unreachable") from None
        try:
            warnings = await asyncio.to_thread(self.store.ensure_indexes)
            for w in warnings:
                logger.warning("MongoDB: %s", w)
            logger.info("Storing articles in %s (%s.%s)", uri, self.store.db.name, self.store.articles.name)
        except Exception as exc:
            self.stats.inc_value("newscrawl/mongodb/connect_errors")
            logger.error("MongoDB at %s failed while creating indexes (%s: %.300s): articles will be retried, "
                         "then spooled to %s", uri, type(exc).__name__, exc, self.spool_dir)
        self._ticker = asyncio.ensure_future(self._tick())

    async def _tick(self):
        # By the age of the oldest buffered article, not on a fixed clock: a clock also cuts the
        # batch that the size limit was about to write (each batch costs the store one lookup scan
        # on FerretDB).
        while True:
            await asyncio.sleep(min(1.0, self.flush_seconds / 4))
            if self._oldest is not None and time.monotonic() - self._oldest >= self.flush_seconds:
                await self.flush()

    @guarded("store")
    async def process_item(self, item):
        from newscrawl.storage.schema import to_document

        a = ItemAdapter(item)
        doc = to_document({k: v for k, v in a.items() if k not in ("language_method", "duplicate_of")},
                          datetime.now(timezone.utc))
        if self._oldest is None:   # every item goes into the buffer
            self._oldest = time.monotonic()
        self.buffer.append(doc)
        self.accepted += 1
        if len(self.buffer) >= self.buffer_size:
            await self.flush()
        if a.get("duplicate_of"):
            # Stored as an alias of the document holding this text, not exported again.
            raise drop(self.stats, "duplicate_content", a["url"], f"copy of {a['duplicate_of']}")
        return item

    async def flush(self):
        if not self.buffer:
            return
        batch = self.buffer
        self.buffer, self._oldest = [], None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, self._write, batch)
        future.add_done_callback(functools.partial(self._written, self.accepted, len(batch)))
        self.pending = [f for f in self.pending if not f.done()] + [future]
        while len(self.pending) > self.max_pending:
            # asyncio.wait, not await: the waiter may be cancelled (the ticker, at close), and that
            # must not cancel the write (which would then never run: neither stored nor spooled);
            # a failed write is reported by _written, not raised into this item's processing.
            await asyncio.wait(self.pending[:1])
            self.pending = [f for f in self.pending if not f.done()]

    def _written(self, accepted, size, future):
        """Everything accepted before this batch was flushed is now stored, spooled or set aside."""
        from newscrawl.storage.spool import SpoolError, _short

        if future.cancelled() or future.exception() is not None:
            self.write_failed = True
            error = None if future.cancelled() else future.exception()
            lost = getattr(error, "lost", size)
            self.stats.inc_value("newscrawl/mongodb/lost", lost)
            if isinstance(error, SpoolError):
                self._storage_unavailable(error, lost)
                return
            # The error's type and its short text: a bulk write error's full text quotes documents.
            logger.error("MongoDB: a batch of %d article(s) was neither stored nor spooled (%s)",
                         lost, "cancelled" if error is None else f"{type(error).__name__}: {_short(error)}",
                         exc_info=error)
        elif not self.write_failed:
            self.durable = accepted

    def _storage_unavailable(self, error, lost: int) -> None:
        """Neither the store nor the spool took a batch: stop fetching (one ERROR line)."""
        if self.unavailable:
            logger.warning("MongoDB and the spool failed again: %d more article(s) lost", lost)
            return
        self.unavailable = True
        logger.error("MongoDB is failing and the spool cannot take the articles either (%s: %s): %d article(s) "
                     "lost; closing the spider (storage_unavailable)", type(error).__name__, error, lost)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(engine, "spider", None) is not None:
            asyncio.ensure_future(engine.close_spider_async(reason="storage_unavailable"))

    def _write(self, batch):
        """Runs on the writer thread."""
        from newscrawl.storage.spool import SpoolError, write_with_retry

        now = datetime.now(timezone.utc)
        rejects: list = []
        try:
            counts = write_with_retry(self.store, batch, attempts=1 if self.unavailable else self.attempts,
                                      backoff_s=self.backoff, spool=self.spool, now=now, rejects=rejects,
                                      on_retry=lambda exc: self.stats.inc_value("newscrawl/mongodb/retries"))
        except SpoolError as exc:
            exc.lost = len(batch) - len(rejects)
            raise
        finally:
            self._set_aside(rejects, now)
        if counts is None:
            self.stats.inc_value("newscrawl/mongodb/spooled", len(batch) - len(rejects))
        else:
            for key, value in counts.items():
                if key != "rejected":   # counted by reason in _set_aside
                    self.stats.inc_value(f"newscrawl/mongodb/{key}", value)
        self.stats.inc_value("newscrawl/mongodb/batches")

    def _set_aside(self, rejects: list, now) -> None:
        """Count, log (URL and reason) and keep for inspection the documents the store refused."""
        from newscrawl.storage.mongo import _url_of

        if not rejects:
            return
        for doc, reason, _ in rejects:
            self.stats.inc_value("newscrawl/mongodb/rejected")
            self.stats.inc_value(f"newscrawl/mongodb/rejected/{reason}")
            logger.warning("MongoDB: %s set aside (%s): not stored", _url_of(doc), reason)
        try:
            self.spool.reject(rejects, now)
        except OSError as exc:
            logger.error("Could not write %d rejected document(s) to %s (%s)", len(rejects), self.spool.rejects_path,
                         exc)

    async def close_spider(self):
        if self._ticker:
            self._ticker.cancel()
        if self.executor is None:
            return
        await self.flush()
        if self.pending:   # every write ends in the store, the spool or the error log of _written
            await asyncio.wait(self.pending)
        self.executor.shutdown(wait=True)
