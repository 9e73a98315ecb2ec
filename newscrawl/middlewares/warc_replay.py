"""WarcReplayMiddleware: answers requests that carry ``meta["warc"]`` (path and offset of a WARC
response record) from the archive instead of the network, so archived pages go through the same
callbacks, item pipelines and stats as live ones. Other requests pass through untouched.
Reads NEWSCRAWL_MAX_PAGE_BYTES. No switch of its own: it acts only on `meta["warc"]`, and without it
such a request would fetch the archived URL live, the one thing replay must never do.
"""

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from newscrawl.urlgate import loggable_url
from newscrawl.warc import read_record

logger = logging.getLogger(__name__)


class WarcReplayMiddleware:
    """Answers `meta["warc"]` requests from the archive. Only records of the files the running
    spider was given (`spider.paths`) are read: meta that names another file (a request queue is
    shared data) is refused (`newscrawl/refused/warc_path`). A redirect or meta refresh of an
    archived page is refused (`newscrawl/refused/warc_redirect`): the archive holds the record's own
    response only, and the target must never be fetched from the network in its place."""

    def __init__(self, stats, max_bytes: int | None = None, crawler=None):
        self.stats = stats
        # Read at most one byte past the page limit: the spider then drops the page as too_large
        # without the whole (possibly decompression-bomb) payload ever being in memory.
        self.max_bytes = max_bytes
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getint("NEWSCRAWL_MAX_PAGE_BYTES") or None, crawler)

    def _refuse(self, request, reason: str):
        self.stats.inc_value(f"newscrawl/refused/{reason}")
        logger.info("Refused %s: %s", loggable_url(request.url), reason)
        raise IgnoreRequest(f"refused: {reason}")

    def process_request(self, request):
        ref = request.meta.get("warc")
        if not ref:
            return None
        if request.meta.get("redirect_urls"):
            self._refuse(request, "warc_redirect")
        spider = getattr(self.crawler, "spider", None)
        given = getattr(spider, "paths", None)
        if not isinstance(ref, dict) or given is None or ref.get("path") not in given \
                or not isinstance(ref.get("offset"), int):
            self._refuse(request, "warc_path")
        try:
            status, header_list, body = read_record(ref["path"], ref["offset"], max_bytes=self.max_bytes)
        except Exception as exc:  # warcio raises many unrelated types on damaged input
            self.stats.inc_value("newscrawl/warc/invalid_records")
            # The exception's text may quote the file's bytes (warcio puts the first line in it).
            logger.warning("Unreadable WARC record %s@%d (%s): skipped", ref["path"], ref["offset"],
                           type(exc).__name__)
            raise IgnoreRequest("unreadable WARC record") from exc
        headers = Headers(header_list)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        self.stats.inc_value("newscrawl/warc/records_replayed")
        return cls(url=request.url, status=status, headers=headers, body=body, request=request,
                   flags=["warc"])
