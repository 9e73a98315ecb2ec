"""IdleWait: keeps an idle distributed worker open NEWSCRAWL_REDIS_IDLE_SECONDS after its last
response, looking at the shared queue every second, and as long as any worker has requests in flight
(they may yield more, or come back to the queue if that worker dies) or Redis is away. Installed by
the Distributed add-on; off (NotConfigured) without the distributed scheduler."""

from __future__ import annotations

import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.misc import load_object
from twisted.internet import reactor

from newscrawl.distributed import defaults
from newscrawl.distributed.scheduler import ReliableScheduler

RECHECK_SECONDS = 1.0   # an idle worker looks at the shared queue again this soon (the engine: 5 s)


class IdleWait:
    def __init__(self, crawler, seconds: float):
        self.crawler, self.seconds = crawler, seconds
        self.last = time.monotonic()
        self._recheck = None
        crawler.signals.connect(self.activity, signal=signals.spider_opened)
        crawler.signals.connect(self.activity, signal=signals.response_received)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = crawler.settings.get("SCHEDULER") or ""
        if not scheduler or not issubclass(load_object(scheduler), ReliableScheduler):
            raise NotConfigured("not distributed")
        return cls(crawler, crawler.settings.getfloat("NEWSCRAWL_REDIS_IDLE_SECONDS",
                                                      defaults.NEWSCRAWL_REDIS_IDLE_SECONDS))

    def activity(self, *args, **kwargs):
        self.last = time.monotonic()

    def idle(self, spider):
        scheduler = getattr(self.crawler.engine, "scheduler", None)
        if not isinstance(scheduler, ReliableScheduler):
            scheduler = None
        if scheduler is not None and scheduler.others_busy and scheduler.down_since is None:
            # Waiting on the others only: see at once when their last requests are done (the
            # periodic look at the other workers comes every RECLAIM_SECONDS).
            scheduler.check_workers()
        busy = scheduler is not None and scheduler.busy()
        if busy or time.monotonic() - self.last < self.seconds:
            if scheduler is not None and (self._recheck is None or not self._recheck.active()):
                self._recheck = reactor.callLater(RECHECK_SECONDS, scheduler.wake_engine)
            raise DontCloseSpider

    def closed(self, spider, reason):
        if self._recheck is not None and self._recheck.active():
            self._recheck.cancel()
