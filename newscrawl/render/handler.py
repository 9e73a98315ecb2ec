"""The download handler for rendered pages and what a rendered page may load.

`PlaywrightHandler` is scrapy-playwright's download handler, installed for http and https by the
Rendering add-on, with one change: Playwright (its Node driver and the browser) starts on the first
rendered request instead of when the engine starts, so a crawl without rendered requests never
starts either. Requests without meta ``playwright`` go to Scrapy's HTTP/1.1 handler (scrapy-playwright
does that). Pages are closed after use (scrapy-playwright does so unless ``playwright_include_page``);
PLAYWRIGHT_MAX_CONTEXTS / PLAYWRIGHT_MAX_PAGES_PER_CONTEXT cap them.

`abort_request` (PLAYWRIGHT_ABORT_REQUEST): images, media, fonts and known trackers are never
fetched by the browser, nor what the URL gate would refuse.

Only Scrapy loads this module (through DOWNLOAD_HANDLERS / PLAYWRIGHT_ABORT_REQUEST): it imports
Playwright.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from newscrawl.render.browser import FIX, BrowserNotFound, browser_problem
from newscrawl.urlgate import browser_request_refused

# ---- what a rendered page loads -------------------------------------------------------------------

BLOCKED_RESOURCE_TYPES = frozenset({"image", "media", "font"})
# Analytics, ad and tag-manager hosts (registered domains; subdomains included). Their scripts
# never write article text.
TRACKER_DOMAINS = frozenset({
    "google-analytics.com", "googletagmanager.com", "googletagservices.com", "doubleclick.net",
    "googlesyndication.com", "googleadservices.com", "adservice.google.com", "connect.facebook.net",
    "facebook.net", "scorecardresearch.com", "chartbeat.com", "chartbeat.net", "quantserve.com",
    "hotjar.com", "segment.com", "segment.io", "mixpanel.com", "newrelic.com", "nr-data.net",
    "criteo.com", "criteo.net", "taboola.com", "outbrain.com", "amazon-adsystem.com", "adnxs.com",
    "pubmatic.com", "rubiconproject.com", "casalemedia.com", "openx.net", "moatads.com", "krxd.net",
    "bluekai.com", "demdex.net", "omtrdc.net", "everesttech.net", "parsely.com", "optimizely.com",
    "cxense.com", "ioam.de", "xiti.com", "gemius.pl", "yandex.ru", "mc.yandex.ru", "clarity.ms",
    "bat.bing.com", "ads-twitter.com", "analytics.twitter.com", "tiktok.com", "snap.licdn.com",
})


def is_tracker(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    parts = host.split(".")
    return any(".".join(parts[i:]) in TRACKER_DOMAINS for i in range(len(parts) - 1))


def abort_request(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, media, fonts and tracker requests are never sent, nor
    requests to non-web schemes or to non-public addresses the operator did not name (the page's
    scripts and frames do not pass the URL gate; newscrawl/urlgate.py)."""
    return (request.resource_type in BLOCKED_RESOURCE_TYPES or is_tracker(request.url)
            or browser_request_refused(request.url))


# ---- the download handler --------------------------------------------------------------------------


class PlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, starting Playwright on the first rendered request (not at
    engine start) and turning a missing browser into BrowserNotFound naming the fix."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._newscrawl_settings = crawler.settings
        self._started = False
        self._start_lock = asyncio.Lock()

    async def _maybe_launch_in_thread(self) -> None:   # engine_started (Scrapy >= 2.14): not yet
        return None

    def _engine_started(self):                           # engine_started (older Scrapy): not yet
        return None

    async def _download_request(self, request, spider=None):
        if not self._started:
            async with self._start_lock:
                if not self._started:
                    problem = browser_problem(self._newscrawl_settings)
                    if problem:
                        raise BrowserNotFound(problem)
                    await self._launch()
                    self._started = True
        return await super()._download_request(request, spider)

    async def _maybe_launch_browser(self) -> None:
        try:
            await super()._maybe_launch_browser()
        except Exception as exc:
            if "xecutable doesn't exist" in str(exc):
                raise BrowserNotFound(f"{str(exc).splitlines()[0]}: {FIX}") from exc
            raise
