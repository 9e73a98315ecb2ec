"""The process extensions (newscrawl/extensions/): MemoryTrim, RootLogLevel, GcFreeze."""


def test_memory_trim_returns_freed_heap_to_the_os():
    import pytest
    from scrapy import Spider
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions.memory import MemoryTrim

    crawler = get_crawler(Spider, {"NEWSCRAWL_MALLOC_TRIM_SECONDS": 30})
    ext = MemoryTrim.from_crawler(crawler)   # glibc (Debian): available
    blocks = [bytearray(64 * 1024) for _ in range(2000)]   # 128 MB through malloc, then freed
    del blocks
    ext.run()
    assert crawler.stats.get_value("newscrawl/memory/trims") == 1
    with pytest.raises(NotConfigured):
        MemoryTrim.from_crawler(get_crawler(Spider, {"NEWSCRAWL_MALLOC_TRIM_SECONDS": 0}))


MMAP_PROBE = """
import ctypes, sys
from scrapy import Spider
from scrapy.utils.test import get_crawler
from newscrawl.extensions.memory import MemoryTrim

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                               "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] != "0":
    MemoryTrim.from_crawler(get_crawler(Spider, {"NEWSCRAWL_MALLOC_TRIM_SECONDS": 0,
                                                 "NEWSCRAWL_MALLOC_MMAP_THRESHOLD": int(sys.argv[1])}))
libc.free(libc.malloc(4 << 20))   # glibc's own threshold moves up to 4 MB here
before = libc.mallinfo2().hblks
block = libc.malloc(1 << 20)
print(libc.mallinfo2().hblks - before)
"""


def test_memory_trim_keeps_page_sized_blocks_out_of_the_heap():
    """With NEWSCRAWL_MALLOC_MMAP_THRESHOLD a 1 MB block is still mmapped after a 4 MB one was
    freed; with glibc's moving threshold it comes from the heap."""
    import subprocess
    import sys

    import pytest
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions.memory import MemoryTrim

    def mmapped_blocks(threshold: int) -> int:
        out = subprocess.run([sys.executable, "-c", MMAP_PROBE, str(threshold)], capture_output=True, text=True,
                             check=True)
        return int(out.stdout.split()[-1])

    assert mmapped_blocks(0) == 0
    assert mmapped_blocks(512 * 1024) == 1
    with pytest.raises(ValueError, match="NEWSCRAWL_MALLOC_MMAP_THRESHOLD"):
        MemoryTrim.from_crawler(get_crawler(Spider, {"NEWSCRAWL_MALLOC_MMAP_THRESHOLD": 64 << 20}))


LOG_PROBE = """
import logging, sys
from scrapy import Spider
from scrapy.crawler import CrawlerProcess

lib = logging.getLogger("trafilatura.core")

class Probe(Spider):
    name = "probe"

    async def start(self):
        print(lib.isEnabledFor(logging.DEBUG), lib.isEnabledFor(logging.INFO), end=" ")
        return
        yield

settings = {"LOG_LEVEL": sys.argv[1], "TELNETCONSOLE_ENABLED": False,
            "EXTENSIONS": {"newscrawl.extensions.loglevel.RootLogLevel": 0 if sys.argv[2] != "off" else None}}
if sys.argv[2] == "own":   # a process with handlers of its own
    settings["LOG_ENABLED"] = False
    logging.basicConfig(level=logging.DEBUG)
    logging.root.setLevel(logging.NOTSET)
process = CrawlerProcess(settings)
process.crawl(Probe)
process.start()
"""


def test_root_log_level_stops_building_debug_records_of_libraries():
    import subprocess
    import sys

    def probe(level, extension="on"):
        return subprocess.run([sys.executable, "-c", LOG_PROBE, level, extension], capture_output=True,
                              text=True, check=True).stdout.split()
    # Scrapy's root handler filters at LOG_LEVEL; its root logger (NOTSET) lets every record be built
    assert probe("INFO", "off") == ["True", "True"]
    assert probe("INFO") == ["False", "True"]
    assert probe("DEBUG") == ["True", "True"]
    assert probe("INFO", "own") == ["True", "True"]   # handlers of the process's own: left alone


def test_gc_freeze_leaves_start_up_objects_out_of_collections():
    import gc

    import pytest
    from scrapy import Spider
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions.gcfreeze import GcFreeze

    with pytest.raises(NotConfigured):
        GcFreeze.from_crawler(get_crawler(Spider, {"NEWSCRAWL_GC_FREEZE": False}))
    ext = GcFreeze.from_crawler(get_crawler(Spider, {"NEWSCRAWL_GC_FREEZE": True}))
    gc.unfreeze()   # (an in-process crawl of an earlier test may have frozen)
    assert gc.get_freeze_count() == 0
    try:
        ext.spider_opened(None)
        assert gc.get_freeze_count() > 10_000   # this process's modules, classes, functions
        later = []
        later.append(later)   # a cycle made after the freeze is still collected
        del later
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
