"""Writing articles without blocking the crawl: `BatchWriter` buffers documents and writes each batch
on one worker thread with `write_with_retry`: retried on outages with exponential backoff, then
spooled to disk (storage/spool.py); documents the store refuses are set aside in the rejects file
(the store finds them by halving the batch, storage/articles.py) while the rest is written.

Settings (read by `BatchWriter.from_crawler`, defaults in settings.py): MONGODB_BUFFER_SIZE,
MONGODB_FLUSH_SECONDS, MONGODB_RETRY_ATTEMPTS, MONGODB_RETRY_BACKOFF_SECONDS,
MONGODB_MAX_PENDING_BATCHES, MONGODB_SPOOL_DIR.

Signals (newscrawl/signals.py): `articles_durable` (count: documents accepted so far that are now
stored, spooled or set aside; a failed write stops the count) and `storage_failed` (reason) when a
batch is neither stored nor spooled.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable

from pymongo.errors import (AutoReconnect, BulkWriteError, NetworkTimeout, OperationFailure, PyMongoError,
                             ServerSelectionTimeoutError)

from newscrawl import signals as newscrawl_signals

from .articles import COUNT_KEYS, ArticleStore, WriteConflict, url_of
from .client import DUPLICATE_KEY, TRANSIENT_CODES, mask_uri, short_error
from .spool import Spool, SpoolError, spool_dir

logger = logging.getLogger(__name__)


def is_transient(exc: BaseException) -> bool:
    """True for errors worth retrying: connection/selection/network errors, transient server
    codes, bulk writes that failed for another reason than a duplicate key, and WriteConflict."""
    if isinstance(exc, (AutoReconnect, ServerSelectionTimeoutError, NetworkTimeout, WriteConflict)):
        return True
    if isinstance(exc, BulkWriteError):
        errors = (exc.details or {}).get("writeErrors") or []
        concern = (exc.details or {}).get("writeConcernErrors") or []
        return bool(concern) or any(e.get("code") != DUPLICATE_KEY for e in errors)
    if isinstance(exc, OperationFailure):
        return exc.code in TRANSIENT_CODES or exc.has_error_label("RetryableWriteError")
    return False


def write_with_retry(store: ArticleStore, docs: list[Any], *, attempts: int = 3, backoff_s: float = 1.0,
                     spool: Spool | None = None, now: datetime | None = None, rejects: list | None = None,
                     on_retry: Callable[[BaseException], None] | None = None) -> dict | None:
    """`store.upsert_batch(docs)`, retried `attempts` times in all on transient errors, waiting
    backoff_s, 2*backoff_s, 4*backoff_s ... between attempts (`on_retry(error)` before each
    retry). Returns the counts; when every attempt failed, appends the batch to `spool`, logs the
    spool path at ERROR and returns None (without a spool, the last error is raised). Another
    server error is not retried but spooled too, so the batch is not lost; other errors are raised.

    Documents the store or the spool refuses (see `ArticleStore.upsert_batch`) are appended to
    `rejects` as (document, reason, detail), each once; the others are stored or spooled. A spool
    that cannot take the batch raises SpoolError (nothing of the batch is stored or spooled)."""
    if not docs:
        return dict.fromkeys(COUNT_KEYS, 0)
    attempts = max(1, attempts)
    last: BaseException | None = None
    for attempt in range(attempts):
        refused: list = []
        try:
            counts = store.upsert_batch(docs, now, rejects=refused)
        except Exception as exc:  # noqa: BLE001 - classified below
            if not is_transient(exc):
                if spool is None or not isinstance(exc, PyMongoError):
                    raise
                last = exc
                break
            last = exc
            if attempt + 1 < attempts:
                delay = backoff_s * (2 ** attempt)
                logger.warning("write of %d article(s) to %s failed (%s: %s); retry %d/%d in %.1f s",
                               len(docs), mask_uri(store.uri), type(exc).__name__, short_error(exc),
                               attempt + 1, attempts - 1, delay)
                if on_retry is not None:
                    on_retry(exc)
                time.sleep(delay)
        else:
            _hand_over(refused, rejects, "not stored")
            return counts
    if spool is None:
        raise last  # type: ignore[misc]
    refused = []
    try:
        path = spool.write(docs, now, rejects=refused)
    finally:   # refused documents are set aside even when the spool then fails
        _hand_over(refused, rejects, "not spooled")
    logger.error("MongoDB %s unavailable after %d attempt(s) (%s: %s): %d article(s) spooled to %s; "
                 "replay with `python -m newscrawl.storage replay --spool %s`",
                 mask_uri(store.uri), attempts, type(last).__name__, short_error(last), len(docs) - len(refused), path,
                 spool.directory)
    return None


def _hand_over(refused: list, rejects: list | None, what: str) -> None:
    if rejects is not None:
        rejects.extend(refused)
    else:
        for doc, reason, _ in refused:
            logger.warning("MongoDB: %s set aside (%s): %s", url_of(doc), reason, what)


class BatchWriter:
    """Buffers documents and writes them in batches on one worker thread.

    A batch is written when MONGODB_BUFFER_SIZE documents wait, when the oldest has waited
    MONGODB_FLUSH_SECONDS (`tick`), on `flush()` (the crawl is idle) and at `close()`. When more than
    MONGODB_MAX_PENDING_BATCHES batches are in flight, `flush` waits (back-pressure). When neither the
    store nor the spool can take a batch, `on_unavailable(error, lost)` is called once (the
    pipeline closes the spider) and later batches get one attempt each."""

    def __init__(self, crawler, store: ArticleStore, spool: Spool, *, buffer_size: int, flush_seconds: float,
                 attempts: int, backoff_s: float, max_pending: int, on_unavailable: Callable[[BaseException, int], Any]):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store, self.spool = store, spool
        self.buffer_size, self.flush_seconds = buffer_size, flush_seconds
        self.attempts, self.backoff, self.max_pending = attempts, backoff_s, max_pending
        self.on_unavailable = on_unavailable
        self.buffer: list[dict] = []
        self._oldest: float | None = None   # time.monotonic() when the oldest buffered document came
        self.pending: list[asyncio.Future] = []
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="mongodb-writer")
        self.accepted = 0          # documents taken into the buffer
        self.write_failed = False  # a batch was neither stored nor spooled: the durable count stops
        self.unavailable = False   # the store and the spool both failed

    @classmethod
    def from_crawler(cls, crawler, store: ArticleStore, on_unavailable) -> "BatchWriter":
        s = crawler.settings
        return cls(crawler, store, Spool(spool_dir(s), spider=crawler.spider.name),
                   buffer_size=s.getint("MONGODB_BUFFER_SIZE"), flush_seconds=s.getfloat("MONGODB_FLUSH_SECONDS"),
                   attempts=s.getint("MONGODB_RETRY_ATTEMPTS"), backoff_s=s.getfloat("MONGODB_RETRY_BACKOFF_SECONDS"),
                   max_pending=s.getint("MONGODB_MAX_PENDING_BATCHES"), on_unavailable=on_unavailable)

    @property
    def waiting(self) -> bool:
        return bool(self.buffer)

    def take(self, doc: dict) -> None:
        """Buffer a document (it counts as accepted from now on)."""
        if self._oldest is None:
            self._oldest = time.monotonic()
        self.buffer.append(doc)
        self.accepted += 1

    async def flush_if_full(self) -> None:
        if len(self.buffer) >= self.buffer_size:
            await self.flush()

    async def tick(self) -> None:
        """Flush by the age of the oldest buffered document, not on a fixed clock: a clock also cuts
        the batch that the size limit was about to write (each batch costs the store one lookup scan
        on FerretDB). Runs until cancelled."""
        while True:
            await asyncio.sleep(min(1.0, self.flush_seconds / 4))
            if self._oldest is not None and time.monotonic() - self._oldest >= self.flush_seconds:
                await self.flush()

    async def flush(self) -> None:
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

    async def close(self) -> None:
        """Write what is buffered and wait for every write: each ends in the store, the spool or the
        error log of `_written`."""
        await self.flush()
        if self.pending:
            await asyncio.wait(self.pending)
        self.executor.shutdown(wait=True)

    def _written(self, accepted: int, size: int, future) -> None:
        """Everything accepted before this batch was flushed is now stored, spooled or set aside."""
        if future.cancelled() or future.exception() is not None:
            self.write_failed = True
            error = None if future.cancelled() else future.exception()
            lost = getattr(error, "lost", size)
            self.stats.inc_value("newscrawl/mongodb/lost", lost)
            if isinstance(error, SpoolError):
                if self.unavailable:
                    logger.warning("MongoDB and the spool failed again: %d more article(s) lost", lost)
                else:
                    self.unavailable = True
                    self.on_unavailable(error, lost)
                reason = "storage_unavailable"
            else:
                # The error's type and its short text: a bulk write error's full text quotes documents.
                logger.error("MongoDB: a batch of %d article(s) was neither stored nor spooled (%s)",
                             lost, "cancelled" if error is None else f"{type(error).__name__}: {short_error(error)}",
                             exc_info=error)
                reason = "write_failed"
            self.crawler.signals.send_catch_log(newscrawl_signals.storage_failed, reason=reason)
        elif not self.write_failed:
            self.crawler.signals.send_catch_log(newscrawl_signals.articles_durable, count=accepted)

    def _write(self, batch: list[dict]) -> None:
        """Runs on the writer thread."""
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
        if not rejects:
            return
        for doc, reason, _ in rejects:
            self.stats.inc_value("newscrawl/mongodb/rejected")
            self.stats.inc_value(f"newscrawl/mongodb/rejected/{reason}")
            logger.warning("MongoDB: %s set aside (%s): not stored", url_of(doc), reason)
        try:
            self.spool.reject(rejects, now)
        except OSError as exc:
            logger.error("Could not write %d rejected document(s) to %s (%s)", len(rejects), self.spool.rejects_path,
                         exc)
