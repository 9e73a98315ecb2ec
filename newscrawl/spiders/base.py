"""Shared spider plumbing: argument parsing, routing article responses to page objects,
counting drops (`newscrawl/dropped/<reason>`) and honouring `max_articles`."""

import logging
from datetime import datetime, timezone

import scrapy
from scrapy.exceptions import CloseSpider

from newscrawl.pages import NotAnArticle, page_for
from newscrawl.render import check_browser
from newscrawl.warc import warc_date

logger = logging.getLogger(__name__)

# Article pages answering these are recorded as gone (`newscrawl/gone/<status>`), not retried.
GONE_STATUSES = (404, 410)


def positive_int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"-a {name} must be a positive integer, got {value!r}") from None
    if n <= 0:
        raise ValueError(f"-a {name} must be a positive integer, got {value!r}")
    return n


def day_arg(value, name: str) -> datetime | None:
    """`YYYY-MM-DD` (or a full ISO timestamp) -> aware UTC datetime."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"-a {name} must be a date YYYY-MM-DD, got {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def bool_arg(value, name: str) -> bool:
    if isinstance(value, bool):
        return value
    low = str(value).strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"-a {name} must be true or false, got {value!r}")


class NewsSpider(scrapy.Spider):
    """Base of every newscrawl spider; subclasses only discover and route requests."""

    # How article requests are rendered (newscrawl.render.RenderSpec), None for plain downloads.
    render = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The -a arguments as given (scrapyd's internal `_job` aside), recorded in crawl_runs.
        spider.spider_args = {k: v for k, v in kwargs.items() if v is not None and not k.startswith("_")}
        if spider.render:   # fail at start, naming the fix, when there is no browser
            check_browser(crawler.settings)
        return spider

    def article_meta(self) -> dict | None:
        """Meta of an article request: asks RenderMiddleware for the browser when `render` is set.
        404/410 reach parse_article, which counts the page as gone (never retried)."""
        return {"handle_httpstatus_list": list(GONE_STATUSES), **(self.render.meta() if self.render else {})}

    def __init__(self, *args, max_articles=None, **kwargs):
        self.spider_args = {}
        super().__init__(*args, **kwargs)
        self.max_articles = positive_int(max_articles, "max_articles")
        self.article_count = 0

    def drop(self, reason: str, url: str, detail: str = "") -> None:
        self.crawler.stats.inc_value(f"newscrawl/dropped/{reason}")
        logger.info("Dropped %s: %s%s", url, reason, f" ({detail})" if detail else "")

    def parse_article(self, response):
        if self.max_articles and self.article_count >= self.max_articles:
            return
        settings = self.crawler.settings
        stats = self.crawler.stats
        if response.status in GONE_STATUSES:
            stats.inc_value(f"newscrawl/gone/{response.status}")
            logger.info("Gone (%d): %s", response.status, response.url)
            return
        stats.inc_value("newscrawl/pages")
        if len(response.body) > settings.getint("NEWSCRAWL_MAX_PAGE_BYTES"):
            self.drop("too_large", response.url, f"{len(response.body)} bytes")
            return
        ref = response.meta.get("warc")
        crawled_at = (warc_date(ref.get("date")) if ref else None) or datetime.now(timezone.utc)
        ctype = response.headers.get(b"Content-Type")
        page = page_for(response.url, response.body, content_type=ctype.decode("latin-1") if ctype else None,
                        crawled_at=crawled_at, source=getattr(self, "source_slug", None))
        try:
            item = page.to_item(min_body_words=settings.getint("NEWSCRAWL_MIN_BODY_WORDS"))
        except NotAnArticle as exc:
            self.drop(exc.reason, response.url, exc.detail)
            return
        self.article_count += 1
        stats.inc_value("newscrawl/articles")
        yield item
        if self.max_articles and self.article_count >= self.max_articles:
            raise CloseSpider("max_articles")
