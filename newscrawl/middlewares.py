"""Downloader middlewares.

WarcReplayMiddleware answers requests that carry ``meta["warc"]`` (path and offset of a WARC
response record) from the archive instead of the network, so archived pages go through the same
callbacks, item pipelines and stats as live ones. Other requests pass through untouched.
"""

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from newscrawl.warc import read_record

logger = logging.getLogger(__name__)


class WarcReplayMiddleware:
    def __init__(self, stats, max_bytes: int | None = None):
        self.stats = stats
        # Read at most one byte past the page limit: the spider then drops the page as too_large
        # without the whole (possibly decompression-bomb) payload ever being in memory.
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getint("NEWSCRAWL_MAX_PAGE_BYTES") or None)

    def process_request(self, request):
        ref = request.meta.get("warc")
        if not ref:
            return None
        try:
            status, header_list, body = read_record(ref["path"], ref["offset"], max_bytes=self.max_bytes)
        except Exception as exc:  # warcio raises many unrelated types on damaged input
            self.stats.inc_value("newscrawl/warc/invalid_records")
            logger.warning("Unreadable WARC record %s@%d (%s: %s): skipped", ref["path"], ref["offset"],
                           type(exc).__name__, str(exc)[:200])
            raise IgnoreRequest(f"unreadable WARC record: {exc}") from exc
        headers = Headers(header_list)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        self.stats.inc_value("newscrawl/warc/records_replayed")
        return cls(url=request.url, status=status, headers=headers, body=body, request=request,
                   flags=["warc"])
