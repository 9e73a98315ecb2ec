"""ZDF (ZDFheute) page module on a small invented page with the site's module structure."""

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.sources import get_source

URL = "https://www.zdf.de/nachrichten/politik/deutschland/radschnellwege-laender-plaene-100.html"


def test_zdf_article_fields():
    item = page_for(URL, (FIXTURES / "sources" / "zdf.html").read_bytes()).to_item()
    assert item["source"] == "zdf" and item["source_name"] == "ZDF"
    assert item["title"] == "Fahrradpendler: Neue Schnellwege geplant"
    lede = "Mehrere Länder wollen Radschnellwege bauen. Wie weit sind die Pläne?"
    assert item["summary"] == lede
    assert item["body"].split("\n\n") == [
        lede,
        "Wer morgens mit dem Rad zur Arbeit fährt, teilt sich die Strecke oft mit Autos und Lieferwagen. "
        "Radschnellwege sollen das ändern: breit, kreuzungsarm und gut beleuchtet.",
        "Was geplant ist",
        "Die Pläne der Länder umfassen unter anderem:",
        "neue Trassen entlang von Bahnlinien",
        "Brücken über Flüsse und Autobahnen",
        "Bis die ersten Strecken fertig sind, dürften allerdings noch einige Jahre vergehen, denn Planung und "
        "Genehmigung dauern oft länger als der Bau selbst.",
    ]  # caption, video, pull quote, infographic consent, teaser and its "lesen Sie hier:" left out
    assert item["authors"] == ["Paula Platzhalter"]
    assert item["published_at"] == "2024-05-06T09:20:00Z"


def test_zdf_article_urls():
    source = get_source("zdf")
    assert source.is_article_url(URL)
    assert not source.is_article_url("https://www.zdf.de/nachrichten/politik")
    assert not source.is_article_url("https://www.zdf.de/nachrichten/politik/ausland/nahost-liveblog-100.html")
