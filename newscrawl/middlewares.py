"""Downloader middlewares.

WarcReplayMiddleware answers requests that carry ``meta["warc"]`` (path and offset of a WARC
response record) from the archive instead of the network, so archived pages go through the same
callbacks, item pipelines and stats as live ones. Other requests pass through untouched.
"""

import gzip
import logging
import zlib

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from newscrawl.warc import read_record

logger = logging.getLogger(__name__)

# Encodings already removed by warcio when it reads the payload.
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcReplayMiddleware:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_request(self, request):
        ref = request.meta.get("warc")
        if not ref:
            return None
        try:
            status, header_list, body = read_record(ref["path"], ref["offset"])
        except (OSError, EOFError, ValueError, StopIteration, zlib.error, gzip.BadGzipFile) as exc:
            self.stats.inc_value("newscrawl/warc/invalid_records")
            logger.warning("Unreadable WARC record %s@%d (%s): skipped", ref["path"], ref["offset"], exc)
            raise IgnoreRequest(f"unreadable WARC record: {exc}") from exc
        headers = Headers([(k, v) for k, v in header_list if k.lower() not in _DROP_HEADERS])
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        self.stats.inc_value("newscrawl/warc/records_replayed")
        return cls(url=request.url, status=status, headers=headers, body=body, request=request,
                   flags=["warc"])
