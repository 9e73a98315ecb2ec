"""The source registry. A source is declared once: a launch source in its publisher module
``newscrawl/publishers/<slug>.py`` (``SOURCE = Source(...)``: name, domains, language, zone, feeds,
article URL filter, politeness, rendering) beside its layouts; a source read with the generic
extraction in the packaged catalog ``newscrawl/publishers/catalog.toml`` (:func:`load_catalog`).
The slug names the spider (`scrapy crawl <slug>`) and the items' ``source``. docs/sources.md
("Adding a source", "The catalog") says what to declare.

``SOURCES`` (slug -> Source) collects the modules' and the catalog's declarations on first use;
more sources crawled with the generic extraction come from the JSON file named by the
``NEWSCRAWL_EXTRA_SOURCES`` setting: the spider loader (newscrawl/spiders/loader.py) reads it with
:func:`load_extra_sources` and registers them (``SOURCES.register``) next to their spiders.
"""

import importlib
import importlib.resources
import json
import pkgutil
import re
import tomllib
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


# Longer URLs are never fetched (Scrapy's URLLENGTH_LIMIT default) nor matched against patterns.
MAX_URL_CHARS = 2083


@dataclass(frozen=True)
class Feed:
    kind: str                    # "news_sitemap", "sitemap" (index or urlset) or "rss" (RSS/Atom)
    url: str
    section: str | None = None   # feeds of one section, selectable with -a sections=...


@dataclass(frozen=True)
class Source:
    slug: str
    name: str
    domains: tuple[str, ...]     # registered domains (and hosts) whose pages belong to the source
    language: str
    timezone: str                # IANA zone for wall times printed without an offset
    feeds: tuple[Feed, ...]
    article_url: str             # regex (searched in the URL) that article URLs match
    exclude_url: str | None = None   # regex for URLs that match article_url but are not articles
    concurrency: int = 2         # CONCURRENT_REQUESTS_PER_DOMAIN for this source
    delay: float = 1.0           # DOWNLOAD_DELAY (AutoThrottle may raise it)
    render: bool = False         # pages need a browser (scrapy-playwright; docs/rendering.md)
    render_wait_selector: str | None = None   # CSS selector present once the body is there
    render_click_selector: str | None = None  # a "read more" button to click first, when present
    render_timeout_ms: int = 15_000           # navigation, waiting and clicking of one rendering
    render_fallback: bool = False             # after a failed retry, use the unrendered page
    allowed_domains: tuple[str, ...] = field(default=())  # extra domains redirects may go to
    # The source's page layouts, newest first, as its module declares them (`@source_page(SOURCE)`
    # in newscrawl/pages); none for a source read with the generic extraction.
    layouts: list = field(default_factory=list, compare=False, repr=False)

    def is_article_url(self, url: str) -> bool:
        if len(url) > MAX_URL_CHARS or not re.search(self.article_url, url):
            return False
        return not (self.exclude_url and re.search(self.exclude_url, url))

    def sections(self) -> list[str]:
        return sorted({f.section for f in self.feeds if f.section})


CATALOG = "catalog.toml"    # in the publishers package (package data: setup.py)
_SLUG = re.compile(r"[a-z][a-z0-9_]{1,39}")
_FEED_KINDS = ("news_sitemap", "rss", "sitemap")
_ENTRY_KEYS = {"name", "domains", "allowed_domains", "language", "timezone", "feeds", "url_shape", "url_path",
               "article_dirs", "exclude_url", "concurrency", "delay"}


def domain_prefix(domains) -> str:
    """Regex of a URL's scheme and host on one of `domains` (or a subdomain), up to the path's '/'."""
    hosts = "|".join(re.escape(d) for d in domains)
    return rf"^https?://(?:[\w-]+\.)*(?:{hosts})(?::\d+)?/"


def load_catalog(text: str | None = None) -> list[Source]:
    """The catalog's sources (``newscrawl/publishers/catalog.toml``, or the TOML `text`): each
    ``[source.<slug>]`` table with Source's facts; the article URL pattern is the domains' prefix
    followed by a ``[shapes]`` regex (``url_shape``) or the source's own path regex (``url_path``);
    URLs with a directory of ``[defaults] exclude_dirs`` (but the source's ``article_dirs``) or
    matching ``[defaults] exclude_url`` or the source's are not articles. A malformed entry raises
    ValueError naming it."""
    if text is None:
        text = importlib.resources.files("newscrawl.publishers").joinpath(CATALOG).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    defaults, shapes = data.get("defaults", {}), data.get("shapes", {})
    entries = data.get("source", {})
    if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
        raise ValueError(f"{CATALOG}: sources are tables [source.<slug>]")
    out = []
    for slug, e in entries.items():
        where = f"{CATALOG} [source.{slug}]"
        unknown = set(e) - _ENTRY_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        if not _SLUG.fullmatch(slug):
            raise ValueError(f"{where}: a slug is 2-40 lowercase letters, digits or '_', starting with a letter")
        if ("url_shape" in e) == ("url_path" in e):
            raise ValueError(f"{where}: give url_shape (one of {sorted(shapes)}) or url_path")
        path = e.get("url_path") or shapes.get(e["url_shape"])
        if path is None:
            raise ValueError(f"{where}: unknown url_shape {e['url_shape']!r}; known: {sorted(shapes)}")
        try:
            zoneinfo.ZoneInfo(e.get("timezone", ""))
        except (ValueError, TypeError, zoneinfo.ZoneInfoNotFoundError):
            raise ValueError(f"{where}: unknown time zone {e.get('timezone')!r}") from None
        dirs = [d for d in defaults.get("exclude_dirs", ()) if d not in e.get("article_dirs", ())]
        exclude = [rf"^https?://[^/?#]+/(?:[^/?#]+/)*(?:{'|'.join(map(re.escape, dirs))})/" if dirs else None,
                   defaults.get("exclude_url"), e.get("exclude_url")]
        try:
            source = Source(
                slug=slug, name=e["name"], domains=tuple(e["domains"]), language=e["language"],
                timezone=e["timezone"], feeds=tuple(Feed(**feed) for feed in e.get("feeds", ())),
                article_url=domain_prefix(e["domains"]) + path,
                exclude_url="|".join(x for x in exclude if x) or None,
                concurrency=int(e.get("concurrency", defaults.get("concurrency", 2))),
                delay=float(e.get("delay", defaults.get("delay", 1.0))),
                allowed_domains=tuple(e.get("allowed_domains", ())))
            re.compile(source.article_url)
            if source.exclude_url:
                re.compile(source.exclude_url)
        except (KeyError, TypeError, re.error) as exc:
            raise ValueError(f"{where}: {type(exc).__name__}: {exc}") from None
        if not isinstance(source.language, str) or not re.fullmatch(r"[a-z]{2,3}", source.language):
            raise ValueError(f"{where}: language is an ISO 639 code such as 'de'")
        if not source.domains or any(not isinstance(d, str) or d != d.lower() or "/" in d or "." not in d
                                     for d in (*source.domains, *source.allowed_domains)):
            raise ValueError(f"{where}: domains are lowercase host names such as 'derstandard.at'")
        bad = [f.url for f in source.feeds if f.kind not in _FEED_KINDS or not f.url.startswith("https://")]
        if bad:
            raise ValueError(f"{where}: feeds are https news_sitemap, rss or sitemap addresses: {bad[:3]}")
        out.append(source)
    return out


class SourceRegistry(Mapping[str, Source]):
    """slug -> Source: every ``SOURCE`` of the modules of newscrawl/publishers/ (imported on first
    use, as the publisher modules import the page classes) and of its catalog, plus the sources
    registered later."""

    def __init__(self, package: str = "newscrawl.publishers"):
        self._package = package
        self._sources: dict[str, Source] | None = None
        self._loading = False

    def _declared(self) -> dict[str, Source]:
        if self._sources is None:
            if self._loading:   # a publisher module asking for the registry while it is being read
                raise RuntimeError(f"{self._package} modules must not look sources up while they load")
            self._loading = True
            try:
                sources = {}
                package = importlib.import_module(self._package)
                for info in pkgutil.iter_modules(package.__path__):
                    if info.name.startswith("_"):
                        continue
                    source = importlib.import_module(f"{self._package}.{info.name}").SOURCE
                    if source.slug != info.name:
                        raise ValueError(f"{self._package}.{info.name} declares source {source.slug!r}: "
                                         f"the module is named after its slug")
                    sources[source.slug] = source
                for source in self._catalog(package):
                    if source.slug in sources:
                        raise ValueError(f"{CATALOG}: source {source.slug!r} is declared by a publisher module too")
                    sources[source.slug] = source
                self._sources = sources
            finally:
                self._loading = False
        return self._sources

    @staticmethod
    def _catalog(package) -> list[Source]:
        resource = importlib.resources.files(package).joinpath(CATALOG)
        return load_catalog(resource.read_text(encoding="utf-8")) if resource.is_file() else []

    def catalog_slugs(self) -> list[str]:
        """Slugs of the sources read with the generic extraction (no layouts): catalog and extra."""
        return [slug for slug, source in self._declared().items() if not source.layouts]

    def __getitem__(self, slug: str) -> Source:
        return self._declared()[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._declared())

    def __len__(self) -> int:
        return len(self._declared())

    def register(self, source: Source) -> None:
        """Add a source declared elsewhere (an extra source); its slug must be new, or name the
        same declaration (a second spider loader in one process)."""
        known = self._declared().get(source.slug)
        if known is not None and known != source:
            where = "in a publisher module" if known.layouts else "in the catalog or another extra source"
            raise ValueError(f"NEWSCRAWL_EXTRA_SOURCES: source {source.slug!r} is already defined ({where}) "
                             f"differently; use another slug")
        self._declared()[source.slug] = source


SOURCES = SourceRegistry()


def get_source(slug: str) -> Source:
    try:
        return SOURCES[slug]
    except KeyError:
        raise KeyError(f"unknown source {slug!r}; known: {', '.join(sorted(SOURCES))}") from None


def load_extra_sources(path: str) -> list[Source]:
    """Sources from a JSON file (a list of objects with Source's fields; feeds as
    [{"kind", "url", "section"?}]): sites crawled with the generic extraction, no code needed."""
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    out = []
    for e in entries:
        feeds = tuple(Feed(**feed) for feed in e.pop("feeds", []))
        out.append(Source(**{**e, "domains": tuple(e["domains"]), "feeds": feeds,
                             "allowed_domains": tuple(e.get("allowed_domains", ()))}))
    return out
