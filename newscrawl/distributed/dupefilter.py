"""scrapy-redis's dupefilter with bounded memory: request fingerprints in one Redis set per UTC day
(`<spider>:dupefilter:<YYYYMMDD>`), each expiring after NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS; a
request is a duplicate when its fingerprint is in any of the live days' sets. Discovery requests
(feeds, sitemaps) are deduplicated only for NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS: one worker reads
a feed, and a later crawl reads it again. The scheduler queues a request and records its
fingerprint in one step (ReliablePriorityQueue.push with `filter_spec`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from scrapy_redis.dupefilter import RFPDupeFilter

from newscrawl.distributed import defaults
from newscrawl.distributed.defaults import DISCOVERY_CALLBACKS
from newscrawl.distributed.queue import ENQUEUE_LUA


class BoundedDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with day buckets that expire (bounded memory); TTL 0 = one unbounded set."""

    def __init__(self, server, key, debug=False, ttl_days=defaults.NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS,
                 feed_interval=defaults.NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS):
        super().__init__(server, key, debug)
        self.ttl_days = max(0, int(ttl_days))
        self.feed_interval = max(0, int(feed_interval))
        self._script = server.register_script(ENQUEUE_LUA)

    @classmethod
    def from_spider(cls, spider):
        df = super().from_spider(spider)
        settings = spider.settings
        df.ttl_days = max(0, settings.getint("NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS",
                                                   defaults.NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS))
        df.feed_interval = max(0, settings.getint("NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS",
                                                        defaults.NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS))
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

