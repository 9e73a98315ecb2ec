"""Distributed crawling on Redis (README "Distributed crawling"): with `NEWSCRAWL_DISTRIBUTED=redis`,
settings.py puts `ReliableScheduler` (scrapy-redis's scheduler, made loss-free) in place, so every
worker process of a spider shares one request queue (`<spider>:requests`, a sorted set by priority)
and one dupefilter in Redis.

* `BoundedDupeFilter`: request fingerprints in one Redis set per UTC day
  (`<spider>:dupefilter:<YYYYMMDD>`), each expiring after `NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS`;
  a request is a duplicate when its fingerprint is in any of the live days' sets, so memory holds
  at most that many days of fingerprints however long the crawl runs. Discovery requests (feeds,
  sitemaps) are deduplicated only for `NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS`: one worker reads a
  feed, and a later crawl reads it again.
* `ReliablePriorityQueue`: a pop moves the request, in one Lua script, from the queue into the
  worker's in-flight set `<spider>:inflight:<worker>`; it leaves that set (ack) only once the
  request is done: its callback output consumed, its items through the pipelines and stored or
  spooled by the MongoPipeline. A request is queued by one Lua script that checks and records its
  fingerprint and adds it to the queue, so a kill can never record one without the other.
* Workers announce themselves in `<spider>:workers` and keep a heartbeat key `<spider>:worker:<id>`
  alive (`NEWSCRAWL_REDIS_WORKER_TTL_SECONDS`); the in-flight set of a worker whose heartbeat
  expired (killed, host lost) is moved back into the queue by any other worker, or by the next one
  to start.
* Redis outages (`ReliableScheduler`): requests scheduled meanwhile are kept in memory and queued
  when Redis answers again; a worker waits up to `NEWSCRAWL_REDIS_OUTAGE_SECONDS`, then closes
  (`redis_unavailable`) after writing them to `<MONGODB_SPOOL_DIR>/redis/`, which the next start
  queues again.
* `IdleWait`: an idle worker (empty shared queue, nothing in flight here or in any other worker)
  waits `NEWSCRAWL_REDIS_IDLE_SECONDS` for other workers' feeds to fill the queue before it closes.
* `python -m newscrawl.distributed clear --spider NAME` deletes a spider's keys.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import re
import socket
import stat
import sys
import time
import uuid
from collections import deque
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import redis
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from newscrawl import distributed_serializer
from newscrawl.storage.mongo import mask_uri

logger = logging.getLogger(__name__)

# Callbacks of discovery requests (source spiders' feeds, the generic spider's sitemaps and feeds).
DISCOVERY_CALLBACKS = ("parse_feed", "parse_discovery")
# Redis unreachable (refused, reset, timed out, still loading its data after a restart).
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
TICK_SECONDS = 1.0        # heartbeat, acks, held requests and outage probes run this often
# Exit code of `scrapy crawl` (newscrawl/commands/crawl.py) when a worker closed because Redis
# stayed unreachable; the spiders that did, in this process.
REDIS_UNAVAILABLE_EXIT_CODE = 4
UNAVAILABLE: list[str] = []
RECLAIM_SECONDS = 2.0     # other workers' liveness is checked (and dead ones reclaimed) this often
REJECTS_PER_POP = 100     # undecodable entries dropped per pop before the engine gets control back

# Queue a request unless it is a duplicate, in one step: KEYS[1] the queue, KEYS[2..] the dupefilter
# keys of ARGV[3] mode ('none': no filter; 'marker': SET NX EX, a feed read once per interval;
# 'set': one unbounded set; 'days': KEYS[2] today's set, KEYS[3..] the older live days).
# ARGV[1] the encoded request ('' = only check and record the fingerprint), ARGV[2] its score,
# ARGV[4] the fingerprint, ARGV[5] the TTL in seconds. Returns 1 if new (and queued), 0 if a duplicate.
ENQUEUE_LUA = """
local mode, fp, ttl = ARGV[3], ARGV[4], ARGV[5]
if mode == 'marker' then
  if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ttl) then return 0 end
elseif mode == 'set' then
  if redis.call('SADD', KEYS[2], fp) == 0 then return 0 end
elseif mode == 'days' then
  for i = 3, #KEYS do
    if redis.call('SISMEMBER', KEYS[i], fp) == 1 then return 0 end
  end
  local added = redis.call('SADD', KEYS[2], fp)
  redis.call('EXPIRE', KEYS[2], ttl)
  if added == 0 then return 0 end
end
if ARGV[1] ~= '' then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
return 1
"""

# Take the first request of the queue KEYS[1] into the in-flight set KEYS[2] (same score, so a
# reclaim restores its priority); ARGV[1], the worker, is (re)registered in KEYS[3].
POP_LUA = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('ZADD', KEYS[2], top[2], top[1])
redis.call('SADD', KEYS[3], ARGV[1])
return top[1]
"""

# Move the in-flight set KEYS[2] of worker ARGV[1] back into the queue KEYS[1] and unregister the
# worker (KEYS[3] its heartbeat, KEYS[4] the registry). Unless ARGV[2] is '1' (a worker releasing
# its own set at close), nothing happens while the heartbeat lives: returns -1. Else the count.
RECLAIM_LUA = """
if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local items = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #items, 2 do redis.call('ZADD', KEYS[1], items[i + 1], items[i]) end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
return #items / 2
"""
# Back from a worker's in-flight set into the queue, with their scores: requests Redis handed out
# whose reply never reached the worker (the connection broke in between).
REQUEUE_LUA = """
local n = 0
for i = 1, #ARGV do
  local score = redis.call('ZSCORE', KEYS[2], ARGV[i])
  if score then
    redis.call('ZADD', KEYS[1], score, ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n
"""


def mask_redis_url(url) -> str:
    """REDIS_URL safe for logs: the password (user info or `?password=`) replaced by `***`."""
    return re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", mask_uri(url or ""))


def redis_password(url) -> str | None:
    """The password in a Redis URL, if any (masked out of any text we log)."""
    try:
        parts = urlsplit(url or "")
        found = re.search(r"(?i)(?:^|&)password=([^&#]*)", parts.query)
        return unquote(parts.password or (found.group(1) if found else "")) or None
    except ValueError:
        return None


def spider_keys(spider_name: str) -> dict[str, str]:
    """Key names and prefixes of a spider's worker bookkeeping."""
    return {"inflight": f"{spider_name}:inflight:", "worker": f"{spider_name}:worker:",
            "workers": f"{spider_name}:workers"}


class BoundedDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with day buckets that expire (bounded memory); TTL 0 = one unbounded set."""

    def __init__(self, server, key, debug=False, ttl_days=7, feed_interval=600):
        super().__init__(server, key, debug)
        self.ttl_days = max(0, int(ttl_days))
        self.feed_interval = max(0, int(feed_interval))
        self._script = server.register_script(ENQUEUE_LUA)

    @classmethod
    def from_spider(cls, spider):
        df = super().from_spider(spider)
        settings = spider.settings
        df.ttl_days = max(0, settings.getint("NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS", 7))
        df.feed_interval = max(0, settings.getint("NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS", 600))
        return df

    def bucket_keys(self, now: datetime | None = None) -> list[str]:
        """The live day sets, today's first."""
        now = now or datetime.now(timezone.utc)
        return [f"{self.key}:{(now - timedelta(days=d)):%Y%m%d}" for d in range(self.ttl_days)]

    def filter_spec(self, request) -> tuple[list[str], list]:
        """The dupefilter part of ENQUEUE_LUA for `request`: (keys, [mode, fingerprint, ttl])."""
        fp = self.request_fingerprint(request)
        if getattr(request.callback, "__name__", None) in DISCOVERY_CALLBACKS and self.feed_interval:
            # One read of a feed per interval across all workers.
            return [f"{self.key}:feed:{fp}"], ["marker", fp, self.feed_interval]
        if not self.ttl_days:
            return [self.key], ["set", fp, 0]
        return self.bucket_keys(), ["days", fp, self.ttl_days * 86400]

    def request_seen(self, request):
        keys, args = self.filter_spec(request)
        return not self._script(keys=["", *keys], args=["", 0, *args])

    def clear(self):
        """Called by the scheduler's flush (SCHEDULER_PERSIST false, SCHEDULER_FLUSH_ON_START)."""
        self.server.delete(self.key, *self.server.scan_iter(match=f"{self.key}:*", count=1000))


class ReliablePriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pops are acknowledged: a popped request stays in this
    worker's in-flight set until `ack`, and goes back into the queue if the worker dies."""

    def __init__(self, server, spider, key, serializer=None):
        # Never pickle (scrapy-redis's default): whoever can write to Redis would run code here.
        if serializer is not None and serializer is not distributed_serializer:
            raise ValueError(f"SCHEDULER_SERIALIZER {getattr(serializer, '__name__', serializer)!r}: the shared queue "
                             "holds JSON only (newscrawl.distributed_serializer)")
        super().__init__(server, spider, key, distributed_serializer)
        settings = getattr(spider, "settings", None)
        self.max_bytes = (settings.getint("NEWSCRAWL_REDIS_MAX_REQUEST_BYTES", distributed_serializer.MAX_REQUEST_BYTES)
                          if settings is not None else distributed_serializer.MAX_REQUEST_BYTES)
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        names = spider_keys(spider.name)
        self.inflight_prefix, self.heartbeat_prefix = names["inflight"], names["worker"]
        self.registry_key = names["workers"]
        self.inflight_key = self.inflight_prefix + self.worker
        self.heartbeat_key = self.heartbeat_prefix + self.worker
        self._enqueue = server.register_script(ENQUEUE_LUA)
        self._pop = server.register_script(POP_LUA)
        self._reclaim = server.register_script(RECLAIM_LUA)
        self._requeue = server.register_script(REQUEUE_LUA)

    def push(self, request, filter_keys=(), filter_args=("none", "", 0)) -> bool:
        """Queue `request` unless the dupefilter spec (BoundedDupeFilter.filter_spec) finds it seen."""
        data = self._encode_request(request)
        return bool(self._enqueue(keys=[self.key, *filter_keys], args=[data, -request.priority, *filter_args]))

    def _encode_request(self, request) -> bytes:
        return distributed_serializer.request_to_json(request, self.spider, self.max_bytes)

    def _decode_request(self, encoded_request):
        return distributed_serializer.request_from_json(encoded_request, self.spider, self.max_bytes)

    def pop_with_token(self):
        """(request, token) of the first queued request that decodes, now in flight; (None, None)
        when empty. The token (the encoded request) is what `ack` takes. Entries that do not decode
        are removed and counted (`newscrawl/redis/rejected`)."""
        for _ in range(REJECTS_PER_POP):
            data = self._pop(keys=[self.key, self.inflight_key, self.registry_key], args=[self.worker])
            if not data:
                return None, None
            try:
                return self._decode_request(data), data
            except distributed_serializer.RejectedRequest as exc:
                self.reject(data, exc)
        return None, None

    def reject(self, data, reason) -> None:
        """Drop an entry that is not a request this crawler wrote (never executed, never retried)."""
        self.ack([data])
        stats = getattr(getattr(self.spider, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value("newscrawl/redis/rejected")
        logger.error("Rejected a queued request of %d bytes from %s: %s", len(data), self.key, reason)

    def pop(self, timeout=0):
        return self.pop_with_token()[0]

    def ack(self, tokens) -> None:
        tokens = list(tokens)
        for i in range(0, len(tokens), 500):
            self.server.zrem(self.inflight_key, *tokens[i:i + 500])

    def in_flight(self) -> int:
        return self.server.zcard(self.inflight_key)

    def beat(self, ttl: float) -> None:
        """Refresh this worker's heartbeat and registration."""
        pipe = self.server.pipeline(transaction=True)
        pipe.set(self.heartbeat_key, f"{socket.gethostname()} pid {os.getpid()}", px=max(1, int(ttl * 1000)))
        pipe.sadd(self.registry_key, self.worker)
        pipe.execute()

    def _reclaim_worker(self, worker: str, force: bool = False) -> int:
        return self._reclaim(keys=[self.key, self.inflight_prefix + worker, self.heartbeat_prefix + worker,
                                   self.registry_key], args=[worker, "1" if force else "0"])

    def reclaim_dead(self) -> tuple[dict[str, int], int]:
        """Requeue the in-flight requests of registered workers without a heartbeat. Returns
        ({dead worker: requests requeued}, number of live other workers with requests in flight)."""
        others = [w.decode() if isinstance(w, bytes) else w for w in self.server.smembers(self.registry_key)]
        others = [w for w in others if w != self.worker]
        if not others:
            return {}, 0
        pipe = self.server.pipeline(transaction=False)
        for w in others:
            pipe.exists(self.heartbeat_prefix + w)
            pipe.zcard(self.inflight_prefix + w)
        answers = pipe.execute()
        reclaimed, busy = {}, 0
        for w, alive, count in zip(others, answers[::2], answers[1::2]):
            if alive:
                busy += count > 0
                continue
            n = self._reclaim_worker(w)
            if n >= 0:
                reclaimed[w] = n
            else:
                busy += 1   # came back meanwhile
        return reclaimed, busy

    def requeue_orphans(self, held) -> int:
        """Requeue the requests in this worker's in-flight set that it does not hold (``held``:
        tokens popped and not yet acknowledged): a pop Redis executed while the connection broke."""
        orphans = [t for t in self.server.zrange(self.inflight_key, 0, -1) if t not in held]
        return self._requeue(keys=[self.key, self.inflight_key], args=orphans) if orphans else 0

    def release(self) -> int:
        """At a clean close: requeue whatever this worker still holds, drop its heartbeat."""
        return self._reclaim_worker(self.worker, force=True)


class ReliableScheduler(Scheduler):
    """scrapy-redis's scheduler with acknowledged pops (ReliablePriorityQueue), worker heartbeats,
    reclaim of dead workers' requests, and Redis outages ridden out without losing a request.

    A popped request is done when the engine no longer has it in progress: its download (and any
    redirect or retry, scheduled as a new request) and its callback or errback output are through,
    every item it yielded has left the item pipelines. It is then acknowledged once the
    MongoPipeline has stored or spooled everything it accepted up to that moment (`durable`), so a
    worker killed with articles in its buffer leaves their requests in its in-flight set."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.crawler = None
        self.worker_ttl = 30.0
        self.outage_seconds = 300.0
        self.spool_dir = Path("var/spool/redis")
        self.url = "redis"
        self.secret = None
        self.pending: deque = deque()       # requests scheduled while Redis was unreachable
        self.popped: dict = {}              # request -> token, while the engine works on it
        self.acks: deque = deque()          # (token, MongoPipeline.accepted when it was done)
        self.others_busy = 0                # other live workers with requests in flight
        self.down_since: float | None = None
        self.unspooled: list[Path] = []     # spool files read at open, deleted once queued
        self._closing = False
        self._next_beat = self._next_reclaim = 0.0
        self._loop = None
        self._store_pipeline = None
        self.refused: Exception | None = None   # Redis did not take us at start: the worker closes

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
        scheduler.worker_ttl = max(1.0, s.getfloat("NEWSCRAWL_REDIS_WORKER_TTL_SECONDS", 30))
        scheduler.outage_seconds = max(0.0, s.getfloat("NEWSCRAWL_REDIS_OUTAGE_SECONDS", 300))
        scheduler.spool_dir = Path(s.get("MONGODB_SPOOL_DIR") or "var/spool") / "redis"
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
            raise ValueError("ReliableScheduler needs SCHEDULER_QUEUE_CLASS newscrawl.distributed.ReliablePriorityQueue "
                             "and DUPEFILTER_CLASS newscrawl.distributed.BoundedDupeFilter")
        self.queue.beat(self.worker_ttl)
        logger.info("Distributed crawl: worker %s on the shared queue %s at %s", self.queue.worker, self.queue.key,
                    self.url)
        self._unspool()
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
            path = self._spool() if held else None
            logger.warning("Redis at %s unreachable at close: %d held requests written to %s; this worker's requests "
                           "in flight stay in %s, requeued by another worker or the next start %.0f s after its last "
                           "heartbeat", self.url, held, path or "no spool file", self.queue.inflight_key,
                           self.worker_ttl)

    def busy(self) -> bool:
        """Work not visible in the shared queue: requests held here or in flight in any worker,
        acks waiting for the MongoPipeline (unless its writes failed: then they wait for close and
        are requeued), or Redis away."""
        store = self._store()
        return bool(self.popped or self.pending or self.others_busy or self.down_since is not None
                    or (self.acks and not getattr(store, "write_failed", False)))

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
        """Requests the engine no longer has in progress are done: queue their acks with the
        MongoPipeline's accepted count, which must be durable before the ack is sent."""
        if not self.popped:
            return
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        in_progress = getattr(slot, "inprogress", None)
        if in_progress is None:
            return   # no engine to ask: acks wait for close, when nothing is in progress
        mark = getattr(self._store(), "accepted", 0)
        for request in [r for r in self.popped if r not in in_progress]:
            self.acks.append((self.popped.pop(request), mark))

    def _flush_acks(self):
        # Requests held in memory first: those a done request yielded must be queued before its ack.
        if self.pending or not self.acks:
            return
        store = self._store()
        durable = store.durable if store is not None else math.inf
        n = 0
        while n < len(self.acks) and self.acks[n][1] <= durable:
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
        for path in self.unspooled:
            path.unlink(missing_ok=True)
        self.unspooled = []

    def _reclaim(self):
        reclaimed, self.others_busy = self.queue.reclaim_dead()
        for worker, count in reclaimed.items():
            if count:
                self._inc("reclaimed", count)
                logger.warning("Worker %s is gone (no heartbeat for NEWSCRAWL_REDIS_WORKER_TTL_SECONDS, %.0f s): its "
                               "%d requests in flight are back in the shared queue", worker, self.worker_ttl, count)
                self._wake_engine()

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
        self._wake_engine()
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
        except distributed_serializer.RejectedRequest as exc:
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

    def _store(self):
        """The MongoPipeline (None without MongoDB: requests are acked when done)."""
        if self._store_pipeline is None:
            itemproc = getattr(getattr(self.crawler.engine, "scraper", None), "itemproc", None)
            for pipeline in getattr(itemproc, "middlewares", ()):
                if hasattr(pipeline, "durable") and hasattr(pipeline, "accepted"):
                    self._store_pipeline = pipeline
                    break
            else:
                self._store_pipeline = False
        return self._store_pipeline or None

    def _wake_engine(self):
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        if slot is not None and hasattr(slot, "nextcall"):
            slot.nextcall.schedule()

    def _inc(self, key, count=1):
        if self.stats and count:
            self.stats.inc_value(f"newscrawl/redis/{key}", count)

    def _safe(self, value) -> str:
        text = str(value)
        return text.replace(self.secret, "***") if self.secret else text

    def _spool_files(self) -> list[Path]:
        return sorted(self.spool_dir.glob(f"requests-{_slug(self.spider.name)}-*.jsonl"))

    def _spool(self) -> Path:
        """Write the held requests (encoded as in the queue) to a new spool file, atomically."""
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        path = self.spool_dir / f"requests-{_slug(self.spider.name)}-{stamp}-{os.getpid()}.jsonl"
        tmp = path.with_suffix(".tmp")
        spooled = 0
        with open(tmp, "w", encoding="utf-8") as f:
            for request in self.pending:
                try:   # the queue entry (JSON), as text: the next start decodes it as it would from Redis
                    data = self.queue._encode_request(request).decode("ascii")
                except distributed_serializer.RejectedRequest as exc:
                    self._unserializable(request, exc)
                    continue
                f.write(json.dumps({"url": request.url, "request": data}) + "\n")
                spooled += 1
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        self._inc("spooled", spooled)
        self.pending.clear()
        for old in self.unspooled:   # their requests are in the new file now
            old.unlink(missing_ok=True)
        self.unspooled = []
        return path

    def _unspool(self):
        """Hold the requests of spool files left by workers that closed during an outage; they are
        queued (through the dupefilter) right away, and the files deleted once they are."""
        limit = self.queue.max_bytes + 8192 if self.queue.max_bytes else 0   # the entry, its URL, JSON
        for path in self._spool_files():
            count, rejected = 0, []
            try:   # a FIFO, device or symlink planted under a spool name is not read (it may never end)
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
            except OSError as exc:
                self._inc("rejected")
                logger.error("Spool file %s not read (%s)", path, exc.strerror or type(exc).__name__)
                continue
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                self._inc("rejected")
                logger.error("Spool file %s not read: not a regular file", path)
                continue
            with open(fd, "rb") as f:
                for number, line in enumerate(_bounded_lines(f, limit), 1):
                    if not line.strip():
                        continue
                    try:
                        self.pending.append(self._spooled_request(line, limit))
                        count += 1
                    except distributed_serializer.RejectedRequest as exc:
                        rejected.append((number, line, str(exc)))
            if rejected:
                self._keep_rejected(path, rejected)
            self.unspooled.append(path)
            self._inc("unspooled", count)
            logger.info("Queueing %d requests spooled during a Redis outage from %s", count, path)

    def _spooled_request(self, line: bytes, limit: int):
        if limit and len(line) > limit:
            raise distributed_serializer.RejectedRequest(f"a line over {limit} bytes")
        try:
            record = json.loads(line)
            data = record["request"]
        except (ValueError, TypeError, KeyError, RecursionError):
            raise distributed_serializer.RejectedRequest("not a spool line") from None
        if not isinstance(data, str):
            raise distributed_serializer.RejectedRequest("not a spool line")
        return self.queue._decode_request(data.encode("utf-8", "surrogatepass"))

    def _keep_rejected(self, path: Path, rejected: list) -> None:
        """Spool lines that do not decode: counted, logged, and kept (never read again) in
        `<spool>/redis/rejected/` for an operator to look at."""
        self._inc("rejected", len(rejected))
        for number, _, reason in rejected[:10]:
            logger.error("Rejected line %d of %s: %s", number, path, reason)
        if len(rejected) > 10:
            logger.error("... and %d more rejected lines in %s", len(rejected) - 10, path)
        keep = self.spool_dir / "rejected" / path.name
        keep.parent.mkdir(parents=True, exist_ok=True)
        with open(keep, "ab") as f:
            for number, line, reason in rejected:
                f.write(json.dumps({"line": number, "reason": reason,
                                    "data": line[:65536].decode("utf-8", "replace")}).encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())


def _bounded_lines(f, limit: int):
    """The lines of binary file `f`; a line longer than `limit` is cut to `limit + 1` bytes (the
    rest skipped unread into memory), so a planted line cannot fill it."""
    while True:
        line = f.readline(limit + 1) if limit else f.readline()
        if not line:
            return
        if limit and len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = f.readline(1 << 16)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line.rstrip(b"\r\n")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "spider"


def clear_keys(server, spider: str) -> int:
    """Delete a spider's queue, dupefilter (all day sets and feed markers), in-flight sets,
    heartbeats and worker registry; returns the count."""
    names = spider_keys(spider)
    keys = [f"{spider}:requests", f"{spider}:dupefilter", names["workers"]]
    for pattern in (f"{spider}:dupefilter:*", names["inflight"] + "*", names["worker"] + "*"):
        keys += list(server.scan_iter(match=pattern, count=1000))
    return server.delete(*keys)


class IdleWait:
    """Keeps an idle worker open `NEWSCRAWL_REDIS_IDLE_SECONDS` after its last response, polling the
    shared queue every second, and as long as any worker has requests in flight (they may yield
    more, or come back to the queue if that worker dies) or Redis is away."""

    def __init__(self, crawler, seconds: float):
        self.crawler, self.seconds = crawler, seconds
        self.last = time.monotonic()
        crawler.signals.connect(self.activity, signal=signals.spider_opened)
        crawler.signals.connect(self.activity, signal=signals.response_received)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = crawler.settings.get("SCHEDULER") or ""
        if not scheduler or not issubclass(load_object(scheduler), Scheduler):
            raise NotConfigured("not distributed")
        return cls(crawler, crawler.settings.getfloat("NEWSCRAWL_REDIS_IDLE_SECONDS", 30))

    def activity(self, *args, **kwargs):
        self.last = time.monotonic()

    def idle(self, spider):
        scheduler = getattr(self.crawler.engine, "scheduler", None)
        reliable = isinstance(scheduler, ReliableScheduler)
        if reliable and scheduler.others_busy and scheduler.down_since is None:
            # Waiting on the others only: see at once when their last requests are done (the
            # periodic look at the other workers comes every RECLAIM_SECONDS).
            try:
                scheduler._reclaim()
            except REDIS_ERRORS as exc:
                scheduler._outage(exc)
        busy = reliable and scheduler.busy()
        if busy or time.monotonic() - self.last < self.seconds:
            # Look at the shared queue again in a second rather than at the engine's 5 s heartbeat.
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and hasattr(slot, "nextcall"):
                slot.nextcall.schedule(1)
            raise DontCloseSpider


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.distributed",
                                     description="Redis keys of distributed crawls (README 'Distributed crawling')")
    sub = parser.add_subparsers(dest="command", required=True)
    clear = sub.add_parser("clear", help="delete a spider's shared queue, dupefilter and worker keys")
    clear.add_argument("--spider", required=True)
    clear.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"),
                       help="default: env REDIS_URL (prefer it: a password on the command line is visible in ps)")
    args = parser.parse_args(argv)
    server = get_redis_from_settings(Settings({"REDIS_URL": args.redis_url}))
    try:
        print(f"deleted {clear_keys(server, args.spider)} keys of {args.spider}")
    except redis.exceptions.RedisError as exc:
        secret = redis_password(args.redis_url)
        text = str(exc).replace(secret, "***") if secret else str(exc)
        print(f"error: Redis at {mask_redis_url(args.redis_url)}: {type(exc).__name__}: {text}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
