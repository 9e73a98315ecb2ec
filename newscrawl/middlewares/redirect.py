"""RedirectMiddleware and MetaRefreshMiddleware: Scrapy's, counting the redirects to non-http(s)
URLs that Scrapy declines (`newscrawl/refused/scheme`); http(s) targets come back through
UrlGateMiddleware. MetaRefreshMiddleware also skips decoding pages that hold no refresh.
Off with Scrapy's switches, REDIRECT_ENABLED / METAREFRESH_ENABLED=False (the `warc` spider does so).
"""

import logging

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as ScrapyRedirectMiddleware
from scrapy.http import HtmlResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom
from w3lib.html import get_meta_refresh

from newscrawl.extract.text import ascii_compatible
from newscrawl.urlgate import loggable_url, refused_target

logger = logging.getLogger(__name__)


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
