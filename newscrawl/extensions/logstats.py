"""CrawlLogStats: Scrapy's periodic crawl line, with what became of the articles.

    Crawled 120 pages (at 60 pages/min), scraped 100 items (at 50 items/min), stored 95 articles
    (at 48/min, 90 new), spooled 0, dropped 5

It replaces scrapy.extensions.logstats.LogStats (set to None in EXTENSIONS) and keeps its final
stats (`responses_per_minute`, `items_per_minute`). "stored" counts the articles the store wrote
(new, updated, unchanged, aliased: `newscrawl/mongodb/*` stats, written in batches, so it trails
"scraped" by up to a batch) and how many of them are new, so a re-crawl of stored pages does not
read as new data; "spooled" those written to the spool instead; "dropped" every
`newscrawl/dropped/<reason>` (pages that are not articles, duplicates, invalid items). Without
the store (MONGODB_ENABLED off) the line has no stored/spooled part. A last line at close gives
the totals and the mean rates of the whole crawl.

Settings: LOGSTATS_INTERVAL (seconds, Scrapy's; 0 switches the line off), MONGODB_ENABLED.
"""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.logstats import LogStats

logger = logging.getLogger(__name__)

# The store's counts of articles now in the store (storage/articles.py COUNT_KEYS).
STORED_KEYS = tuple(f"newscrawl/mongodb/{k}" for k in ("inserted", "updated", "unchanged", "aliased"))
SPOOLED_KEY = "newscrawl/mongodb/spooled"
DROPPED_PREFIX = "newscrawl/dropped/"


def _number(value) -> int:
    return int(value) if isinstance(value, (int, float)) else 0


def article_counts(stats: dict) -> tuple[int, int, int, int]:
    """(stored, of them new, spooled, dropped) from a crawl's stats."""
    stored = sum(_number(stats.get(k)) for k in STORED_KEYS)
    dropped = sum(_number(v) for k, v in stats.items() if k.startswith(DROPPED_PREFIX))
    return stored, _number(stats.get(STORED_KEYS[0])), _number(stats.get(SPOOLED_KEY)), dropped


class CrawlLogStats(LogStats):
    def __init__(self, stats, interval: float = 60.0, storing: bool = True):
        super().__init__(stats, interval)
        self.storing = storing
        self.storedprev = 0
        self.opened_at: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("LOGSTATS_INTERVAL")
        if not interval:
            raise NotConfigured("LOGSTATS_INTERVAL is 0")
        ext = cls(crawler.stats, interval, storing=crawler.settings.getbool("MONGODB_ENABLED"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.storedprev = 0
        self.opened_at = time.monotonic()
        super().spider_opened(spider)

    def _line(self, pages, pagerate, items, itemrate, stored, storedrate, new, spooled, dropped) -> str:
        line = (f"Crawled {pages:,} pages (at {pagerate:,.0f} pages/min), "
                f"scraped {items:,} items (at {itemrate:,.0f} items/min)")
        if self.storing:
            line += f", stored {stored:,} articles (at {storedrate:,.0f}/min, {new:,} new), spooled {spooled:,}"
        return line + f", dropped {dropped:,}"

    def log(self, spider) -> None:
        self.calculate_stats()
        stored, new, spooled, dropped = article_counts(self.stats.get_stats())
        rate = (stored - self.storedprev) * self.multiplier
        self.storedprev = stored
        logger.info("%s", self._line(self.pages, self.prate, self.items, self.irate, stored, rate, new, spooled,
                                     dropped),
                    extra={"spider": spider})

    def spider_closed(self, spider, reason: str) -> None:
        super().spider_closed(spider, reason)
        if self.opened_at is None:   # closed before it opened: nothing was crawled
            return
        minutes = max(time.monotonic() - self.opened_at, 1e-6) / 60
        stats = self.stats.get_stats()
        pages, items = _number(stats.get("response_received_count")), _number(stats.get("item_scraped_count"))
        stored, new, spooled, dropped = article_counts(stats)
        logger.info("At close: %s", self._line(pages, pages / minutes, items, items / minutes, stored,
                                                  stored / minutes, new, spooled, dropped),
                    extra={"spider": spider})
