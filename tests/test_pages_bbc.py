"""bbc: the page module on a written fixture (tests/fixtures/sources/bbc.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.bbc.co.uk/news/articles/c0abcdefgh1o'

EXPECTED = {
    "title": "Village bakery wins national bread prize",
    "summary": "A family-run bakery has been named the best in the country by a panel of judges.",
    "authors": [
        "Sam Placeholder"
    ],
    "published_at": "2024-06-18T09:12:30Z",
    "source": "bbc",
    "source_name": "BBC",
    "body": [
        "A family-run bakery in a small village has been named the best in the country by a panel of judges.",
        "The owners, who took over the business from their parents ten years ago, said they were \"stunned\" to win the award.",
        "Early starts",
        "The judges praised the sourdough and the rye loaves, which are baked overnight in a wood-fired oven behind the shop.",
        "Villagers have already begun queueing outside before the doors open, the owners said."
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("bbc", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("bbc", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_article_url():
    source = get_source("bbc")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.bbc.co.uk/news/world/europe')
