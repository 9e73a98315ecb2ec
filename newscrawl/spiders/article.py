"""`article`: the generic spider for any site.

    scrapy crawl article -a urls=URL1,URL2          article pages
    scrapy crawl article -a urls_file=PATH          one URL per line (# comments allowed)
    scrapy crawl article -a sitemap=URL             sitemap index, sitemap or Google News sitemap
    scrapy crawl article -a rss=URL                 RSS / Atom feed
Options: -a since=YYYY-MM-DD (skip entries dated earlier), -a max_articles=N.
Rendering article pages in a browser: -a render=true [-a wait_selector=CSS] [-a click_selector=CSS]
[-a render_timeout_ms=N] [-a render_fallback=true] (README "JavaScript-rendered sources").
"""

import logging
import zlib
from pathlib import Path

import scrapy
from scrapy.utils.gz import gunzip

from newscrawl.discovery import parse_discovery
from newscrawl.render import RenderSpec

from .base import NewsSpider, bool_arg, day_arg, positive_int

logger = logging.getLogger(__name__)


def _split(value) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class ArticleSpider(NewsSpider):
    name = "article"

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
        bad = [u for u in self.urls + self.discovery_urls if not u.startswith(("http://", "https://"))]
        if bad:
            raise ValueError(f"not an http(s) URL: {bad[0]!r}")
        if not self.urls and not self.discovery_urls:
            raise ValueError("give at least one of -a urls=, -a urls_file=, -a sitemap=, -a rss=")

    async def start(self):
        for url in self.discovery_urls:
            yield scrapy.Request(url, callback=self.parse_discovery, priority=10)
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse_article, meta=self.article_meta())

    def parse_discovery(self, response):
        body = response.body
        try:
            if body[:2] == b"\x1f\x8b":  # sitemap.xml.gz (no Content-Encoding, so still compressed)
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            found = parse_discovery(body)
        except (ValueError, OSError, EOFError, zlib.error) as exc:  # also a corrupt or oversized gzip
            self.crawler.stats.inc_value("newscrawl/discovery/invalid")
            logger.error("Not a sitemap or feed: %s (%s)", response.url, exc)
            return
        stats = self.crawler.stats
        entries = [e for e in found.entries if not (self.since and e.date and e.date < self.since)]
        stats.inc_value(f"newscrawl/discovery/{found.kind}")
        stats.inc_value("newscrawl/discovery/entries", len(found.entries))
        stats.inc_value("newscrawl/discovery/skipped_old", len(found.entries) - len(entries))
        logger.info("%s %s: %d entries, %d since %s", found.kind, response.url, len(found.entries), len(entries),
                    self.since.date() if self.since else "any date")
        # Newest first; undated entries after dated ones.
        entries.sort(key=lambda e: (e.date is not None, e.date.timestamp() if e.date else 0), reverse=True)
        callback = self.parse_discovery if found.kind == "sitemapindex" else self.parse_article
        for rank, entry in enumerate(entries):
            if callback == self.parse_article:
                yield response.follow(entry.url, callback=callback, priority=-rank, meta=self.article_meta())
            else:
                yield response.follow(entry.url, callback=callback, priority=5)
