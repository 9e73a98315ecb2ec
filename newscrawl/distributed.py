"""Distributed crawling on Redis (README "Distributed crawling"): with `NEWSCRAWL_DISTRIBUTED=redis`,
settings.py puts scrapy-redis's scheduler in place, so every worker process of a spider shares one
request queue (`<spider>:requests`, a sorted set by priority) and one dupefilter in Redis.

* `BoundedDupeFilter`: request fingerprints in one Redis set per UTC day
  (`<spider>:dupefilter:<YYYYMMDD>`), each expiring after `NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS`;
  a request is a duplicate when its fingerprint is in any of the live days' sets, so memory holds
  at most that many days of fingerprints however long the crawl runs. Discovery requests (feeds,
  sitemaps) are deduplicated only for `NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS`: one worker reads a
  feed, and a later crawl reads it again.
* `IdleWait`: an idle worker (empty shared queue, nothing in flight) waits
  `NEWSCRAWL_REDIS_IDLE_SECONDS` for other workers' feeds to fill the queue before it closes.
* `python -m newscrawl.distributed clear --spider NAME` deletes a spider's keys.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import datetime, timedelta, timezone

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import Settings
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter

logger = logging.getLogger(__name__)

# Callbacks of discovery requests (source spiders' feeds, the generic spider's sitemaps and feeds).
DISCOVERY_CALLBACKS = ("parse_feed", "parse_discovery")


class BoundedDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with day buckets that expire (bounded memory); TTL 0 = one unbounded set."""

    def __init__(self, server, key, debug=False, ttl_days=7, feed_interval=600):
        super().__init__(server, key, debug)
        self.ttl_days = max(0, int(ttl_days))
        self.feed_interval = max(0, int(feed_interval))

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

    def request_seen(self, request):
        fp = self.request_fingerprint(request)
        if getattr(request.callback, "__name__", None) in DISCOVERY_CALLBACKS and self.feed_interval:
            # One read of a feed per interval across all workers (SET NX is atomic).
            return not self.server.set(f"{self.key}:feed:{fp}", 1, nx=True, ex=self.feed_interval)
        if not self.ttl_days:
            return self.server.sadd(self.key, fp) == 0
        today, *older = self.bucket_keys()
        pipe = self.server.pipeline(transaction=True)   # MULTI/EXEC: atomic against other workers
        for key in older:
            pipe.sismember(key, fp)
        pipe.sadd(today, fp)
        pipe.expire(today, self.ttl_days * 86400)
        *in_older, added, _ = pipe.execute()
        if any(in_older):
            if added:   # keep the fingerprint in one set only
                self.server.srem(today, fp)
            return True
        return added == 0

    def clear(self):
        """Called by the scheduler's flush (SCHEDULER_PERSIST false, SCHEDULER_FLUSH_ON_START)."""
        self.server.delete(self.key, *self.server.scan_iter(match=f"{self.key}:*", count=1000))


def clear_keys(server, spider: str) -> int:
    """Delete a spider's queue and dupefilter keys (all day sets and feed markers); returns the count."""
    keys = [f"{spider}:requests", f"{spider}:dupefilter"]
    keys += list(server.scan_iter(match=f"{spider}:dupefilter:*", count=1000))
    return server.delete(*keys)


class IdleWait:
    """Keeps an idle worker open `NEWSCRAWL_REDIS_IDLE_SECONDS` after its last response, polling the
    shared queue every second."""

    def __init__(self, crawler, seconds: float):
        self.crawler, self.seconds = crawler, seconds
        self.last = time.monotonic()
        crawler.signals.connect(self.activity, signal=signals.spider_opened)
        crawler.signals.connect(self.activity, signal=signals.response_received)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("SCHEDULER", "").startswith("scrapy_redis."):
            raise NotConfigured("not distributed")
        return cls(crawler, crawler.settings.getfloat("NEWSCRAWL_REDIS_IDLE_SECONDS", 30))

    def activity(self, *args, **kwargs):
        self.last = time.monotonic()

    def idle(self, spider):
        if time.monotonic() - self.last < self.seconds:
            # Look at the shared queue again in a second rather than at the engine's 5 s heartbeat.
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and hasattr(slot, "nextcall"):
                slot.nextcall.schedule(1)
            raise DontCloseSpider


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.distributed",
                                     description="Redis keys of distributed crawls (README 'Distributed crawling')")
    sub = parser.add_subparsers(dest="command", required=True)
    clear = sub.add_parser("clear", help="delete a spider's shared queue and dupefilter")
    clear.add_argument("--spider", required=True)
    clear.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"))
    args = parser.parse_args(argv)
    server = get_redis_from_settings(Settings({"REDIS_URL": args.redis_url}))
    print(f"deleted {clear_keys(server, args.spider)} keys of {args.spider}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
