"""Süddeutsche Zeitung page module on a small invented page with the site's markup."""

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.sources import get_source

URL = "https://www.sueddeutsche.de/muenchen/isar-bruecke-stadtrat-1.6543210"


def test_sz_article_fields():
    item = page_for(URL, (FIXTURES / "sources" / "sz.html").read_bytes()).to_item()
    assert item["source"] == "sz" and item["source_name"] == "Süddeutsche Zeitung"
    assert item["title"] == "Neue Brücke über die Isar: Stadtrat gibt grünes Licht"
    teaser = ("Nach jahrelangem Streit beschließt der Stadtrat den Bau einer Fuß- und Radbrücke zwischen zwei "
              "Stadtvierteln.")
    assert item["summary"] == teaser
    paragraphs = item["body"].split("\n\n")
    assert paragraphs[0] == teaser
    assert paragraphs[1].startswith("Die Entscheidung fiel am Dienstagabend")
    assert paragraphs[3] == "Kritik vom Naturschutz"
    assert paragraphs[4].endswith("danach wieder herzurichten.")
    assert len(paragraphs) == 5
    assert "Brücke aussehen" not in item["body"] and "AdController" not in item["body"]
    assert item["authors"] == ["Anna Beispiel"]
    assert item["published_at"] == "2024-03-05T06:30:00Z"


def test_sz_article_urls():
    source = get_source("sz")
    assert source.is_article_url(URL)
    assert source.is_article_url("https://www.sueddeutsche.de/politik/haushalt-bundestag-li.3201234")
    assert not source.is_article_url("https://www.sueddeutsche.de/politik")
    assert not source.is_article_url("https://www.sueddeutsche.de/thema/Klimawandel")
