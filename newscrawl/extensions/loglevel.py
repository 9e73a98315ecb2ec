"""RootLogLevel: the root logger at LOG_LEVEL once the spider opens (on with LOG_ENABLED)."""

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class RootLogLevel:
    """Raises the root logger's level to LOG_LEVEL when the spider opens. Scrapy applies LOG_LEVEL in
    its root handler only and leaves the root logger at NOTSET, so every debug call of a library
    without a level of its own still builds a LogRecord (and walks the stack for its caller) before
    the handler drops it: trafilatura alone makes ~25 such calls per page, ~1.5% of a crawl's CPU
    (profiled).
    Only raises the level, and only when Scrapy's root handler is installed (`scrapy crawl`, scrapyd
    jobs): with LOG_LEVEL DEBUG, or in a process that logs through handlers of its own, nothing
    changes. (Not in from_crawler: the crawler reinstalls its root handler after building the
    extensions, which resets the root logger to NOTSET.)"""

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("LOG_ENABLED"):
            raise NotConfigured("LOG_ENABLED is off")
        ext = cls()
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    def spider_opened(self, spider):
        from scrapy.utils.log import get_scrapy_root_handler

        handler = get_scrapy_root_handler()
        root = logging.getLogger()
        if handler is not None and handler.level > root.getEffectiveLevel():
            root.setLevel(handler.level)
            logger.debug("root logger level raised to %s", logging.getLevelName(handler.level))
