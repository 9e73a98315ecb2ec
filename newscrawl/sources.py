"""The source registry. A source is declared once, in its publisher module
``newscrawl/publishers/<slug>.py`` (``SOURCE = Source(...)``: name, domains, language, zone, feeds,
article URL filter, politeness, rendering) beside its layouts; the slug names the module, the
spider (`scrapy crawl <slug>`) and the items' ``source``. docs/sources.md ("Adding a source") says what to
declare.

``SOURCES`` (slug -> Source) collects the declarations on first use; sources crawled with the
generic extraction only (no code) come from the JSON file named by the ``NEWSCRAWL_EXTRA_SOURCES``
setting: the spider loader (newscrawl/spiders/loader.py) reads it with :func:`load_extra_sources`
and registers them (``SOURCES.register``) next to their spiders.
"""

import importlib
import json
import pkgutil
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


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
        if not re.search(self.article_url, url):
            return False
        return not (self.exclude_url and re.search(self.exclude_url, url))

    def sections(self) -> list[str]:
        return sorted({f.section for f in self.feeds if f.section})


class SourceRegistry(Mapping[str, Source]):
    """slug -> Source: every ``SOURCE`` of the modules of newscrawl/publishers/ (imported on first
    use, as the publisher modules import the page classes), plus the sources registered later."""

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
                self._sources = sources
            finally:
                self._loading = False
        return self._sources

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
            raise ValueError(f"NEWSCRAWL_EXTRA_SOURCES: source {source.slug!r} is already defined")
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
