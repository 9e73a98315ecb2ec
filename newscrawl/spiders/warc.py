"""`warc`: extract articles from WARC files (e.g. Common Crawl's CC-NEWS).

    scrapy crawl warc -a path=FILE.warc.gz[,FILE2,...]     globs allowed
Options: -a max_articles=N.

Records are streamed: the spider yields one small request per HTTP response record (file path and
offset); WarcReplayMiddleware reads that record back when the request is downloaded, so memory
does not grow with the file. Requests are only yielded while the engine can take them, so the
scheduler never holds more than a handful. The record's own URL and WARC-Date are used.

Progress: every LOGSTATS_INTERVAL seconds while the files are read, one line with the share of
bytes read over all files (position in the file as stored / total size), the files done, the
records read and an ETA (newscrawl.warc.WarcProgress), e.g. "WARC: 41% of 1.2 GB read (3 of 7
files), 2,310 records, ETA 4 min"; a last one at 100% when reading ends.

Stats (`newscrawl/warc/...`): `records` (all records read), `response_records`, `invalid_records`
(damaged or truncated, skipped), `skipped/status_<code>`, `skipped/not_html`, `skipped/bad_url` (a
`WARC-Target-URI` that is not an absolute http(s) URL: never requested),
`skipped/too_large` (payload over NEWSCRAWL_MAX_PAGE_BYTES), `records_replayed`, `unreadable_files`.
"""

import logging

import scrapy
from scrapy import signals
from scrapy.utils.asyncio import create_looping_call

from newscrawl.extract.urls import web_url
from newscrawl.warc import WarcProgress, expand_paths, iter_records

from .base import NewsSpider

logger = logging.getLogger(__name__)


class WarcSpider(NewsSpider):
    name = "warc"
    # No network: nothing to be polite to, and robots.txt would be fetched live. Redirects and meta
    # refreshes are not followed: the archive holds each record's own response only (and
    # WarcReplayMiddleware refuses them should they be switched on).
    custom_settings = {"ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                       "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "CONCURRENT_REQUESTS": 16,
                       "REDIRECT_ENABLED": False, "METAREFRESH_ENABLED": False}

    def __init__(self, *args, path=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not path:
            raise ValueError("-a path=FILE.warc.gz[,...] is required")
        self.paths = expand_paths(path)
        self.progress = None
        self._progress_task = None

    def _done(self) -> bool:
        return bool(self.max_articles and self.article_count >= self.max_articles)

    async def start(self):
        stats = self.crawler.stats
        max_bytes = self.crawler.settings.getint("NEWSCRAWL_MAX_PAGE_BYTES")
        self._start_progress()
        try:
            for index, path in enumerate(self.paths):
                logger.info("Reading WARC %s", path)
                self.progress.start_file(index)
                try:
                    async for request in self._requests(path, stats, max_bytes):
                        yield request
                except OSError as exc:      # unreadable file (permissions, I/O error): go on with the next
                    stats.inc_value("newscrawl/warc/unreadable_files")
                    logger.error("Cannot read WARC %s: %s", path, exc)
                self.progress.end_file()
                if self._done():
                    return
        finally:
            self._stop_progress()

    def _start_progress(self) -> None:
        """The progress line every LOGSTATS_INTERVAL seconds (none when it is 0)."""
        self.progress = WarcProgress(self.paths)
        interval = self.crawler.settings.getfloat("LOGSTATS_INTERVAL")
        if interval > 0:
            self._progress_task = create_looping_call(self._log_progress)
            self._progress_task.start(interval, now=False)
            self.crawler.signals.connect(self._progress_closed, signal=signals.spider_closed)

    def _log_progress(self) -> None:
        logger.info("%s", self.progress.line(self.crawler.stats.get_value("newscrawl/warc/records", 0)))

    def _stop_progress(self) -> None:
        """Reading ended (all read, max_articles, or the crawl closing): the last line, once."""
        if self._progress_task is not None and self._progress_task.running:
            self._progress_task.stop()
            self._log_progress()

    def _progress_closed(self, spider, reason):
        self._stop_progress()

    async def _requests(self, path, stats, max_bytes):
        for ref in iter_records(path, stats, self.progress.at):
            stats.inc_value("newscrawl/warc/response_records")
            ctype = (ref.content_type or "").lower()
            if ref.status != 200:
                stats.inc_value(f"newscrawl/warc/skipped/status_{ref.status}")
                continue
            if ctype and "html" not in ctype:
                stats.inc_value("newscrawl/warc/skipped/not_html")
                continue
            request = self._request(ref)
            if request is None:     # file:, data:, ftp:, relative, hostless, overlong or malformed targets
                stats.inc_value("newscrawl/warc/skipped/bad_url")
                continue
            if max_bytes and ref.length and ref.length > max_bytes:
                stats.inc_value("newscrawl/warc/skipped/too_large")
                continue
            # Lazy start: while the engine is saturated, wait for it to drain the scheduler instead
            # of queueing one request per record of the file.
            while self.crawler.engine.needs_backout() and not self._done():
                await self.crawler.signals.wait_for(signals.scheduler_empty)
            if self._done():
                return
            yield request

    def _request(self, ref):
        url = web_url(ref.url)
        if url is None:
            return None
        try:
            return scrapy.Request(url, callback=self.parse_article, dont_filter=True,
                                  meta={"warc": {"path": ref.path, "offset": ref.offset, "date": ref.date}})
        except ValueError:
            return None
