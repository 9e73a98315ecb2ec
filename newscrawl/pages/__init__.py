"""Per-source page objects. ``page_class_for(url)`` routes a URL to its source's page class by
domain, falling back to the generic :class:`~newscrawl.pages.base.ArticlePage`."""

from newscrawl.extract.urls import registered_domain

from .base import ArticlePage, NotAnArticle

# registered domain -> page class; filled by per-source modules via `register`.
_BY_DOMAIN: dict[str, type[ArticlePage]] = {}


def register(cls: type[ArticlePage], domains) -> type[ArticlePage]:
    for domain in domains:
        _BY_DOMAIN[registered_domain(domain if "//" in domain else f"https://{domain}")] = cls
    return cls


def page_class_for(url: str) -> type[ArticlePage]:
    return _BY_DOMAIN.get(registered_domain(url), ArticlePage)


__all__ = ["ArticlePage", "NotAnArticle", "page_class_for", "register"]
