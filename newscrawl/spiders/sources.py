"""One spider per declared source (newscrawl/publishers/<slug>.py; extra sources through the
spider loader, newscrawl/spiders/loader.py), named by its slug:

    scrapy crawl lemonde [-a since=YYYY-MM-DD] [-a until=YYYY-MM-DD] [-a max_articles=N]
                         [-a sections=politique,sport] [-a refresh=true]

Discovery: the source's news sitemaps, RSS feeds and sitemap indexes; only URLs matching the
source's article pattern, newest first. Incremental: URLs already stored whose sitemap `lastmod`
is not newer than the stored crawl are not fetched again (`-a refresh=true` re-fetches them to
catch revisions). Politeness comes from the declaration (per-domain concurrency and delay).
"""

import asyncio
import logging

import scrapy

from newscrawl.discovery import Feeder, RunBuilder
from newscrawl.render.spec import RenderSpec
from newscrawl.sources import SOURCES, Source

from .base import NewsSpider, bool_arg, day_arg

logger = logging.getLogger(__name__)

# Feed kinds in the order they are read: the freshest lists first.
_FEED_ORDER = {"news_sitemap": 0, "rss": 1, "sitemap": 2}
# Entries checked against the store in one query (incremental crawls).
_KNOWN_BATCH = 2000


class SourceSpider(NewsSpider):
    """Base of the per-source spiders built by `spider_class`; `source` is the declaration crawled."""

    source: Source

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.feeder = Feeder.from_crawler(crawler)
        return spider

    def __init__(self, *args, since=None, until=None, sections=None, refresh=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.spider_args.update({k: v for k, v in dict(since=since, until=until, sections=sections,
                                                        refresh=refresh).items() if v not in (None, False)})
        self.render = RenderSpec.of_source(self.source)   # article pages only; feeds are never rendered
        self.since = day_arg(since, "since")
        self.until = day_arg(until, "until")
        if self.since and self.until and self.until < self.since:
            raise ValueError("-a until must not be before -a since")
        self.refresh = bool_arg(refresh, "refresh")
        self.sections = [s.strip() for s in (sections or "").split(",") if s.strip()]
        unknown = set(self.sections) - set(self.source.sections())
        if unknown:
            raise ValueError(f"-a sections: unknown for {self.source.slug}: {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(self.source.sections()) or 'none (this source has no sections)'}")

    def feeds(self):
        feeds = [f for f in self.source.feeds if not self.sections or f.section in self.sections]
        return sorted(feeds, key=lambda f: _FEED_ORDER.get(f.kind, 9))

    def feed_request(self, url: str, kind: str, depth: int, priority: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_feed, errback=self.feeder.failed, priority=priority,
                              cb_kwargs={"kind": kind, "depth": depth}, meta=self.feeder.request_meta(),
                              dont_filter=self.feeder.dont_filter)

    def article_request(self, url: str, rank: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, priority=-rank, meta=self.article_meta())

    async def start(self):
        """The source's feeds, then the article URLs they list, handed to Scrapy only as its
        scheduler drains (NEWSCRAWL_DISCOVERY_MAX_QUEUED)."""
        for rank, feed in enumerate(self.feeds()):
            yield self.feed_request(feed.url, feed.kind, 0, 100 - rank)
        async for request in self.feeder.feed(self.article_request):
            yield request

    def in_window(self, date) -> bool:
        if date is None:
            return True
        if self.since and date < self.since:
            return False
        return not (self.until and date >= self.until.replace(hour=23, minute=59, second=59))

    async def parse_feed(self, response, kind: str, depth: int = 0):
        doc = self.feeder.open(response)
        if doc is None:
            return
        stats = self.crawler.stats
        if doc.kind == "sitemapindex":
            # Archives: without -a since only the newest child sitemaps.
            limit = 0 if self.since else self.crawler.settings.getint("NEWSCRAWL_SITEMAP_MAX_CHILDREN")
            children, _, _ = self.feeder.children(doc, response.url, depth, lambda e: self.in_window(e.date), limit)
            self.feeder.close_document(doc, response.url)
            for child in children:
                yield self.feed_request(child.url, kind, depth + 1, 50)
            return
        builder, batch = RunBuilder(), []
        not_article = 0
        for entry in doc.entries():
            if not self.source.is_article_url(entry.url):
                not_article += 1
            elif self.in_window(entry.date):
                batch.append(entry)
                if len(batch) >= _KNOWN_BATCH:
                    await self._take(batch, builder)
        await self._take(batch, builder)
        self.feeder.close_document(doc, response.url)
        stats.inc_value("newscrawl/discovery/not_article_url", not_article)
        logger.info("%s %s: %d article URLs to fetch", doc.kind, response.url, len(builder))
        self.feeder.add(builder, response.url)
        if self.feeder.eager:
            for request in self.feeder.drain(self.article_request):
                yield request

    async def _take(self, batch: list, builder: RunBuilder) -> None:
        """Entries of `batch` not already stored (unless -a refresh) into `builder`; empties `batch`."""
        fresh = batch if self.refresh else await self.drop_known(batch)
        for entry in fresh:
            builder.add(entry.url, entry.date)
        batch.clear()

    async def drop_known(self, entries):
        """Entries whose URL is stored and not modified (lastmod) since its last crawl are skipped."""
        if not entries or not self.crawler.settings.getbool("MONGODB_ENABLED"):
            return entries
        store = getattr(self, "_known_store", None)
        if store is None:
            from newscrawl.storage.articles import ArticleStore

            store = self._known_store = ArticleStore.from_settings(self.crawler.settings)
        try:
            known = await asyncio.to_thread(store.stored_crawl_times, [e.url for e in entries])
        except Exception as exc:
            logger.warning("Could not check stored URLs (%s): fetching all", type(exc).__name__)
            return entries
        fresh = [e for e in entries if e.url not in known or (e.date and known[e.url] and e.date > known[e.url])]
        self.crawler.stats.inc_value("newscrawl/discovery/already_stored", len(entries) - len(fresh))
        return fresh


def spider_class(source: Source) -> type[SourceSpider]:
    """The spider of `source`: named by its slug, allowed on its domains, polite as it declares."""
    slug = source.slug
    return type(f"{slug.title().replace('_', '')}Spider", (SourceSpider,), {
        "__module__": __name__,
        "__doc__": f"{source.name}: {', '.join(source.domains)}",
        "name": slug,
        "source": source,
        "allowed_domains": [*source.domains, *source.allowed_domains],
        "custom_settings": {"CONCURRENT_REQUESTS_PER_DOMAIN": source.concurrency, "DOWNLOAD_DELAY": source.delay},
    })


for _source in SOURCES.values():
    _cls = spider_class(_source)
    globals()[_cls.__name__] = _cls
del _cls, _source  # one module-level name per spider class (Scrapy's loader scans them all)
