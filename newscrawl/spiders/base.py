"""Shared spider plumbing: argument parsing, routing article responses to page objects,
counting drops (`newscrawl/dropped/<reason>`) and honouring `max_articles`.

A spider's arguments are the keyword parameters of the `__init__` methods of its classes
(`known_arguments`): an `-a` name that none of them takes is an ArgumentError listing the known
ones, and so is a ValueError an `__init__` raises on a value (names starting with `_` are scrapyd's:
`_job`, `_version`). `scrapy crawl` prints it as one line and exits 2."""

import inspect
import logging
from datetime import datetime, timezone

import scrapy
from scrapy.exceptions import CloseSpider

from newscrawl.article.fields import PUBLIC_FIELDS
from newscrawl.errors import ArgumentError, UsageError
from newscrawl.pages import NotAnArticle, page_for
from newscrawl.render.browser import BrowserNotFound, check_browser
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


def _naming_the_argument(message: str, kwargs: dict) -> str:
    """`message`, led by `-a <name>: ` when it does not name an argument but quotes (part of) the
    value of exactly one (`not an http(s) URL: 'x'` -> `-a urls: not an http(s) URL: 'x'`)."""
    if "-a " in message:
        return message
    named = [name for name, value in kwargs.items() if isinstance(value, str) and not name.startswith("_")
             and any(part.strip() and part.strip() in message for part in value.split(","))]
    return f"-a {named[0]}: {message}" if len(named) == 1 else message


def known_arguments(spidercls) -> list[str]:
    """The `-a` names a spider takes: the keyword parameters of the `__init__` of each of its
    classes up to NewsSpider (Scrapy's Spider takes any name as an attribute: not an argument)."""
    names = set()
    for klass in spidercls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is not None and issubclass(klass, NewsSpider):
            names.update(p.name for p in inspect.signature(init).parameters.values()
                         if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    return sorted(names)


class NewsSpider(scrapy.Spider):
    """Base of every newscrawl spider; subclasses only discover and route requests."""

    # The declaration of the source a source spider crawls (newscrawl/sources.py); None for the others.
    source = None
    # How article requests are rendered (newscrawl.render.spec.RenderSpec), None for plain downloads.
    render = None

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # Feeds export the Article's public fields in their declared order, not minhash & co.
        # (newscrawl/article/fields.py). At add-on priority: above Scrapy's default (which the crawl
        # command merges in again), below the project's settings and -s; a feed's `fields` wins too.
        settings.set("FEED_EXPORT_FIELDS", list(PUBLIC_FIELDS), priority="addon")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        try:
            spider = super().from_crawler(crawler, *args, **kwargs)
        except ArgumentError:
            raise
        except ValueError as exc:   # an __init__ refusing an argument's value: an operator error
            raise ArgumentError(_naming_the_argument(str(exc), kwargs)) from exc
        # The -a arguments as given (scrapyd's internal `_job` aside), recorded in crawl_runs.
        spider.spider_args = {k: v for k, v in kwargs.items() if v is not None and not k.startswith("_")}
        if spider.render:   # fail at start, naming the fix, when there is no browser
            try:
                check_browser(crawler.settings)
            except BrowserNotFound as exc:   # the machine's set-up, not a bug: one line, exit 2
                raise UsageError(f"BrowserNotFound: {exc}") from exc
        return spider

    def article_meta(self) -> dict | None:
        """Meta of an article request: asks RenderMiddleware for the browser when `render` is set.
        404/410 reach parse_article, which counts the page as gone (never retried)."""
        return {"handle_httpstatus_list": list(GONE_STATUSES), **(self.render.meta() if self.render else {})}

    def __init__(self, *args, max_articles=None, **kwargs):
        # What reaches here untaken by the subclasses' __init__ is not an argument of this spider.
        unknown = sorted(k for k in kwargs if not k.startswith("_"))
        if unknown:
            raise ArgumentError(f"-a {unknown[0]}: not an argument of spider {self.name!r}; it takes "
                                f"{', '.join(known_arguments(type(self)))}")
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
                        crawled_at=crawled_at, source=self.source.slug if self.source else None,
                        generic=settings.getbool("NEWSCRAWL_GENERIC_EXTRACTION"))
        try:
            item = page.to_item(min_body_words=settings.getint("NEWSCRAWL_MIN_BODY_WORDS"))
        except NotAnArticle as exc:
            self.drop(exc.reason, response.url, exc.detail)
            return
        finally:
            count_layout(stats, page)
            # Structured data blocks the page carried but we could not read (too deep, too large,
            # broken): the page was still extracted from its HTML.
            if "data" in page.__dict__:
                for why, n in page.data.skipped.items():
                    stats.inc_value(f"newscrawl/jsonld/skipped/{why}", n)
        self.article_count += 1
        stats.inc_value("newscrawl/articles")
        yield item
        if self.max_articles and self.article_count >= self.max_articles:
            raise CloseSpider("max_articles")


def count_layout(stats, page) -> None:
    """Pages read by a layout with declared selectors (`newscrawl/layout_pages/<slug>`), and those
    whose selectors failed and fell back to the generic path (`newscrawl/layout_miss/<slug>` and
    `newscrawl/layout_miss/<slug>/<reason>`): the health check compares the miss rate with the
    source's history."""
    if page.selectors is None or page.source is None or "declared" not in page.__dict__:
        return      # no declared layout, or the page was refused before its body was read
    slug = page.source.slug
    stats.inc_value(f"newscrawl/layout_pages/{slug}")
    if page.layout_miss:
        stats.inc_value(f"newscrawl/layout_miss/{slug}")
        stats.inc_value(f"newscrawl/layout_miss/{slug}/{page.layout_miss}")

