"""`article`: the generic spider for any site.

    scrapy crawl article -a urls=URL1,URL2          article pages
    scrapy crawl article -a urls_file=PATH          one URL per line (# comments allowed)
    scrapy crawl article -a sitemap=URL             sitemap index, sitemap or Google News sitemap
    scrapy crawl article -a rss=URL                 RSS / Atom feed
Options: -a since=YYYY-MM-DD (skip entries dated earlier), -a max_articles=N.
Rendering article pages in a browser: -a render=true [-a wait_selector=CSS] [-a click_selector=CSS]
[-a render_timeout_ms=N] [-a render_fallback=true] (docs/rendering.md).
"""

import logging
from pathlib import Path

import scrapy

from newscrawl.discovery import Feeder, RunBuilder
from newscrawl.extract.urls import web_url
from newscrawl.render.spec import RenderSpec

from .base import NewsSpider, bool_arg, day_arg, positive_int

logger = logging.getLogger(__name__)


def _split(value) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class ArticleSpider(NewsSpider):
    name = "article"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.feeder = Feeder.from_crawler(crawler)
        return spider
    def __init__(self, *args, urls=None, urls_file=None, sitemap=None, rss=None, since=None, render=False,
                 wait_selector=None, click_selector=None, render_timeout_ms=None, render_fallback=False, **kwargs):
        super().__init__(*args, **kwargs)
        render_args = dict(wait_selector=wait_selector, click_selector=click_selector,
                           render_timeout_ms=render_timeout_ms, render_fallback=render_fallback)
        if bool_arg(render, "render"):
            self.spider_args.update(render=render, **{k: v for k, v in render_args.items() if v not in (None, False)})
            self.render = RenderSpec(wait_selector or None, click_selector or None,
                                     positive_int(render_timeout_ms, "render_timeout_ms") or RenderSpec.timeout_ms,
                                     bool_arg(render_fallback, "render_fallback"))
        elif any(v not in (None, False, "") for v in render_args.values()):
            raise ValueError(f"-a {next(k for k, v in render_args.items() if v not in (None, False, ''))} "
                             "needs -a render=true")
        self.urls = _split(urls)
        if urls_file:
            path = Path(urls_file)
            if not path.is_file():
                raise ValueError(f"-a urls_file: no such file: {urls_file}")
            self.urls += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                          if line.strip() and not line.lstrip().startswith("#")]
        self.discovery_urls = _split(sitemap) + _split(rss)
        self.since = day_arg(since, "since")
        bad = [u for u in self.urls + self.discovery_urls if not web_url(u)]
        if bad:
            raise ValueError(f"not an http(s) URL: {bad[0]!r}")
        if not self.urls and not self.discovery_urls:
            raise ValueError("give at least one of -a urls=, -a urls_file=, -a sitemap=, -a rss=")

    def discovery_request(self, url: str, depth: int, priority: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_discovery, errback=self.feeder.failed, priority=priority,
                              cb_kwargs={"depth": depth}, meta=self.feeder.request_meta(),
                              dont_filter=self.feeder.dont_filter)

    def article_request(self, url: str, rank: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, priority=-rank, meta=self.article_meta())

    async def start(self):
        """Sitemaps and feeds first, then the given URLs and the discovered ones, handed to Scrapy
        only as its scheduler drains (NEWSCRAWL_DISCOVERY_MAX_QUEUED): a 300,000-URL sitemap is
        never 300,000 requests in memory."""
        for url in self.discovery_urls:
            yield self.discovery_request(url, 0, 10)
        for url in self.urls:
            if not await self.feeder.room():
                return
            yield scrapy.Request(url, callback=self.parse_article, meta=self.article_meta())
        async for request in self.feeder.feed(self.article_request):
            yield request

    def fresh(self, entry) -> bool:
        return not (self.since and entry.date and entry.date < self.since)

    def parse_discovery(self, response, depth: int = 0):
        doc = self.feeder.open(response)
        if doc is None:
            return
        stats = self.crawler.stats
        if doc.kind == "sitemapindex":
            children, total, old = self.feeder.children(doc, response.url, depth, self.fresh)
        else:
            children, total, old = [], 0, 0
            builder = RunBuilder()
            for entry in doc.entries():
                total += 1
                if self.fresh(entry):
                    builder.add(entry.url, entry.date)
                else:
                    old += 1
            self.feeder.add(builder, response.url)
        self.feeder.close_document(doc, response.url)
        stats.inc_value("newscrawl/discovery/entries", total)
        stats.inc_value("newscrawl/discovery/skipped_old", old)
        logger.info("%s %s: %d entries, %d since %s", doc.kind, response.url, total, total - old,
                    self.since.date() if self.since else "any date")
        for child in children:
            yield self.discovery_request(child.url, depth + 1, 5)
        if self.feeder.eager:
            yield from self.feeder.drain(self.article_request)
