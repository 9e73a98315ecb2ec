"""Defaults of the distributed crawl (scrapy-redis's `defaults.py`): every NEWSCRAWL_REDIS_* setting
is stated here and only here (docs/operations.md, "Settings"); the components read `settings.get(NAME, default)`
and `scrapy crawl` checks a `-s NEWSCRAWL_REDIS_*` against these names and types. The add-on
(newscrawl.addons.Distributed) installs SETTINGS when `NEWSCRAWL_DISTRIBUTED=redis`."""

NEWSCRAWL_REDIS_DUPEFILTER_TTL_DAYS = 7        # fingerprints kept in day sets that expire; 0 = one unbounded set
NEWSCRAWL_REDIS_FEED_INTERVAL_SECONDS = 600    # a feed/sitemap is read once per interval across workers
NEWSCRAWL_REDIS_IDLE_SECONDS = 30              # an idle worker waits this long for work from others before closing
# A worker without a heartbeat this long is dead: its requests in flight are requeued.
NEWSCRAWL_REDIS_WORKER_TTL_SECONDS = 30
# Redis unreachable this long: the worker spools its held requests and closes.
NEWSCRAWL_REDIS_OUTAGE_SECONDS = 300
NEWSCRAWL_REDIS_MAX_REQUEST_BYTES = 64 * 1024  # a queue or spool entry larger than this is rejected

# What the add-on sets (at add-on priority: settings.py or -s still win).
SETTINGS = {
    # scrapy-redis's scheduler with acknowledged pops, heartbeats, reclaim and outage handling.
    "SCHEDULER": "newscrawl.distributed.scheduler.ReliableScheduler",
    "SCHEDULER_QUEUE_CLASS": "newscrawl.distributed.queue.ReliablePriorityQueue",
    "DUPEFILTER_CLASS": "newscrawl.distributed.dupefilter.BoundedDupeFilter",
    # Queue entries are checked JSON, never pickle (scrapy-redis's default): Redis holds data, not code.
    "SCHEDULER_SERIALIZER": "newscrawl.distributed.serializer",
    # Redis calls run on the crawl's thread: a hung server stalls it this long per attempt (scrapy-redis: 30 s).
    "REDIS_PARAMS": {"socket_timeout": 5, "socket_connect_timeout": 5},
    # A worker closing must not clear the queue the others share.
    "SCHEDULER_PERSIST": True,
}
# Keeps an idle worker open while others may still fill the shared queue.
EXTENSIONS = {"newscrawl.distributed.idle.IdleWait": 520}

TICK_SECONDS = 1.0        # heartbeat, acks, held requests and outage probes run this often
RECLAIM_SECONDS = 2.0     # other workers' liveness is checked (and dead ones reclaimed) this often
REJECTS_PER_POP = 100     # undecodable entries dropped per pop before the engine gets control back

# Callbacks of discovery requests (source spiders' feeds, the generic spider's sitemaps and feeds).
DISCOVERY_CALLBACKS = ("parse_feed", "parse_discovery")


def spider_keys(spider_name: str) -> dict[str, str]:
    """Key names and prefixes of a spider's worker bookkeeping (the queue is `<spider>:requests`
    and the dupefilter `<spider>:dupefilter`, scrapy-redis's own defaults)."""
    return {"inflight": f"{spider_name}:inflight:", "worker": f"{spider_name}:worker:",
            "workers": f"{spider_name}:workers"}
