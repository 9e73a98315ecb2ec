"""RenderMiddleware: routes requests declaring ``meta["newscrawl_render"]`` to the browser (the
scrapy-playwright meta of newscrawl/render/spec.py), counts the outcomes and, when rendering fails or
times out, retries NEWSCRAWL_RENDER_RETRIES times and then falls back to the unrendered page if the
spec allows it. Installed by the Rendering add-on; off (NotConfigured) with
NEWSCRAWL_RENDERING_ENABLED=False. Stats: newscrawl/render/rendered, .../retried, .../fallback,
.../failed.
"""

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured

from newscrawl.render.browser import BrowserNotFound
from newscrawl.render.spec import META, PLAYWRIGHT_KEYS, RenderSpec, playwright_meta
from newscrawl.urlgate import browser_request_refused, loggable_url

logger = logging.getLogger(__name__)


class RenderMiddleware:
    def __init__(self, stats, retries: int):
        self.stats = stats
        self.retries = retries

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_RENDERING_ENABLED"):
            raise NotConfigured
        return cls(crawler.stats, crawler.settings.getint("NEWSCRAWL_RENDER_RETRIES"))

    def process_request(self, request):
        if request.meta.get("newscrawl_render_fallback") or "playwright" in request.meta:
            return None
        spec = RenderSpec.from_meta(request.meta.get(META))
        if spec:
            request.meta.update(playwright_meta(spec))
        return None

    def process_response(self, request, response):
        if request.meta.get(META) and "playwright" in response.flags:
            # The browser follows redirects itself (Playwright's routing never sees them): a page
            # that ended on a non-public address the operator did not name is not used.
            if response.url != request.url and browser_request_refused(response.url):
                self.stats.inc_value("newscrawl/refused/private_address")
                logger.info("Refused %s: private_address (rendered page redirected from %s)",
                            loggable_url(response.url), loggable_url(request.url))
                raise IgnoreRequest("refused: private_address")
            self.stats.inc_value("newscrawl/render/rendered")
        return response

    def process_exception(self, request, exception):
        spec = RenderSpec.from_meta(request.meta.get(META))
        if not spec or not request.meta.get("playwright"):
            return None
        why = f"{type(exception).__name__}: {str(exception).splitlines()[0][:200] if str(exception) else ''}"
        tries = request.meta.get("newscrawl_render_retries", 0)
        if tries < self.retries and not isinstance(exception, BrowserNotFound):
            self.stats.inc_value("newscrawl/render/retried")
            logger.info("Rendering %s failed (%s): retrying", request.url, why)
            return request.replace(meta={**request.meta, "newscrawl_render_retries": tries + 1}, dont_filter=True)
        if spec.fallback:
            self.stats.inc_value("newscrawl/render/fallback")
            logger.warning("Rendering %s failed (%s): using the unrendered page", request.url, why)
            meta = {k: v for k, v in request.meta.items() if k not in PLAYWRIGHT_KEYS}
            return request.replace(meta={**meta, "newscrawl_render_fallback": True}, dont_filter=True)
        self.stats.inc_value("newscrawl/render/failed")
        logger.error("Rendering %s failed (%s)%s", request.url, why,
                     "" if isinstance(exception, BrowserNotFound) else "; the source declares no fallback")
        return None
