"""Every publisher's page module on its fixture pages, and its article URL pattern, from data.

Each source has a folder `tests/publishers/<slug>/` with its fixture pages (invented articles written
with the site's markup) and `expected.json`:

    {"cases": {"<case>": {"page": "<slug>.html", "url": "...", "crawled_at": "<ISO 8601, optional>",
                          "layout": "<page class name>",
                          "expected": {"<field>": <value>, ...},
                          "notes": {"<field>": "why the value is what it is (not checked)"}}},
     "article_urls": [...], "not_article_urls": [...]}

An expected field is compared for equality, except `body`: a list is the exact paragraphs (the body
split on blank lines); an object holds weaker checks on them: `count`, `paragraph` (index -> exact
text), `startswith` / `endswith` (index -> text), `excludes` (texts found nowhere in the body).
"""

import json
from datetime import datetime
from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import SOURCES, get_source

HERE = Path(__file__).resolve().parent
EXPECTATIONS = {path.parent.name: json.loads(path.read_text(encoding="utf-8"))
                for path in sorted(HERE.glob("*/expected.json"))}
CASES = [(slug, case) for slug, data in EXPECTATIONS.items() for case in data["cases"]]


def check_body(body: str, expected) -> None:
    paragraphs = body.split("\n\n")
    if isinstance(expected, list):
        assert paragraphs == expected
        return
    assert not set(expected) - {"count", "paragraph", "startswith", "endswith", "excludes"}, "unknown body check"
    if "count" in expected:
        assert len(paragraphs) == expected["count"]
    for index, text in expected.get("paragraph", {}).items():
        assert paragraphs[int(index)] == text
    for index, text in expected.get("startswith", {}).items():
        assert paragraphs[int(index)].startswith(text)
    for index, text in expected.get("endswith", {}).items():
        assert paragraphs[int(index)].endswith(text)
    for text in expected.get("excludes", []):
        assert text not in body


@pytest.mark.parametrize(("slug", "case"), CASES, ids=[f"{slug}-{case}" for slug, case in CASES])
def test_page_fields(slug, case):
    spec = EXPECTATIONS[slug]["cases"][case]
    body = (HERE / slug / spec["page"]).read_bytes()
    kwargs = {"crawled_at": datetime.fromisoformat(spec["crawled_at"])} if "crawled_at" in spec else {}
    page = page_for(spec["url"], body, **kwargs)
    assert type(page).__name__ == spec["layout"]
    item = page.to_item()
    for field, expected in spec["expected"].items():
        if field == "body":
            check_body(item["body"], expected)
        else:
            assert item[field] == expected, field


@pytest.mark.parametrize("slug", list(EXPECTATIONS))
def test_article_urls(slug):
    source = get_source(slug)
    assert EXPECTATIONS[slug]["article_urls"], "at least the fixture pages' URLs"
    for url in EXPECTATIONS[slug]["article_urls"]:
        assert source.is_article_url(url), url
    for url in EXPECTATIONS[slug]["not_article_urls"]:
        assert not source.is_article_url(url), url


def test_every_source_has_expectations():
    # Sources with a page module; the catalog's (generic extraction) are checked by test_catalog.py.
    modules = {slug for slug, source in SOURCES.items() if source.layouts}
    assert sorted(modules - set(EXPECTATIONS)) == [], "sources without tests/publishers/<slug>/expected.json"
    assert sorted(set(EXPECTATIONS) - modules) == [], "expectations for slugs not in the source table"
