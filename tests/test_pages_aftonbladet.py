"""aftonbladet: the page module on a written fixture (tests/fixtures/sources/aftonbladet.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.aftonbladet.se/nyheter/a/Xy12Ab/ny-farja-till-gotland-forsenad'

EXPECTED = {
    "title": "Ny färja till Gotland försenad",
    "summary": "Den nya färjan skulle ha satts in i maj. Nu dröjer den till hösten.",
    "authors": [
        "Karin Testsson"
    ],
    "published_at": "2025-03-04T06:30:00Z",
    "source": "aftonbladet",
    "source_name": "Aftonbladet",
    "body": [
        "Den nya färjan skulle ha satts in i maj.",
        "Nu dröjer den till hösten.",
        "Rederiet meddelade på måndagen att leveransen av flera motordelar har blivit försenad från varvet i norra Europa.",
        "– Vi beklagar förseningen och gör allt vi kan för att hålla tidtabellen, säger en talesperson för rederiet.",
        "Gamla fartyget kvar",
        "Under sommaren fortsätter det äldre fartyget att trafikera linjen mellan fastlandet och ön, med extra turer under högsäsongen."
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("aftonbladet", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("aftonbladet", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_article_url():
    source = get_source("aftonbladet")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.aftonbladet.se/nyheter')
