"""`warc`: extract articles from WARC files (e.g. Common Crawl's CC-NEWS).

    scrapy crawl warc -a path=FILE.warc.gz[,FILE2,...]     globs allowed
Options: -a max_articles=N.

Records are streamed: the spider yields one small request per HTTP response record (file path and
offset); WarcReplayMiddleware reads that record back when the request is downloaded, so memory
does not grow with the file. The record's own URL and WARC-Date are used.
"""

import logging

import scrapy

from newscrawl.warc import expand_paths, iter_records

from .base import NewsSpider

logger = logging.getLogger(__name__)


class WarcSpider(NewsSpider):
    name = "warc"
    # No network: nothing to be polite to, and robots.txt would be fetched live.
    custom_settings = {"ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                       "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "CONCURRENT_REQUESTS": 16}

    def __init__(self, *args, path=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not path:
            raise ValueError("-a path=FILE.warc.gz[,...] is required")
        self.paths = expand_paths(path)

    async def start(self):
        stats = self.crawler.stats
        for path in self.paths:
            logger.info("Reading WARC %s", path)
            for ref in iter_records(path, stats):
                stats.inc_value("newscrawl/warc/response_records")
                ctype = (ref.content_type or "").lower()
                if ref.status != 200:
                    stats.inc_value(f"newscrawl/warc/skipped/status_{ref.status}")
                    continue
                if ctype and "html" not in ctype:
                    stats.inc_value("newscrawl/warc/skipped/not_html")
                    continue
                if not ref.url or not ref.url.startswith(("http://", "https://")):
                    stats.inc_value("newscrawl/warc/skipped/bad_url")
                    continue
                yield scrapy.Request(ref.url, callback=self.parse_article, dont_filter=True,
                                     meta={"warc": {"path": ref.path, "offset": ref.offset, "date": ref.date}})
