"""The source registry: every publisher module declares its source beside its layouts, and pages
learn their source's facts from that declaration (newscrawl/sources.py, newscrawl/pages/__init__.py)."""

import importlib

import pytest

import newscrawl.pages
from newscrawl.pages import ArticlePage, page_for
from newscrawl.sources import SOURCES, Source, get_source


def test_each_publisher_module_declares_its_source_and_layouts():
    modules = [slug for slug, source in SOURCES.items() if source.layouts]
    assert len(modules) >= 32 and set(modules) | set(SOURCES.catalog_slugs()) == set(SOURCES)
    for slug in modules:
        source = SOURCES[slug]
        module = importlib.import_module(f"newscrawl.publishers.{slug}")
        assert module.SOURCE is source and source.slug == slug
        assert source.layouts, slug
        assert all(issubclass(cls, ArticlePage) and cls.source is source for cls in source.layouts), slug


def test_unknown_source_is_named_with_the_known_ones():
    with pytest.raises(KeyError, match="unknown source 'nope'; known: .*faz"):
        get_source("nope")


def test_pages_are_routed_by_domain_to_the_declared_source():
    page = page_for("https://www.faz.net/aktuell/politik/ein-artikel-123456789.html", b"<html><body></body></html>")
    assert page.source is get_source("faz") and type(page) in get_source("faz").layouts
    assert page_for("https://unknown.example/a", b"<html></html>").source is None


def test_a_declared_source_without_layouts_gets_the_generic_page_under_its_declaration(monkeypatch):
    extra = Source("localextra", "Local Extra", ("example.org",), "en", "UTC", (), r"/news/")
    monkeypatch.setattr(newscrawl.pages, "SOURCES", {**SOURCES, extra.slug: extra})
    named = page_for("https://example.org/news/1.html", b"<html></html>", source="localextra")
    assert type(named) is ArticlePage and named.source is extra
    # A page of its domain fetched by another spider (warc, article) is routed to it by domain.
    routed = page_for("https://example.org/news/1.html", b"<html></html>")
    assert type(routed) is ArticlePage and routed.source is extra
    assert page_for("https://example.com/news/1.html", b"<html></html>").source is None
