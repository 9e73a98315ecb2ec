"""Article discovery: sitemaps (index, urlset, Google News sitemaps) and RSS 2.0 / RSS 1.0 / Atom feeds.

Everything in a sitemap or feed is third-party input, so discovery is bounded where it enters:

* `open_discovery` parses a document incrementally (lxml iterparse, each record freed once read;
  entities never expanded, no network, libxml2's depth and text limits on): memory does not grow
  with the document. Every `<loc>`, child sitemap and feed link is made absolute and must pass
  `web_url` (http/https with a host); the others are refused and counted (`refused["scheme"]`).
  At most `max_entries` entries are read from one document; a record with too many nodes is skipped.
* `Frontier` keeps discovered article URLs compactly (one bytes blob per document, sorted newest
  first, merged across documents) instead of as `scrapy.Request`s in the scheduler.
* `Feeder` hands those URLs to Scrapy from the spider's `start()` only while the scheduler holds
  fewer than `NEWSCRAWL_DISCOVERY_MAX_QUEUED` requests, and counts and limits sitemap recursion
  (`NEWSCRAWL_SITEMAP_MAX_DEPTH`, `NEWSCRAWL_SITEMAP_MAX_TOTAL`) and document size
  (`NEWSCRAWL_DISCOVERY_MAX_BYTES`, also the gunzip limit of `.xml.gz` sitemaps).

Stats: `newscrawl/discovery/<kind>` per document read, `.../entries`, `.../invalid`, and
`newscrawl/discovery/refused/<reason>`: scheme, depth, total, size, entries (documents cut at
NEWSCRAWL_DISCOVERY_MAX_ENTRIES), malformed (a document that ends in a fatal XML error: the
entries before it are kept), record (an entry with too many nodes), pending (entries over
NEWSCRAWL_DISCOVERY_MAX_PENDING), invalid (a URL Scrapy could not make a request of), ignored and
failed (a discovery document not fetched: refused by a downloader middleware, or a network error).
"""

import heapq
import logging
import math
import re
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

import lxml.etree
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.gz import gunzip
from twisted.internet.defer import Deferred

from newscrawl.extract.dates import parse_date
from newscrawl.extract.urls import absolute_url, web_url

logger = logging.getLogger(__name__)

# resolve_entities=False: entity references stay unexpanded (no billion laughs, no XXE);
# huge_tree=False keeps libxml2's own limits (nesting depth, 10 MB text nodes).
_PARSE_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=False,
                      remove_comments=True, remove_pis=True)
# Element names of one entry per document kind (sitemap index, urlset, feeds).
_RECORDS = {"sitemapindex": ("sitemap",), "urlset": ("url",), "rss": ("item", "entry"), "rdf": ("item",),
            "feed": ("entry",)}
_KINDS = {"sitemapindex": "sitemapindex", "urlset": "urlset", "rss": "feed", "rdf": "feed", "feed": "feed"}
# A sitemap <url> or feed <item> has a dozen nodes; images and video sitemaps a few dozen more.
MAX_RECORD_NODES = 500
_MAX_DATE_CHARS = 100
_PLAIN = re.compile(r"[^\s]*")   # no white space, control or not, anywhere in the URL


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    date: datetime | None = None      # news:publication_date / pubDate / published, else lastmod / updated
    title: str | None = None


@dataclass(frozen=True)
class Discovered:
    kind: str                         # "sitemapindex", "urlset" or "feed"
    entries: list


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el, *names):
    """Text (or href) of the first child named `names[0]`, else `names[1]` ...: the order of
    `names` is the order of preference, whatever the order of the children."""
    for name in names:
        for child in el:
            if _local(child.tag) == name:
                text = (child.text or "").strip()
                if text:
                    return text
                href = child.get("href")
                if href:
                    return href.strip()
    return None


def _find(el, name):
    for child in el.iter():
        if _local(child.tag) == name:
            return child
    return None


def _date(value: str | None):
    if not value or len(value) > _MAX_DATE_CHARS:
        return None
    parsed = parse_date(value)
    return parsed.value if parsed else None


class Document:
    """One sitemap or feed being read: `kind` is known on opening, `entries()` parses the rest
    incrementally. `refused` counts what was not taken (reason -> count)."""

    def __init__(self, body: bytes, base_url: str | None = None, max_entries: int = 0):
        self.base_url = base_url
        self.max_entries = max_entries
        self.refused: Counter = Counter()
        self.error: str | None = None     # why the document ended early (malformed)
        self._events = lxml.etree.iterparse(BytesIO(body), events=("start", "end"), **_PARSE_OPTIONS)
        self._root = None
        try:
            for _event, el in self._events:      # the first event: the root's start
                self._root = el
                break
        except lxml.etree.XMLSyntaxError as exc:
            raise ValueError("not XML") from exc  # lxml's message quotes the document
        if self._root is None:
            raise ValueError("not XML")
        root_name = _local(self._root.tag)
        if root_name not in _KINDS:
            raise ValueError("unknown root element")   # its name is the document's, not logged
        self.root_name = root_name
        self.kind = _KINDS[root_name]

    def entries(self):
        """Yield the document's entries in document order; each record's nodes are freed once read."""
        records = _RECORDS[self.root_name]
        depth, record, nodes, taken = 1, None, 0, 0
        try:
            for event, el in self._events:
                if event == "start":
                    depth += 1
                    if record is None:
                        if _local(el.tag) in records:
                            record, nodes = el, 0
                    else:
                        nodes += 1
                    continue
                depth -= 1
                if el is record:
                    record = None
                    if nodes > MAX_RECORD_NODES:
                        self.refused["record"] += 1
                    elif (entry := self._entry(el)) is not None:
                        if self.max_entries and taken >= self.max_entries:
                            self.refused["entries"] += 1   # this document is cut here
                            return
                        taken += 1
                        yield entry
                elif record is not None and nodes <= MAX_RECORD_NODES:
                    continue   # part of a record still being read
                if depth >= 1:   # read (or not part of any record, or an oversized record's node): free it
                    el.clear()
                    parent = el.getparent()
                    if parent is not None:
                        parent.remove(el)
        except lxml.etree.XMLSyntaxError as exc:
            self.error = str(exc)[:200]
        else:
            # recover=True: a fatal error (truncation, libxml2's limits, entity amplification) ends
            # the events quietly; the error log tells.
            fatal = self._events.error_log.filter_from_fatals()
            if fatal:
                self.error = str(fatal[-1].message)[:200]
        if self.error:
            self.refused["malformed"] += 1

    def _url(self, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip()
        if self.base_url and not (value[:8].lower().startswith(("http://", "https://")) and _PLAIN.fullmatch(value)):
            value = absolute_url(value, self.base_url)   # relative, or white space inside (browsers' rules)
        url = web_url(value)
        if url is None:
            self.refused["scheme"] += 1
        return url

    def _entry(self, el) -> Entry | None:
        if self.kind == "sitemapindex":
            url = self._url(_child_text(el, "loc"))
            return Entry(url, _date(_child_text(el, "lastmod"))) if url else None
        if self.kind == "urlset":
            url = self._url(_child_text(el, "loc"))
            if not url:
                return None
            news = _find(el, "news")
            date = _date(_child_text(news, "publication_date")) if news is not None else None
            title = _child_text(news, "title") if news is not None else None
            return Entry(url, date or _date(_child_text(el, "lastmod")), title)
        link = _child_text(el, "link", "guid")
        if self.root_name == "feed":  # Atom: prefer rel=alternate
            alt = [c.get("href") for c in el if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate"]
            link = alt[0] if alt and alt[0] else link
        url = self._url(link)
        if not url:
            return None
        date = _date(_child_text(el, "pubdate", "published", "date", "issued", "updated", "modified"))
        return Entry(url, date, _child_text(el, "title"))


def open_discovery(body: bytes, base_url: str | None = None, max_entries: int = 0) -> Document:
    """Open a sitemap or feed document; raises ValueError when it is neither. Relative URLs are
    resolved against `base_url` (without one, only absolute http(s) URLs are taken)."""
    body = body.lstrip()
    if not body:
        raise ValueError("empty document")
    return Document(body, base_url, max_entries)


def parse_discovery(body: bytes, base_url: str | None = None, max_entries: int = 0) -> Discovered:
    """Parse a whole sitemap or feed document into a list; raises ValueError when it is neither."""
    doc = open_discovery(body, base_url, max_entries)
    return Discovered(doc.kind, list(doc.entries()))


def gunzip_document(body: bytes, max_bytes: int) -> bytes:
    """A `.xml.gz` sitemap (gzip magic, no Content-Encoding) decompressed to at most `max_bytes`;
    ValueError when it is larger (`SizeError`) or corrupt."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return gunzip(body, max_size=max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"unreadable gzip: {exc}") from exc
    except ValueError as exc:   # scrapy's _DecompressionMaxSizeExceeded
        raise SizeError(f"larger than {max_bytes} bytes uncompressed") from exc


class SizeError(ValueError):
    """A discovery document over NEWSCRAWL_DISCOVERY_MAX_BYTES."""


# ---- pending article URLs ------------------------------------------------------------------------

UNDATED = -math.inf


class Run:
    """One document's article URLs, newest first (undated last, document order among equals),
    kept as one bytes blob of newline-separated URLs and an array of timestamps: ~1 byte per URL
    character plus 9, where a str costs ~50 more and a scrapy.Request ~3 KB."""

    __slots__ = ("_blob", "_stamps", "_i", "_pos")

    def __init__(self, blob: bytes, stamps: array):
        self._blob, self._stamps = blob, stamps
        self._i = self._pos = 0

    def __len__(self) -> int:
        return len(self._stamps) - self._i

    def head(self) -> float:
        return self._stamps[self._i]

    def pop(self) -> str:
        end = self._blob.index(b"\n", self._pos)
        url = self._blob[self._pos:end].decode("utf-8")
        self._pos, self._i = end + 1, self._i + 1
        if self._i == len(self._stamps):   # done: free it now
            self._blob, self._stamps, self._i, self._pos = b"", array("d"), 0, 0
        return url


class RunBuilder:
    """Collects one document's accepted article URLs into flat buffers (no object per URL), then
    sorts them into a `Run`."""

    def __init__(self):
        self._blob = bytearray()
        self._ends = array("q")
        self._stamps = array("d")

    def add(self, url: str, date: datetime | None) -> None:
        self._blob += url.encode("utf-8")
        self._ends.append(len(self._blob))
        self._stamps.append(date.timestamp() if date else UNDATED)

    def __len__(self) -> int:
        return len(self._stamps)

    def build(self, limit: int | None = None) -> Run:
        """The newest `limit` (None: all) URLs as a Run; the builder is emptied."""
        import numpy   # loaded by the crawl anyway (datasketch); argsort needs no object per URL

        stamps = numpy.frombuffer(self._stamps, dtype=numpy.float64) if len(self._stamps) else numpy.empty(0)
        order = numpy.argsort(-stamps, kind="stable")[:limit]   # -inf (undated) sorts last
        ends = numpy.frombuffer(self._ends, dtype=numpy.int64) if len(self._ends) else numpy.empty(0, numpy.int64)
        starts = numpy.concatenate(([0], ends[:-1])) if len(ends) else ends
        src = memoryview(self._blob)
        out = bytearray()
        for i in order.tolist():
            out += src[starts[i]:ends[i]]
            out += b"\n"
        sorted_stamps = array("d", stamps[order].tobytes())
        del src
        self._blob, self._ends, self._stamps = bytearray(), array("q"), array("d")
        return Run(bytes(out), sorted_stamps)


class Frontier:
    """Article URLs discovered and not yet requested: the documents' runs merged newest first.
    Holds at most `max_pending` URLs (0: no limit); `add` returns how many it refused."""

    def __init__(self, max_pending: int = 0):
        self.max_pending = max_pending
        self._heap: list = []   # (-head timestamp, document seq, run)
        self._seq = 0
        self._pending = 0

    def __len__(self) -> int:
        return self._pending

    def add(self, builder: RunBuilder) -> int:
        room = len(builder)
        if self.max_pending:
            room = min(room, max(0, self.max_pending - self._pending))
        refused = len(builder) - room
        run = builder.build(room)   # the newest `room` URLs
        if len(run):
            self._pending += len(run)
            self._seq += 1
            heapq.heappush(self._heap, (-run.head(), self._seq, run))
        return refused

    def pop(self) -> str:
        _, seq, run = self._heap[0]
        url = run.pop()
        self._pending -= 1
        if len(run):
            heapq.heapreplace(self._heap, (-run.head(), seq, run))
        else:
            heapq.heappop(self._heap)
        return url


def _newest_first(entry: Entry) -> tuple:
    """Sort key: dated entries newest first, undated ones after them."""
    return (entry.date is not None, entry.date.timestamp() if entry.date else 0)


# ---- the Scrapy side ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    max_bytes: int       # NEWSCRAWL_DISCOVERY_MAX_BYTES: a document's size (uncompressed)
    max_entries: int     # NEWSCRAWL_DISCOVERY_MAX_ENTRIES: entries read from one document
    max_pending: int     # NEWSCRAWL_DISCOVERY_MAX_PENDING: article URLs waiting in the frontier
    max_queued: int      # NEWSCRAWL_DISCOVERY_MAX_QUEUED: requests in the scheduler before start() waits
    max_depth: int       # NEWSCRAWL_SITEMAP_MAX_DEPTH: sitemap index levels below a given sitemap
    max_total: int       # NEWSCRAWL_SITEMAP_MAX_TOTAL: child sitemaps requested per crawl

    @classmethod
    def from_settings(cls, settings) -> "Limits":
        return cls(max_bytes=settings.getint("NEWSCRAWL_DISCOVERY_MAX_BYTES"),
                   max_entries=settings.getint("NEWSCRAWL_DISCOVERY_MAX_ENTRIES"),
                   max_pending=settings.getint("NEWSCRAWL_DISCOVERY_MAX_PENDING"),
                   max_queued=max(1, settings.getint("NEWSCRAWL_DISCOVERY_MAX_QUEUED")),
                   max_depth=settings.getint("NEWSCRAWL_SITEMAP_MAX_DEPTH"),
                   max_total=settings.getint("NEWSCRAWL_SITEMAP_MAX_TOTAL"))


class Feeder:
    """A spider's discovery state: opens documents within the limits, decides which child
    sitemaps may be requested, keeps article URLs in a `Frontier` and yields them from `start()`
    (`feed`) as the scheduler drains."""

    def __init__(self, crawler, limits: Limits):
        self.crawler = crawler
        self.limits = limits
        self.frontier = Frontier(limits.max_pending)
        self.children_requested = 0
        self.fed = 0
        self.closed = False
        self._waiter = None
        crawler.signals.connect(self._wake, signal=signals.scheduler_empty)
        crawler.signals.connect(self._close, signal=signals.spider_closed)
        crawler.signals.connect(self._close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler) -> "Feeder":
        return cls(crawler, Limits.from_settings(crawler.settings))

    @property
    def stats(self):
        return self.crawler.stats   # set when the crawl starts, after the spider is built

    def refuse(self, reason: str, count: int = 1) -> None:
        if count:
            self.stats.inc_value(f"newscrawl/discovery/refused/{reason}", count)

    def request_meta(self) -> dict:
        """Meta of a discovery request: its size limit replaces DOWNLOAD_MAXSIZE (the sitemap
        protocol allows 50 MB, pages are capped lower)."""
        return {"download_maxsize": self.limits.max_bytes, "download_warnsize": self.limits.max_bytes}

    @property
    def dont_filter(self) -> bool:
        """With a JOBDIR, discovery documents are read again on resume: the URLs they listed and
        not yet requested were pending here, not in the job directory (already requested ones
        are filtered as before). Recursion stays bounded by the depth and total limits."""
        return bool(self.crawler.settings.get("JOBDIR"))

    def open(self, response) -> Document | None:
        """The response's document (gunzipped if it is a .xml.gz), or None: refused or invalid, counted and logged."""
        body = response.body
        try:
            if len(body) > self.limits.max_bytes:
                raise SizeError(f"{len(body)} bytes")
            body = gunzip_document(body, self.limits.max_bytes)
            doc = open_discovery(body, response.url, self.limits.max_entries)
        except SizeError as exc:
            self.refuse("size")
            logger.warning("Discovery document refused: %s (too large: %s)", response.url, exc)
            return None
        except ValueError as exc:
            self.stats.inc_value("newscrawl/discovery/invalid")
            logger.error("Not a sitemap or feed: %s (%s)", response.url, str(exc)[:200])
            return None
        self.stats.inc_value(f"newscrawl/discovery/{doc.kind}")
        return doc

    def close_document(self, doc: Document, url: str) -> None:
        for reason, count in doc.refused.items():
            self.refuse(reason, count)
        if doc.refused:
            logger.info("%s: refused %s", url, ", ".join(f"{n} {r}" for r, n in sorted(doc.refused.items())))
        if doc.error:
            logger.warning("%s: document ends early, entries after this point not read (%s)", url, doc.error)
        if doc.refused.get("entries"):
            logger.warning("%s: only the first %d entries read (NEWSCRAWL_DISCOVERY_MAX_ENTRIES)", url,
                           self.limits.max_entries)

    def children(self, doc: Document, url: str, depth: int, keep, limit: int = 0) -> tuple[list[Entry], int, int]:
        """The child sitemaps of the index `doc` (read from `url`, at `depth`) to request: those
        `keep(entry)` accepts, newest first, at most `limit` (0: all), within the depth and total
        limits (the others refused and counted). Returns (children, entries read, entries not kept)."""
        counts = [0, 0]

        def kept():
            for entry in doc.entries():
                counts[0] += 1
                if keep(entry):
                    yield entry
                else:
                    counts[1] += 1

        too_deep = depth + 1 > self.limits.max_depth
        budget = 0 if too_deep else max(0, self.limits.max_total - self.children_requested)
        take = min(budget, limit) if limit else budget
        entries = kept()
        # Streaming: memory for `take` entries, not for the whole index. Stable: document order among equals.
        chosen = heapq.nlargest(take, entries, key=_newest_first) if take else []
        for _ in entries:   # read the rest (counted)
            pass
        wanted = counts[0] - counts[1]
        wanted = min(wanted, limit) if limit else wanted
        self.children_requested += len(chosen)
        refused = wanted - len(chosen)
        if refused:
            reason, setting = ("depth", "NEWSCRAWL_SITEMAP_MAX_DEPTH") if too_deep else ("total", "NEWSCRAWL_SITEMAP_MAX_TOTAL")
            self.refuse(reason, refused)
            logger.warning("%s: %d child sitemaps refused at depth %d (%s %d)", url, refused, depth + 1, setting,
                           getattr(self.limits, f"max_{reason}"))
        return chosen, counts[0], counts[1]

    def add(self, builder: RunBuilder, url: str) -> None:
        refused = self.frontier.add(builder)
        if refused:
            self.refuse("pending", refused)
            logger.warning("%s: %d entries refused, %d article URLs already pending (NEWSCRAWL_DISCOVERY_MAX_PENDING)",
                           url, refused, len(self.frontier))
        self._wake()

    def failed(self, failure) -> None:
        """Errback of discovery requests: a document over the size limit is refused, any other
        failure (network, robots.txt, a refused URL) counted; the crawl goes on."""
        url = failure.request.url if hasattr(failure, "request") else "?"
        value = failure.value
        # The downloader cancels a body over download_maxsize; the decompression middleware ignores
        # a response that decompresses past it (a gzip bomb).
        too_large = isinstance(value, DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in str(value)
        if too_large:
            self.refuse("size")
            logger.warning("Discovery document refused: %s (larger than %d bytes)", url, self.limits.max_bytes)
        elif isinstance(value, IgnoreRequest):
            self.refuse("ignored")
            logger.info("Discovery document not fetched: %s (%s)", url, type(value).__name__)
        else:
            self.refuse("failed")
            logger.error("Discovery document not fetched: %s (%s: %s)", url, type(value).__name__, str(value)[:200])

    # -- feeding start() --

    def _wake(self, *args, **kwargs) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.called:
            waiter.callback(None)

    def _close(self, *args, **kwargs) -> None:
        self.closed = True
        self._wake()

    async def _wait(self) -> None:
        if self._waiter is None:
            self._waiter = Deferred()
        await maybe_deferred_to_future(self._waiter)

    def _queued(self) -> int:
        scheduler = self.crawler.engine.scheduler if self.crawler.engine else None
        if scheduler is None:
            return 0
        try:
            return len(scheduler)
        except TypeError:   # a scheduler without __len__
            return self.limits.max_queued if scheduler.has_pending_requests() else 0

    def _engine_idle(self) -> bool:
        """Nothing scheduled, downloading or being parsed: no document can add entries any more."""
        engine = self.crawler.engine
        if engine is None or engine.scheduler is None:
            return True
        slot = engine.scraper.slot
        return (not engine.scheduler.has_pending_requests() and not engine.downloader.active
                and (slot is None or slot.is_idle()))

    async def room(self) -> bool:
        """Wait until the scheduler holds fewer than NEWSCRAWL_DISCOVERY_MAX_QUEUED requests;
        False once the spider is closing."""
        while not self.closed and self._queued() >= self.limits.max_queued:
            await self._wait()
        return not self.closed

    @property
    def eager(self) -> bool:
        """With the shared Redis queue, a document's URLs go to it as soon as the document is read
        (`drain`, from the discovery callback), not from start(): the engine takes start()
        requests only while its scheduler is empty, so the discovering worker filled the shared
        queue one request at a time and the other worker, finding it empty, stopped (scale bench:
        1-2% of the pages); URLs held in one worker's memory would also die with it."""
        return str(self.crawler.settings.get("SCHEDULER") or "").startswith("newscrawl.distributed.")

    def _request(self, make_request):
        """The next pending URL as `make_request(url, rank)`, None when Scrapy cannot take it."""
        self.fed += 1
        url = self.frontier.pop()
        try:
            return make_request(url, self.fed)
        except Exception as exc:   # one URL Scrapy cannot take must not end the feed (and the rest)
            self.refuse("invalid")
            logger.warning("Discovered URL refused: %s (%s)", url[:200], type(exc).__name__)
            return None

    def drain(self, make_request):
        """Every pending URL as a request now, newest first (eager mode)."""
        while len(self.frontier):
            request = self._request(make_request)
            if request is not None:
                yield request

    async def feed(self, make_request):
        """Yield `make_request(url, rank)` for each pending article URL, newest first, as the
        scheduler drains; ends when nothing is pending and no document is still being fetched or read."""
        while not self.closed:
            if len(self.frontier):
                if not await self.room():
                    return
                if not len(self.frontier):   # taken while we waited (drain, eager mode)
                    continue
                request = self._request(make_request)
                if request is not None:
                    yield request
            elif self._engine_idle():
                return
            else:
                await self._wait()
