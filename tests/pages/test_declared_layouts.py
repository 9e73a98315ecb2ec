"""Source parsers as a fast path (newscrawl/pages/declared.py): a layout's declared selectors give the
body without the generic extraction; when a redesign breaks them the page falls back to the generic
path, says why (`layout_miss`) and the spider counts it per source."""

import json
from pathlib import Path

import pytest

from newscrawl.pages import ArticlePage, LayoutSelectors, css, page_for
from newscrawl.pages.body import SELECTORS
from newscrawl.spiders.base import count_layout

FIXTURES = Path(__file__).resolve().parent.parent / "publishers"
REUTERS = FIXTURES / "reuters" / "reuters.html"
REUTERS_URL = json.loads((FIXTURES / "reuters" / "expected.json").read_text())["cases"]["article"]["url"]

WORDS = ("The council voted on the new budget after a long debate about schools, roads and the harbour, "
         "and the mayor said the city would publish the full figures next week. ")


class Stats(dict):
    def inc_value(self, key, n=1):
        self[key] = self.get(key, 0) + n


def reuters(html: str | None = None):
    return page_for(REUTERS_URL, (html or REUTERS.read_text(encoding="utf-8")).encode())


def test_a_launch_source_page_is_read_by_its_declared_selectors():
    page = reuters()
    item = page.to_item()
    assert page.layout_miss is None
    assert page.body_paragraphs().method == SELECTORS
    assert len(item["body"].split()) > 50


def test_the_fast_path_does_not_run_the_generic_body_extraction(monkeypatch):
    def generic(self):
        raise AssertionError("generic body extraction ran")
    monkeypatch.setattr(ArticlePage, "main_text_paragraphs", generic)
    assert reuters().to_item()["body"]


def test_a_redesigned_page_falls_back_to_the_generic_body_and_is_counted():
    original = reuters().to_item()["body"]
    # The redesign: the body container's class renamed, the paragraphs' test ids gone.
    html = REUTERS.read_text(encoding="utf-8").replace("article-body__content", "article-body__text-2025")
    html = html.replace('data-testid="paragraph-', 'data-qa="para-')
    page = reuters(html)
    item = page.to_item()
    assert page.layout_miss == "body_selector"
    assert page.body_paragraphs().method != SELECTORS
    # The generic path keeps the full text: every paragraph of the original body is there.
    for paragraph in original.split("\n\n"):
        assert paragraph in item["body"]
    stats = Stats()
    count_layout(stats, page)
    assert stats == {"newscrawl/layout_pages/reuters": 1, "newscrawl/layout_miss/reuters": 1,
                     "newscrawl/layout_miss/reuters/body_selector": 1}
    healthy = reuters()
    healthy.to_item()
    count_layout(stats, healthy)
    assert stats["newscrawl/layout_pages/reuters"] == 2 and stats["newscrawl/layout_miss/reuters"] == 1


class Layout(ArticlePage):
    selectors = LayoutSelectors(body=css("div.story-text"), title=css("h1.headline"), lede=css("p.dek"))


def page_html(*, first_only=False, title_class="headline", ld_body: str | None = None) -> bytes:
    paragraphs = [f"<p>Paragraph {i}. {WORDS}</p>" for i in range(20)]
    inside, outside = (paragraphs[:1], paragraphs[1:]) if first_only else (paragraphs, [])
    ld = (f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "articleBody": ld_body})}'
          "</script>") if ld_body else ""
    return (f'<html><head><title>Budget vote</title>{ld}</head><body><article>'
            f'<h1 class="{title_class}">Budget vote</h1><p class="dek">The council decided on a budget of growth.</p>'
            f'<div class="story-text">{"".join(inside)}</div><div class="more">{"".join(outside)}</div>'
            "</article></body></html>").encode()


def test_declared_fields_are_read_with_the_lede_first():
    page = Layout("https://news.example/a/1", page_html())
    item = page.to_item()
    assert page.layout_miss is None
    assert item["title"] == "Budget vote"
    assert item["body"].startswith("The council decided on a budget of growth.\n\nParagraph 0.")


def test_a_selector_that_now_finds_the_first_paragraph_only_is_a_short_body():
    # The case: a layout still matched one paragraph of a long article (60 of ~900 words).
    page = Layout("https://news.example/a/1", page_html(first_only=True))
    item = page.to_item()
    assert page.layout_miss == "short_body"
    assert "Paragraph 19." in item["body"] and len(item["body"].split()) > 300


def test_a_body_far_shorter_than_the_jsonld_article_body_is_a_short_body():
    page = Layout("https://news.example/a/1", page_html(ld_body=" ".join([WORDS] * 60)))
    page.to_item()
    assert page.layout_miss == "short_body"


def test_a_declared_title_selector_that_finds_nothing_is_a_miss():
    page = Layout("https://news.example/a/1", page_html(title_class="title-2025"))
    item = page.to_item()
    assert page.layout_miss == "title_selector"
    assert item["title"] == "Budget vote"


def test_pages_without_declared_selectors_have_no_layout_miss():
    page = ArticlePage("https://news.example/a/1", page_html())
    page.to_item()
    assert page.declared is None and page.layout_miss is None
    stats = Stats()
    count_layout(stats, page)
    assert stats == {}


@pytest.mark.parametrize("junk", [b"<html><body><div class='story-text'>" + b"<ul>" * 5000 + b"</body></html>",
                                  b"<html><body><div class='story-text'><li>" + b"x " * 100 + b"</body></html>"])
def test_junk_in_the_declared_container_never_crashes(junk):
    page = Layout("https://news.example/a/1", junk)
    try:
        page.to_item()
    except Exception as exc:   # refused as not an article is fine; anything else is a bug
        assert type(exc).__name__ == "NotAnArticle"
    assert page.layout_miss in (None, "body_selector", "short_body", "title_selector")


def test_a_page_is_parsed_once_whichever_layout_reads_it(monkeypatch):
    import lxml.html

    case = json.loads((FIXTURES / "faz" / "expected.json").read_text())["cases"]["atc"]
    calls = []
    parse = lxml.html.document_fromstring
    monkeypatch.setattr(lxml.html, "document_fromstring", lambda *a, **k: calls.append(1) or parse(*a, **k))
    # The newest FAZ layout is tried first and does not apply; the older one reads the same tree.
    page = page_for(case["url"], (FIXTURES / "faz" / case["page"]).read_bytes())
    assert type(page).__name__ == "FazAtc"
    page.to_item()
    assert len(calls) == 1 and page.layout_miss is None
