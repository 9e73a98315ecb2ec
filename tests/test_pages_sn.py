"""Salzburger Nachrichten page module on a small invented page with the site's markup."""

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.sources import get_source

URL = "https://www.sn.at/salzburg/chronik/neue-buslinie-flachgau-gemeinden-165432109"


def test_sn_article_fields():
    item = page_for(URL, (FIXTURES / "sources" / "sn.html").read_bytes()).to_item()
    assert item["source"] == "sn" and item["source_name"] == "Salzburger Nachrichten"
    assert item["title"] == "Neue Buslinie verbindet Flachgauer Gemeinden"
    lead = ("Ab Montag fährt eine neue Buslinie im Stundentakt zwischen drei Gemeinden im Flachgau, auch am "
            "Wochenende und an Feiertagen.")
    assert item["summary"] == lead
    assert item["body"].split("\n\n") == [
        lead,
        "Die Linie ersetzt zwei bisherige Verbindungen, die nur an Schultagen fuhren. Die Gemeinden teilen sich die "
        "Kosten mit dem Land, das den Betrieb für zunächst drei Jahre zugesagt hat.",
        "Anschluss an die Bahn",
        "In der mittleren Gemeinde halten die Busse direkt am Bahnhof, sodass Pendler ohne lange Wartezeit in den "
        "Zug Richtung Stadt umsteigen können. Die Fahrpläne wurden dafür eigens abgestimmt.",
    ]
    # Agency copy: no person named; the paper (meta author) stands for the authors.
    assert item["authors"] == ["Salzburger Nachrichten"]
    assert item["published_at"] == "2024-09-16T06:15:00Z"


def test_sn_article_urls():
    source = get_source("sn")
    assert source.is_article_url(URL)
    assert not source.is_article_url("https://www.sn.at/salzburg/chronik/")
    assert not source.is_article_url("https://www.sn.at/politik/innenpolitik")
