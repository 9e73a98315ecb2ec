"""The page object's structure: every field the page sets is one registered method whose value
passes its field's finisher, whatever a layout's override returns; the body comes with the way it
was found; a page learns its source's facts from the one declaration it is given; the shared
class-word XPath predicate matches whole class words only."""

from datetime import datetime, timezone

import lxml.etree
import lxml.html

from conftest import ARTICLE_PARAGRAPHS, article_html
from newscrawl.article.fields import MAX_SUMMARY_CHARS, PAGE_FIELDS
from newscrawl.pages import ArticlePage
from newscrawl.pages.base import Body
from newscrawl.pages.fields import fields_of
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Source

URL = "https://www.valleypost.co.uk/news/2024/reservoir-full.html"
TITLE = "Reservoir fuller than in a decade"
CRAWLED = datetime(2024, 5, 6, 12, 0, tzinfo=timezone.utc)


def page(cls=ArticlePage, html=None, **kwargs) -> ArticlePage:
    return cls(URL, (html or article_html(TITLE)).encode(), headers_content_type="text/html; charset=utf-8",
               crawled_at=CRAWLED, **kwargs)


def test_every_field_the_page_sets_is_read_by_one_registered_method():
    assert [f.name for f in fields_of(ArticlePage)] == list(PAGE_FIELDS)
    assert list(page().to_item()) == list(PAGE_FIELDS)


def test_a_layout_override_keeps_the_fields_finisher():
    class Layout(ArticlePage):
        def summary(self):          # not decorated: the base's cleaning and cap still apply
            return "  <b>Dam</b>   full " + "x" * (2 * MAX_SUMMARY_CHARS)

    summary = page(Layout).to_item()["summary"]
    assert summary.startswith("Dam full ")
    assert len(summary) <= MAX_SUMMARY_CHARS


def test_the_standfirst_hook_is_empty_on_the_generic_page():
    assert page().standfirst() is None


def test_the_body_comes_with_the_way_it_was_found():
    generic = page()
    body = generic.body_paragraphs()
    assert body.paragraphs == list(ARTICLE_PARAGRAPHS)
    assert body.method == "main_text"
    assert "body_method" not in vars(generic)       # reading the body sets no state

    class Layout(ArticlePage):
        PARAGRAPHS = lxml.etree.XPath("//article/p")

        def body_paragraphs(self) -> Body:
            return self.selected_body(self.PARAGRAPHS(self.tree)) or super().body_paragraphs()

    selected = page(Layout).body_paragraphs()
    assert (selected.paragraphs, selected.method) == (list(ARTICLE_PARAGRAPHS), "selectors")


def test_a_page_reads_its_sources_facts_from_the_declaration_it_is_given():
    declared = Source("valleypost", "The Valley Post", ("valleypost.co.uk",), "en", "Asia/Tokyo", (), r"/news/")
    html = article_html(TITLE, published="2024-05-06T09:30:00")        # a wall time without offset
    generic, sourced = page(html=html).to_item(), page(html=html, source=declared).to_item()
    assert (generic["source"], sourced["source"]) == ("valleypost.co.uk", "valleypost")
    assert sourced["source_name"] == "The Valley Post"
    assert sourced["published_at_source"]["zone_guess"] == "Asia/Tokyo"
    assert sourced["published_at"] == "2024-05-06T00:30:00Z"
    assert ArticlePage.source is None                                   # the class is left as it was


def test_has_class_matches_whole_class_words_only():
    doc = lxml.html.fromstring('<div><p class="intro">a</p><p class="lead\tintro  x">b</p>'
                               '<p class="introduction">c</p><p class="pre-intro">d</p><p>e</p></div>')
    assert [p.text for p in doc.xpath(f"//p[{has_class('intro')}]")] == ["a", "b"]


def test_generic_mode_reads_a_launch_sources_page_as_an_unknown_sites():
    from newscrawl.pages import page_for

    html = article_html(TITLE).encode()
    url = "https://www.reuters.com/world/europe/some-story-2024-05-06/"
    routed, generic = page_for(url, html), page_for(url, html, generic=True)
    assert type(routed).__name__ == "Reuters" and routed.source.slug == "reuters"
    assert type(generic) is ArticlePage and generic.source is None
    assert generic.to_item()["source"] == "reuters.com"


def test_generic_mode_ignores_the_publishers_headline_hint():
    from newscrawl.pages import page_for

    html = article_html(TITLE).encode()
    url = "https://www.latimes.com/world/story/2024-05-06/some-story"    # hinted: headline is og:title
    assert page_for(url, html).headline_from() == "og:title"
    assert page_for(url, html, generic=True).headline_from() is None


def test_a_catalog_sources_page_is_read_under_its_declaration_whichever_spider_fetched_it():
    from newscrawl.pages import page_for
    from newscrawl.sources import SOURCES

    catalog = next(s for s in SOURCES.values() if not s.layouts)
    url = f"https://www.{catalog.domains[0]}/story/123456/some-story"
    page = page_for(url, article_html(TITLE).encode())       # no source named: a warc or article crawl
    assert type(page) is ArticlePage and page.source is catalog
    assert (page.to_item()["source"], page.to_item()["source_name"]) == (catalog.slug, catalog.name)
