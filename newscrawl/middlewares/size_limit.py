"""SizeLimitMiddleware: Scrapy's HttpCompressionMiddleware counting the bodies refused for their
size (DOWNLOAD_MAXSIZE) as `newscrawl/refused/too_large`. Off with Scrapy's COMPRESSION_ENABLED=False.
"""

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest


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
