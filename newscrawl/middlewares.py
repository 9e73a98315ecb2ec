"""Downloader middlewares.

WarcReplayMiddleware answers requests that carry ``meta["warc"]`` (path and offset of a WARC
response record) from the archive instead of the network, so archived pages go through the same
callbacks, item pipelines and stats as live ones. Other requests pass through untouched.
RetryAfterMiddleware honours Retry-After, SizeLimitMiddleware counts bodies refused for their size,
MetaRefreshMiddleware is Scrapy's without decoding pages that hold no refresh; it and
RedirectMiddleware count the redirects to non-http(s) URLs that Scrapy declines
(`newscrawl/refused/scheme`); http(s) targets come back through UrlGateMiddleware (urlgate.py).
"""

import logging

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as ScrapyRedirectMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Headers, HtmlResponse
from scrapy.responsetypes import responsetypes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom
from w3lib.html import get_meta_refresh

from newscrawl.extract.text import ascii_compatible
from newscrawl.urlgate import loggable_url, refused_target
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


class RetryAfterMiddleware:
    """Honours `Retry-After` on 429 and 503 responses before Scrapy's RetryMiddleware retries them.

    The wait (seconds or an HTTP date) is capped at NEWSCRAWL_RETRY_AFTER_MAX_SECONDS; a longer one
    is not waited for (the response goes on to RetryMiddleware, counted as
    `newscrawl/retry_after/over_cap`). While a host asked us to wait, every request to it waits
    (asynchronously; other hosts are not held up). Stats: `newscrawl/retry_after/honoured`,
    `newscrawl/retry_after/seconds`.
    """

    CODES = (429, 503)

    def __init__(self, stats, max_seconds: float):
        self.stats = stats
        self.max_seconds = max_seconds
        self.blocked_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        max_seconds = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX_SECONDS")
        if max_seconds <= 0:
            raise NotConfigured
        return cls(crawler.stats, max_seconds)

    @staticmethod
    def parse_retry_after(value: bytes | None, now: float) -> float | None:
        if not value:
            return None
        text = value.decode("latin-1").strip()
        if text.isdigit():
            return float(text)
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(text).timestamp() - now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None

    @staticmethod
    def _host(url: str) -> str:
        from urllib.parse import urlsplit

        return urlsplit(url).netloc.lower()

    async def process_request(self, request):
        import asyncio
        import time

        until = self.blocked_until.get(self._host(request.url))
        if until:
            wait = until - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        return None

    async def process_response(self, request, response):
        import asyncio
        import time

        if response.status not in self.CODES:
            return response
        delay = self.parse_retry_after(response.headers.get(b"Retry-After"), time.time())
        if delay is None:
            return response
        if delay > self.max_seconds:
            self.stats.inc_value("newscrawl/retry_after/over_cap")
            logger.warning("%s asks to retry after %.0f s (cap %.0f s): not waiting", request.url, delay,
                           self.max_seconds)
            return response
        host = self._host(request.url)
        self.blocked_until[host] = max(self.blocked_until.get(host, 0), time.time() + delay)
        self.stats.inc_value("newscrawl/retry_after/honoured")
        self.stats.inc_value("newscrawl/retry_after/seconds", round(delay, 1))
        logger.info("%s: %d with Retry-After %.1f s; waiting before the retry", request.url, response.status, delay)
        await asyncio.sleep(delay)
        return response


class SizeLimitMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware (in its place, 590), counting the responses refused by
    DOWNLOAD_MAXSIZE as `newscrawl/refused/too_large`: a body larger than the limit (declared or
    streamed; the download is cancelled) and a compressed body that decompresses past it (a gzip
    bomb; decompression stops at the limit). Scrapy only logs a warning for either."""

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            self.stats.inc_value("newscrawl/refused/too_large")
            raise

    def process_exception(self, request, exception, spider=None):
        # The handlers cancel a download only over DOWNLOAD_MAXSIZE (declared or streamed; the
        # streamed case carries no message), or when the crawl is shutting down.
        if isinstance(exception, DownloadCancelledError):
            self.stats.inc_value("newscrawl/refused/too_large")
        return None


class _CountsRefusedTargets:
    """Scrapy's redirect middlewares decline a target that is not http(s) silently (the 3xx or the
    page goes on as it is): count and log it like the URL gate does."""

    def _build_redirect_request(self, source_request, response, *, url, **kwargs):
        redirected = super()._build_redirect_request(source_request, response, url=url, **kwargs)
        if refused_target(redirected.url):
            self.crawler.stats.inc_value("newscrawl/refused/scheme")
            logger.info("Refused %s: scheme (redirect from %s)", loggable_url(redirected.url),
                        loggable_url(source_request.url))
        return redirected


class RedirectMiddleware(_CountsRefusedTargets, ScrapyRedirectMiddleware):
    """Scrapy's RedirectMiddleware (in its place, 600), counting declined non-http(s) targets."""


class MetaRefreshMiddleware(_CountsRefusedTargets, ScrapyMetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware (in its place, 580), without decoding the pages that cannot hold
    a meta refresh. Scrapy decodes the whole body to look at its first 4,096 characters (~0.3 ms a
    page, and the page module decodes the page again in its own way); w3lib can rule a refresh out
    on the bytes when the encoding is ASCII-compatible. A page that may hold one goes through
    Scrapy's own code, which decides."""

    SCAN_BYTES = 4 * 4096   # the bytes of Scrapy's 4,096 characters, at most 4 bytes each

    def process_response(self, request, response, spider=None):
        if isinstance(response, HtmlResponse) and not self._may_refresh(response):
            return response
        return super().process_response(request, response)

    def _may_refresh(self, response) -> bool:
        body = response.body
        content_type = response.headers.get(b"Content-Type")
        # Undeclared pages are decoded as UTF-8 or cp1252 (Scrapy's detection): ASCII-compatible.
        encoding = (read_bom(body)[0] or http_content_type_encoding(content_type.decode("latin-1") if content_type
                                                                    else None)
                    or html_body_declared_encoding(body) or "utf-8")
        if not ascii_compatible(encoding):
            return True
        try:
            return get_meta_refresh(body, "", encoding, ignore_tags=self._ignore_tags,
                                    max_scan=self.SCAN_BYTES) != (None, None)
        except (UnicodeError, LookupError):
            return True
