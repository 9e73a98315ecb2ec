"""Page objects: the generic :class:`~newscrawl.pages.base.ArticlePage` and one module per source
(``newscrawl/publishers/<slug>.py``), each declaring its layouts with ``@source_page(slug)``.

``page_for(url, body, ...)`` routes a page to its source by domain and picks the layout: the first
(newest) registered layout whose validity dates contain the crawl date and whose ``applies()``
recognises the markup; pages of unknown domains get the generic page.
"""

import importlib
import pkgutil
from datetime import date, datetime

from newscrawl.extract.urls import registered_domain
from newscrawl.sources import SOURCES, get_source

from .base import ArticlePage, NotAnArticle

# registered domain or host -> layouts of its source, newest first
_BY_DOMAIN: dict[str, list[type[ArticlePage]]] = {}
BY_SOURCE: dict[str, list[type[ArticlePage]]] = {}


def source_page(slug: str, *, valid_from: date | None = None, valid_until: date | None = None):
    """Class decorator: a layout of source `slug` (name, language, zone from the source table).
    Declare layouts newest first; `valid_until` closes an old layout for archived pages."""
    source = get_source(slug)

    def register(cls: type[ArticlePage]) -> type[ArticlePage]:
        cls.source = source   # the page reads the source's facts from its declaration
        cls.valid_from, cls.valid_until = valid_from, valid_until
        BY_SOURCE.setdefault(slug, []).append(cls)
        for domain in source.domains:
            _BY_DOMAIN.setdefault(domain, [])
            if cls not in _BY_DOMAIN[domain]:
                _BY_DOMAIN[domain].append(cls)
        return cls
    return register


def _layouts(url: str) -> list[type[ArticlePage]]:
    host = (url.split("//", 1)[-1].split("/", 1)[0].split(":")[0]).lower()
    return _BY_DOMAIN.get(host) or _BY_DOMAIN.get(registered_domain(url)) or [ArticlePage]


def page_for(url: str, body: bytes, *, content_type: str | None = None, crawled_at: datetime | None = None,
             source: str | None = None) -> ArticlePage:
    """The page object for a fetched page. `source` forces a source's layouts (its spider knows)."""
    layouts = BY_SOURCE.get(source) if source else None
    layouts = layouts or _layouts(url)
    day = crawled_at.date() if crawled_at else None
    candidates = [cls for cls in layouts
                  if day is None or ((cls.valid_from is None or cls.valid_from <= day)
                                     and (cls.valid_until is None or day < cls.valid_until))] or layouts
    # A table source without a page module (e.g. NEWSCRAWL_EXTRA_SOURCES): generic extraction
    # under the source's declaration (name, language, zone).
    declared = SOURCES.get(source) if source else None
    for cls in candidates:
        page = cls(url, body, headers_content_type=content_type, crawled_at=crawled_at,
                   source=declared if cls.source is None else None)
        if cls is candidates[-1] or page.applies():
            break
    return page


def page_class_for(url: str) -> type[ArticlePage]:
    """The newest layout class for a URL (generic page for unknown domains)."""
    return _layouts(url)[0]


def _load_source_modules() -> None:
    import newscrawl.publishers as publishers
    for module in pkgutil.iter_modules(publishers.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{publishers.__name__}.{module.name}")


_load_source_modules()

__all__ = ["ArticlePage", "NotAnArticle", "BY_SOURCE", "page_for", "page_class_for", "source_page"]
