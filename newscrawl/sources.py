"""The source table: slug -> name, domains, language, time zone, feeds, article URL pattern and
politeness. The slug names the source's spider (`scrapy crawl <slug>`), its page module
(`newscrawl/pages/<slug>.py`) and its entry here. README "Adding a source" says what to declare.
"""

import json
import os
import re
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
    render: bool = False         # pages need a browser (scrapy-playwright)
    allowed_domains: tuple[str, ...] = field(default=())  # extra domains redirects may go to

    def is_article_url(self, url: str) -> bool:
        if not re.search(self.article_url, url):
            return False
        return not (self.exclude_url and re.search(self.exclude_url, url))

    def sections(self) -> list[str]:
        return sorted({f.section for f in self.feeds if f.section})


def _s(slug, name, domains, language, timezone, feeds, article_url, **kw) -> Source:
    return Source(slug, name, tuple(domains), language, timezone,
                  tuple(Feed(*f) if isinstance(f, tuple) else f for f in feeds), article_url, **kw)


SOURCES: dict[str, Source] = {s.slug: s for s in (
    # ---- group A ----
    _s("lemonde", "Le Monde", ["lemonde.fr"], "fr", "Europe/Paris",
       [("news_sitemap", "https://www.lemonde.fr/sitemap_news.xml"),
        ("sitemap", "https://www.lemonde.fr/sitemap_index.xml")],
       r"lemonde\.fr/[\w-]+/article/\d{4}/\d{2}/\d{2}/", exclude_url=r"/live/"),
    # ---- end group A ----
    # ---- group B ----
    # ---- end group B ----
    # ---- group C ----
    # ---- end group C ----
    # ---- group D ----
    # ---- end group D ----
)}


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


# NEWSCRAWL_EXTRA_SOURCES (environment): a JSON file of more sources, read when spiders load.
if os.environ.get("NEWSCRAWL_EXTRA_SOURCES"):
    for _extra in load_extra_sources(os.environ["NEWSCRAWL_EXTRA_SOURCES"]):
        if _extra.slug in SOURCES:
            raise ValueError(f"NEWSCRAWL_EXTRA_SOURCES: source {_extra.slug!r} is already defined")
        SOURCES[_extra.slug] = _extra


def get_source(slug: str) -> Source:
    try:
        return SOURCES[slug]
    except KeyError:
        raise KeyError(f"unknown source {slug!r}; known: {', '.join(sorted(SOURCES))}") from None
