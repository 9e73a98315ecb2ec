"""Page objects: the generic :class:`~newscrawl.pages.base.ArticlePage` and the layouts of the
publishers (``newscrawl/publishers/<slug>.py``: the source's declaration ``SOURCE`` and its layouts,
each marked ``@source_page(SOURCE)``).

``page_for(url, body, ...)`` routes a page to its source by domain (or the source its spider names)
and picks the layout: the first (newest) layout of the source whose validity dates contain the crawl
date and whose ``applies()`` recognises the markup. A page of a declared source without layouts
(a catalog or extra
source) gets the generic page under that source's declaration; pages of unknown domains
get the generic page.
"""

from datetime import date, datetime

from newscrawl.extract.urls import registered_domain
from newscrawl.sources import SOURCES, Source

from .base import ArticlePage, NotAnArticle
from .declared import LayoutSelectors, css, xpath


def source_page(source: Source, *, valid_from: date | None = None, valid_until: date | None = None):
    """Class decorator: a layout of `source` (the page reads the source's facts from it). Declare
    layouts newest first; `valid_until` closes an old layout for archived pages."""

    def register(cls: type[ArticlePage]) -> type[ArticlePage]:
        cls.source = source
        cls.valid_from, cls.valid_until = valid_from, valid_until
        source.layouts.append(cls)
        return cls
    return register


_by_domain: dict[str, Source] = {}
_indexed = -1     # how many sources _by_domain was built from (extra sources register later)


def _source_of(url: str) -> Source | None:
    """The declared source (a launch source with layouts, or a catalog or extra source read with
    the generic extraction) that owns the URL's host or registered domain."""
    global _by_domain, _indexed
    if _indexed != len(SOURCES):
        _by_domain = {domain: s for s in SOURCES.values() for domain in s.domains}
        _indexed = len(SOURCES)
    host = (url.split("//", 1)[-1].split("/", 1)[0].split(":")[0]).lower()
    return _by_domain.get(host) or _by_domain.get(registered_domain(url))


def _layouts(url: str) -> list[type[ArticlePage]]:
    owner = _source_of(url)
    return (owner.layouts if owner else None) or [ArticlePage]


def page_for(url: str, body: bytes, *, content_type: str | None = None, crawled_at: datetime | None = None,
             source: str | None = None, generic: bool = False) -> ArticlePage:
    """The page object for a fetched page. `source` forces a source's layouts (its spider knows).
    `generic` reads the page as one of an unknown site: no layout, no source declaration, no
    publisher hint (NEWSCRAWL_GENERIC_EXTRACTION; `bench extraction` measures it)."""
    if generic:
        return ArticlePage(url, body, headers_content_type=content_type, crawled_at=crawled_at, hints=False)
    declared = (SOURCES.get(source) if source else None) or _source_of(url)
    layouts = (declared.layouts if declared else None) or [ArticlePage]
    day = crawled_at.date() if crawled_at else None
    candidates = [cls for cls in layouts
                  if day is None or ((cls.valid_from is None or cls.valid_from <= day)
                                     and (cls.valid_until is None or day < cls.valid_until))] or layouts
    page = None
    for cls in candidates:
        # The generic page of a declared source without layouts (a catalog or extra source) reads
        # its facts from the declaration it is given.
        tried = page
        page = cls(url, body, headers_content_type=content_type, crawled_at=crawled_at,
                   source=declared if cls.source is None else None)
        if tried is not None:
            # The document is parsed once, whichever layout reads it.
            page.__dict__.update({k: tried.__dict__[k] for k in _SHARED if k in tried.__dict__})
        if cls is candidates[-1] or page.applies():
            break
    return page


# What a layout that did not apply hands to the next: the decoded, parsed document and its
# structured data (the same for every layout).
_SHARED = ("html", "tree", "data")


def page_class_for(url: str) -> type[ArticlePage]:
    """The newest layout class for a URL (generic page for unknown domains)."""
    return _layouts(url)[0]


__all__ = ["ArticlePage", "LayoutSelectors", "NotAnArticle", "css", "page_for", "page_class_for", "source_page",
           "xpath"]
