"""Deutsche Welle page module on small invented pages of its two templates."""

from datetime import datetime, timezone

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.publishers.dw import DeutscheWelle, DeutscheWelleLegacy
from newscrawl.sources import get_source

URL = "https://www.dw.com/de/wie-staedte-sich-gegen-hitze-wappnen/a-69612345"
LEGACY_URL = "https://www.dw.com/de/bahnstrecke-wird-wieder-eroeffnet/a-64870000?maca=de-rss-de-all-1119-xml-mrss"


def _page(url, name):
    return page_for(url, (FIXTURES / "sources" / name).read_bytes(), crawled_at=datetime(2024, 7, 12, tzinfo=timezone.utc))


def test_dw_react_layout():
    page = _page(URL, "dw.html")
    assert type(page) is DeutscheWelle
    item = page.to_item()
    assert item["source"] == "dw" and item["source_name"] == "Deutsche Welle"
    assert item["title"] == "Wie Städte sich gegen Hitze wappnen"
    assert item["summary"] == "Schatten, Wasser, helle Dächer: Was Städte gegen Hitzewellen tun können."
    lede = ("Schatten, Wasser, helle Dächer: Immer mehr Städte bereiten sich auf lange Hitzewellen vor. Ein "
            "Überblick über das, was wirkt.")
    paragraphs = item["body"].split("\n\n")
    assert paragraphs[0] == lede
    assert paragraphs[1].startswith("In vielen europäischen Städten")
    assert paragraphs[2] == "Mehr Bäume, weniger Asphalt"
    assert paragraphs[-1].endswith("am stärksten leiden.")
    assert len(paragraphs) == 5
    assert "Brunnen kühlt" not in item["body"]
    assert item["authors"] == ["Mara Probe", "Tim Test"]
    assert item["published_at"] == "2024-07-12T09:05:00Z"


def test_dw_legacy_layout():
    page = _page(LEGACY_URL, "dw-legacy.html")
    assert type(page) is DeutscheWelleLegacy
    item = page.to_item()
    assert item["source"] == "dw"
    assert item["title"] == "Bahnstrecke wird wieder eröffnet"
    intro = ("Nach sieben Jahren Bauzeit fahren wieder Züge durch das Tal. Die Anwohner hoffen auf weniger Verkehr "
             "auf der Landstraße.")
    assert item["summary"] == intro
    assert item["body"].split("\n\n") == [
        intro,
        "Am Freitagmorgen rollte der erste Zug seit Jahren über die sanierte Brücke. Hunderte Menschen standen am "
        "Bahnsteig, viele mit Fahnen und selbstgemalten Schildern.",
        "Lange Verzögerungen",
        "Ursprünglich sollte die Strecke schon vor drei Jahren fertig sein. Probleme mit dem Baugrund und fehlende "
        "Fachkräfte verzögerten die Arbeiten immer wieder.",
    ]
    assert item["authors"] == ["Lena Fiktiv"]
    assert item["published_at"] == "2023-03-03"  # the template prints the day only


def test_dw_article_urls():
    source = get_source("dw")
    assert source.is_article_url(URL) and source.is_article_url(LEGACY_URL)
    assert source.is_article_url("https://www.dw.com/en/heatwave-europe-cities/a-69612399")
    assert not source.is_article_url("https://www.dw.com/de/themen/s-9077")
    assert not source.is_article_url("https://www.dw.com/de/hitze-in-europa/video-69612345")
