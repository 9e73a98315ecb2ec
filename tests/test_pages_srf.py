"""SRF page module on a small invented page with the site's markup."""

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.sources import get_source

URL = "https://www.srf.ch/news/schweiz/lawinengefahr-in-den-alpen-die-schneedecke-ist-sehr-instabil"


def test_srf_article_fields():
    item = page_for(URL, (FIXTURES / "sources" / "srf.html").read_bytes()).to_item()
    assert item["source"] == "srf" and item["source_name"] == "Schweizer Radio und Fernsehen"
    assert item["title"] == "«Die Schneedecke ist sehr instabil»"  # without the kicker
    assert item["summary"] == "Nach den starken Schneefällen warnen Fachleute vor Touren abseits der Pisten."
    paragraphs = item["body"].split("\n\n")
    assert paragraphs[0].startswith("Nach den Schneefällen der letzten Tage")
    assert paragraphs[1] == "SRF News: Warum ist die Lage gerade so heikel?"
    assert paragraphs[-1].endswith("auf der markierten Piste bleiben.")
    assert len(paragraphs) == 5
    assert "seit zwanzig Jahren" not in item["body"]  # the person box
    assert item["authors"] == ["srf/abcd", "efgh"]
    assert item["published_at"] == "2024-01-22T15:05:00Z"


def test_srf_article_urls():
    source = get_source("srf")
    assert source.is_article_url(URL)
    assert source.is_article_url("https://www.srf.ch/sport/fussball/super-league/fc-basel-gewinnt-das-derby-knapp")
    assert not source.is_article_url("https://www.srf.ch/news/schweiz")
    assert not source.is_article_url("https://www.srf.ch/sport/fussball/super-league")
