"""RetryAfterMiddleware: honours Retry-After on 429 and 503 responses.
Reads NEWSCRAWL_RETRY_AFTER_MAX_SECONDS (0 switches it off).
"""

import logging

logger = logging.getLogger(__name__)


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
