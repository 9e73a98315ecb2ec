"""The scheduler of a distributed crawl (the Distributed add-on installs it with
`NEWSCRAWL_DISTRIBUTED=redis`; docs/distributed.md): scrapy-redis's scheduler, made
loss-free, so every worker process of a spider shares one request queue (`<spider>:requests`,
newscrawl.distributed.queue) and one dupefilter (newscrawl.distributed.dupefilter) in Redis.

* A popped request stays in this worker's in-flight set until it is done and everything it yielded
  is durable: the store pipeline's signals (newscrawl.signals.article_accepted / articles_durable /
  storage_failed) say so; without a store a done request is acknowledged at once.
* Workers keep a heartbeat (NEWSCRAWL_REDIS_WORKER_TTL_SECONDS); the in-flight requests of a dead
  one go back into the queue (checked every RECLAIM_SECONDS by every worker).
* Redis outages: requests scheduled meanwhile are held in memory and queued when Redis answers
  again; a worker waits up to NEWSCRAWL_REDIS_OUTAGE_SECONDS, then closes (`redis_unavailable`,
  `scrapy crawl` exits 4) after writing them to the request spool (newscrawl.distributed.spool),
  which the next start queues again.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from pathlib import Path

import redis
from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from newscrawl import signals as newscrawl_signals
from newscrawl.distributed import defaults
from newscrawl.distributed import serializer as codec
from newscrawl.distributed.connection import REDIS_ERRORS, mask_redis_url, redis_password
from newscrawl.distributed.defaults import RECLAIM_SECONDS, TICK_SECONDS
from newscrawl.distributed.queue import ReliablePriorityQueue
from newscrawl.distributed.spool import RequestSpool
from newscrawl.storage.spool import spool_dir

logger = logging.getLogger(__name__)

# Exit code of `scrapy crawl` (newscrawl/commands/crawl.py) when a worker closed because Redis
# stayed unreachable; the spiders that did, in this process.
REDIS_UNAVAILABLE_EXIT_CODE = 4
UNAVAILABLE: list[str] = []


class ReliableScheduler(Scheduler):
    """scrapy-redis's scheduler with acknowledged pops (ReliablePriorityQueue), worker heartbeats,
    reclaim of dead workers' requests, and Redis outages ridden out without losing a request.

    A popped request is done when neither the downloader nor the scraper has it any more
    (`engine.downloader.active`, `engine.scraper.slot.active`; the engine hands a request from one
    to the other within one reactor call, so there is no moment it is in neither): its download
    (and any redirect or retry, scheduled as a new request) and its callback or errback output are
    through, every item it yielded has left the item pipelines. It is then acknowledged once the
    store has stored or spooled everything it accepted up to that moment (signal `articles_durable`),
    so a worker killed with articles in its buffer leaves their requests in its in-flight set."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.crawler = None
        self.worker_ttl = float(defaults.NEWSCRAWL_REDIS_WORKER_TTL_SECONDS)
        self.outage_seconds = float(defaults.NEWSCRAWL_REDIS_OUTAGE_SECONDS)
        self.spool_dir: Path | None = None   # <MONGODB_SPOOL_DIR>/redis
        self.spool: RequestSpool | None = None
        self.url = "redis"
        self.secret = None
        self.pending: deque = deque()       # requests scheduled while Redis was unreachable
        self.popped: dict = {}              # request -> token, while the engine works on it
        self.acks: deque = deque()          # (token, articles accepted by the store when it was done)
        self.accepted = 0                   # articles the store took (signal article_accepted)
        self.durable = 0                    # of those, stored or spooled (signal articles_durable)
        self.write_failed = False           # the store lost a batch (signal storage_failed): no more acks
        self.others_busy = 0                # other live workers with requests in flight
        self.down_since: float | None = None
        self._closing = False
        self._next_beat = self._next_reclaim = 0.0
        self._loop = None
        self.refused: Exception | None = None   # Redis did not take us at start: the worker closes
        # Never downloaded (dont_filter: OffsiteMiddleware lets it through to _drop_wakeup).
        self._wakeup = Request("https://wakeup.invalid/", dont_filter=True)

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        try:
            scheduler = super().from_crawler(crawler)   # scrapy-redis pings the server here
        except (*REDIS_ERRORS, redis.exceptions.ResponseError) as exc:
            # Wrong credentials or no server: one ERROR line at open and a clean close, no traceback.
            scheduler = cls(server=None)
            scheduler.stats = crawler.stats
            scheduler.refused = exc
        scheduler.crawler = crawler
        scheduler.worker_ttl = max(1.0, s.getfloat("NEWSCRAWL_REDIS_WORKER_TTL_SECONDS",
                                                   defaults.NEWSCRAWL_REDIS_WORKER_TTL_SECONDS))
        scheduler.outage_seconds = max(0.0, s.getfloat("NEWSCRAWL_REDIS_OUTAGE_SECONDS",
                                                       defaults.NEWSCRAWL_REDIS_OUTAGE_SECONDS))
        scheduler.spool_dir = spool_dir(s) / "redis"
        crawler.signals.connect(scheduler._article_accepted, signal=newscrawl_signals.article_accepted)
        crawler.signals.connect(scheduler._articles_durable, signal=newscrawl_signals.articles_durable)
        crawler.signals.connect(scheduler._storage_failed, signal=newscrawl_signals.storage_failed)
        crawler.signals.connect(scheduler._drop_wakeup, signal=signals.request_scheduled)
        scheduler.url = mask_redis_url(s.get("REDIS_URL") or f"{s.get('REDIS_HOST')}:{s.get('REDIS_PORT')}")
        scheduler.secret = redis_password(s.get("REDIS_URL"))
        return scheduler

    # ---- Scrapy's scheduler interface ---------------------------------------------------------

    def open(self, spider):
        if self.refused is not None:
            self.spider = spider
            self._refuse(self.refused)
            return
        super().open(spider)
        if not isinstance(self.queue, ReliablePriorityQueue) or not hasattr(self.df, "filter_spec"):
            raise ValueError("ReliableScheduler needs SCHEDULER_QUEUE_CLASS "
                             "newscrawl.distributed.queue.ReliablePriorityQueue and DUPEFILTER_CLASS "
                             "newscrawl.distributed.dupefilter.BoundedDupeFilter")
        self.queue.beat(self.worker_ttl)
        logger.info("Distributed crawl: worker %s on the shared queue %s at %s", self.queue.worker, self.queue.key,
                    self.url)
        self.spool = RequestSpool(self.spool_dir, spider.name, self.queue, self.stats)
        self.pending.extend(self.spool.read())   # queued (through the dupefilter) right away
        try:
            self._flush_pending()
            self._reclaim()
        except REDIS_ERRORS as exc:
            self._outage(exc)
        self._loop = LoopingCall(self._tick)
        self._loop.start(TICK_SECONDS, now=False)

    def _refuse(self, exc):
        auth = isinstance(exc, redis.exceptions.AuthenticationError) or str(exc).startswith(("NOAUTH", "WRONGPASS"))
        if auth:
            logger.error("Redis at %s refused the credentials of REDIS_URL (%s: %s): set the server's password (and "
                         "user) in the environment variable REDIS_URL; the worker closes", self.url,
                         type(exc).__name__, self._safe(exc))
        else:
            logger.error("Redis at %s unreachable at start (%s: %s): start redis-server or correct REDIS_URL; the "
                         "worker closes", self.url, type(exc).__name__, self._safe(exc))
        UNAVAILABLE.append(self.spider.name)
        self._closing = True

        def close(spider):
            raise CloseSpider("redis_unavailable")

        self._close_at_open = close   # signals hold weak references
        self.crawler.signals.connect(close, signal=signals.spider_opened)

    def enqueue_request(self, request):
        if self.refused is not None:
            return False
        if self.down_since is None:
            try:
                return self._push(request)
            except REDIS_ERRORS as exc:
                self._outage(exc)
        self.pending.append(request)
        self._inc("held")
        return True

    def next_request(self):
        if self.down_since is not None or self._closing:
            return None
        try:
            request, token = self.queue.pop_with_token()
        except REDIS_ERRORS as exc:
            self._outage(exc)
            return None
        if request is None:
            return None
        self.popped[request] = token
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        if self.refused is not None:
            return False
        if self.pending or self.down_since is not None:
            return True   # keeps the worker open while Redis is away
        try:
            return len(self.queue) > 0
        except REDIS_ERRORS as exc:
            self._outage(exc)
            return True

    def __len__(self):
        if self.refused is not None:
            return 0
        try:
            return len(self.pending) + (len(self.queue) if self.down_since is None else 0)
        except REDIS_ERRORS:
            return len(self.pending)

    def close(self, reason):
        """After the item pipelines closed (MongoPipeline flushed): ack what is done, requeue what
        is not, or, with Redis away, spool the held requests and leave the in-flight set to be
        reclaimed."""
        if self.refused is not None:
            return
        self._closing = True
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._collect_done()
        try:
            if self.down_since is not None:
                self.server.ping()
                self.down_since = None
            self._flush_pending()
            self._flush_acks()
            requeued = self.queue.release()
            if requeued:
                self._inc("requeued", requeued)
                logger.info("Put %d unfinished requests back into the shared queue", requeued)
            super().close(reason)
        except REDIS_ERRORS as exc:
            self._outage(exc)
            held = len(self.pending)
            path = self.spool.write(self.pending, self._unserializable)[0] if held else None
            self.pending.clear()
            logger.warning("Redis at %s unreachable at close: %d held requests written to %s; this worker's requests "
                           "in flight stay in %s, requeued by another worker or the next start %.0f s after its last "
                           "heartbeat", self.url, held, path or "no spool file", self.queue.inflight_key,
                           self.worker_ttl)

    def busy(self) -> bool:
        """Work not visible in the shared queue: requests held here or in flight in any worker,
        acks waiting for the MongoPipeline (unless its writes failed: then they wait for close and
        are requeued), or Redis away."""
        return bool(self.popped or self.pending or self.others_busy or self.down_since is not None
                    or (self.acks and not self.write_failed))

    # ---- periodic work ------------------------------------------------------------------------

    def _tick(self):
        try:
            self._collect_done()
            if self.down_since is not None and not self._probe():
                return
            now = time.monotonic()
            if now >= self._next_beat:
                self.queue.beat(self.worker_ttl)
                self._next_beat = now + max(0.5, self.worker_ttl / 3)
            self._flush_pending()
            self._flush_acks()
            if now >= self._next_reclaim:
                self._reclaim()
                self._next_reclaim = now + RECLAIM_SECONDS
        except REDIS_ERRORS as exc:
            self._outage(exc)
        except Exception:
            logger.exception("Distributed scheduler: periodic work failed")

    def _collect_done(self):
        """Requests neither downloading nor being scraped are done: queue their acks with the
        store's accepted count, which must be durable before the ack is sent."""
        if not self.popped:
            return
        engine = getattr(self.crawler, "engine", None)
        downloading = getattr(getattr(engine, "downloader", None), "active", None)
        scraping = getattr(getattr(getattr(engine, "scraper", None), "slot", None), "active", None)
        if downloading is None or scraping is None:
            return   # no engine to ask (or not open yet): acks wait for close, when nothing is in progress
        for request in [r for r in self.popped if r not in downloading and r not in scraping]:
            self.acks.append((self.popped.pop(request), self.accepted))

    def _flush_acks(self):
        # Requests held in memory first: those a done request yielded must be queued before its ack.
        if self.pending or not self.acks:
            return
        n = 0
        while n < len(self.acks) and self.acks[n][1] <= self.durable:
            n += 1
        if n:
            self.queue.ack([self.acks[i][0] for i in range(n)])
            for _ in range(n):
                self.acks.popleft()
            self._inc("acked", n)

    def _flush_pending(self):
        while self.pending:
            request = self.pending[0]
            if not self._push(request):
                self.crawler.signals.send_catch_log(signals.request_dropped, request=request, spider=self.spider)
            self.pending.popleft()
        if self.spool is not None:
            self.spool.forget_read()

    def check_workers(self):
        """Look at the other workers now (reclaiming dead ones' requests), not at the next tick."""
        try:
            self._reclaim()
        except REDIS_ERRORS as exc:
            self._outage(exc)

    def _reclaim(self):
        reclaimed, self.others_busy = self.queue.reclaim_dead()
        for worker, count in reclaimed.items():
            if count:
                self._inc("reclaimed", count)
                logger.warning("Worker %s is gone (no heartbeat for NEWSCRAWL_REDIS_WORKER_TTL_SECONDS, %.0f s): its "
                               "%d requests in flight are back in the shared queue", worker, self.worker_ttl, count)
                self.wake_engine()

    def _probe(self) -> bool:
        """During an outage: True once Redis answers again; closes the spider after the outage limit."""
        try:
            self.server.ping()
        except REDIS_ERRORS:
            waited = time.monotonic() - self.down_since
            if waited > self.outage_seconds and not self._closing:
                self._closing = True
                logger.error("Redis at %s unreachable for %.0f s (NEWSCRAWL_REDIS_OUTAGE_SECONDS): closing the "
                             "spider; %d requests held in memory are spooled to %s", self.url, waited,
                             len(self.pending), self.spool_dir)
                UNAVAILABLE.append(self.spider.name)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_unavailable"))
            return False
        waited = time.monotonic() - self.down_since
        self.down_since = None
        self._inc("outage_seconds", round(waited, 1))
        self._next_beat = 0.0   # the heartbeat may have expired meanwhile
        logger.info("Redis at %s is back after %.1f s: queueing %d held requests, resuming", self.url, waited,
                    len(self.pending))
        try:
            orphans = self.queue.requeue_orphans(set(self.popped.values()) | {token for token, _ in self.acks})
        except REDIS_ERRORS as exc:
            self._outage(exc)
            return False
        if orphans:
            self._inc("orphans_requeued", orphans)
            logger.warning("Put %d requests back into the shared queue that Redis had handed out as the connection "
                           "broke", orphans)
        self.wake_engine()
        return True

    def _outage(self, exc):
        self._inc("errors")
        if self.down_since is None:
            self.down_since = time.monotonic()
            self._inc("outages")
            logger.warning("Redis at %s unreachable (%s: %s): requests are held in memory and the crawl waits for it "
                           "up to %.0f s (NEWSCRAWL_REDIS_OUTAGE_SECONDS)", self.url, type(exc).__name__,
                           self._safe(exc), self.outage_seconds)

    # ---- helpers ------------------------------------------------------------------------------

    def _push(self, request) -> bool:
        """Queue `request` (dupefilter check and queue in one Lua call); False if a duplicate."""
        keys, args = ([], ["none", "", 0]) if request.dont_filter else self.df.filter_spec(request)
        try:
            queued = self.queue.push(request, keys, args)
        except codec.RejectedRequest as exc:
            self._unserializable(request, exc)
            return False
        if queued:
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
            return True
        self.df.log(request, self.spider)
        return False

    def _unserializable(self, request, reason):
        """A request that cannot be a queue entry (an object in its meta, a callback not shared):
        dropped, counted and logged with its URL, since no other worker could run it either."""
        self._inc("unserializable")
        logger.error("Cannot queue %s in Redis: %s", request.url, reason)
        self.crawler.signals.send_catch_log(signals.request_dropped, request=request, spider=self.spider)

    # ---- the store's signals ------------------------------------------------------------------

    def _article_accepted(self, item):
        self.accepted += 1

    def _articles_durable(self, count):
        if not self.write_failed:   # after a lost batch nothing more is acknowledged
            self.durable = count

    def _storage_failed(self, reason):
        self.write_failed = True

    # ---- waking the engine ----------------------------------------------------------------------

    def wake_engine(self):
        """Make the engine ask for requests (and see whether it is idle) now rather than at its next
        5 s heartbeat. Its only public call that does is `crawl()`, which always schedules the
        engine's next loop: it gets a wake-up request that `_drop_wakeup` (a request_scheduled
        receiver; raising IgnoreRequest is the signal's documented way to drop a request) keeps out
        of the scheduler, so nothing is queued, counted or downloaded."""
        engine = getattr(self.crawler, "engine", None)
        if engine is None or getattr(engine, "spider", None) is None or self._closing:
            return
        engine.crawl(self._wakeup)

    def _drop_wakeup(self, request, spider=None):
        if request is self._wakeup:
            raise IgnoreRequest("wake-up")

    def _inc(self, key, count=1):
        if self.stats and count:
            self.stats.inc_value(f"newscrawl/redis/{key}", count)

    def _safe(self, value) -> str:
        text = str(value)
        return text.replace(self.secret, "***") if self.secret else text
