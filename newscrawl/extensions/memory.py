"""MemoryTrim: keeps a long crawl's RSS from creeping up on glibc (NEWSCRAWL_MALLOC_MMAP_THRESHOLD,
NEWSCRAWL_MALLOC_TRIM_SECONDS)."""

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl.errors import SettingError

logger = logging.getLogger(__name__)


class MemoryTrim:
    """Keeps a long crawl's RSS from creeping up on glibc. Parsing a page allocates and frees megabytes of C
    memory (libxml2 trees, page bytes, decoded text) from several threads' malloc arenas:

    * NEWSCRAWL_MALLOC_MMAP_THRESHOLD (bytes; 0 keeps glibc's default) fixes the size from which a
      block gets its own mmap, returned to the OS when freed. glibc otherwise raises that threshold
      (up to 32 MB) each time such a block is freed, and from then on page-sized buffers come from
      the heap, which they fragment.
    * Every NEWSCRAWL_MALLOC_TRIM_SECONDS (0 disables) `malloc_trim` hands the heaps' free pages
      back; glibc keeps them otherwise, so RSS creeps up while live memory stays flat.

    Not configured when both are 0, or without glibc."""

    M_MMAP_THRESHOLD = -3   # mallopt parameter (malloc.h)
    MMAP_THRESHOLD_MAX = 32 << 20   # glibc's ceiling for it on 64-bit

    def __init__(self, crawler, seconds: float, trim):
        self.crawler, self.seconds, self.trim = crawler, seconds, trim
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        import ctypes
        import ctypes.util

        seconds = crawler.settings.getfloat("NEWSCRAWL_MALLOC_TRIM_SECONDS")
        threshold = crawler.settings.getint("NEWSCRAWL_MALLOC_MMAP_THRESHOLD")
        if threshold > cls.MMAP_THRESHOLD_MAX:   # a bad setting is an error on any system
            raise SettingError(f"NEWSCRAWL_MALLOC_MMAP_THRESHOLD={threshold}: at most {cls.MMAP_THRESHOLD_MAX} (32 MiB)")
        if seconds <= 0 and threshold <= 0:
            raise NotConfigured("NEWSCRAWL_MALLOC_TRIM_SECONDS and NEWSCRAWL_MALLOC_MMAP_THRESHOLD are 0")
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            trim, mallopt = libc.malloc_trim, libc.mallopt
        except (OSError, AttributeError):
            raise NotConfigured("no malloc_trim/mallopt in this C library (not glibc)") from None
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        if threshold > 0:
            if not mallopt(cls.M_MMAP_THRESHOLD, threshold):
                raise ValueError(f"NEWSCRAWL_MALLOC_MMAP_THRESHOLD={threshold}: refused by glibc")
            logger.debug("malloc mmap threshold fixed at %d bytes", threshold)
        ext = cls(crawler, seconds, trim)
        if seconds > 0:
            crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        from twisted.internet.task import LoopingCall

        self.loop = LoopingCall(self.run)
        self.loop.start(self.seconds, now=False)

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def run(self):
        if self.trim(0):
            self.crawler.stats.inc_value("newscrawl/memory/trims")
