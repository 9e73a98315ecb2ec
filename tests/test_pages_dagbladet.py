"""dagbladet: the page module on a written fixture (tests/fixtures/sources/dagbladet.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.dagbladet.no/nyheter/turister-reddet-fra-fjellet/82000001'

EXPECTED = {
    "title": "Turister reddet fra fjellet",
    "summary": "To turister ble hentet ned med helikopter natt til søndag.",
    "authors": [
        "Anna Eksempel",
        "Per Prøvesen"
    ],
    "published_at": "2025-02-16T05:12:00Z",
    "source": "dagbladet",
    "source_name": "Dagbladet",
    "body": [
        "To turister ble hentet ned med helikopter natt til søndag.",
        "Redningssentralen fikk melding om de to turistene like før midnatt, etter at de hadde gått seg fast i bratt terreng.",
        "Begge var uskadde, men sterkt nedkjølte da mannskapene fant dem, opplyser politiet.",
        "Dårlig vær",
        "Meteorologene hadde varslet sterk vind og snøbyger i fjellet hele helgen, og flere turlag hadde avlyst sine turer.",
        "Politiet ber alle som skal til fjells om å følge med på værmeldingene."
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("dagbladet", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("dagbladet", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_article_url():
    source = get_source("dagbladet")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.dagbladet.no/nyheter')
