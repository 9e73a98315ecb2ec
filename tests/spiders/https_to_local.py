"""A download handler for crawl tests of sources declared with real https addresses (the catalog's):
`https://<host><path>` is fetched from `HTTPS_TO_LOCAL_ORIGIN` + `/<host><path>` (the tests'
local HTTP site) and answered under its original URL, so the spider, its domains, its URL patterns
and the page routing see the source's own addresses. Set as DOWNLOAD_HANDLERS {"https": ...}."""

from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class HttpsToLocal(HTTP11DownloadHandler):
    async def download_request(self, request):
        origin = self.crawler.settings.get("HTTPS_TO_LOCAL_ORIGIN").rstrip("/")
        parts = urlsplit(request.url)
        local = f"{origin}/{parts.hostname}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
        response = await super().download_request(request.replace(url=local))
        return response.replace(url=request.url)
