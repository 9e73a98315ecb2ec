"""Stern page module on a small invented page with the site's markup."""

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.sources import get_source

URL = "https://www.stern.de/wirtschaft/immobilien/waermepumpe-im-altbau--wann-sie-sich-rechnet-34567890.html"


def test_stern_article_fields():
    item = page_for(URL, (FIXTURES / "sources" / "stern.html").read_bytes()).to_item()
    assert item["source"] == "stern" and item["source_name"] == "Stern"
    # The display headline, not the SEO headline of JSON-LD and the breadcrumb <h1>.
    assert item["title"] == "Altbau-Check: Wann sich die Wärmepumpe wirklich rechnet"
    intro = ("Viele Hausbesitzer zweifeln, ob eine Wärmepumpe in ein altes Gebäude passt. Drei Fragen entscheiden "
             "darüber, ob sich die Investition lohnt.")
    assert item["summary"] == intro
    paragraphs = item["body"].split("\n\n")
    assert paragraphs[0] == intro
    assert paragraphs[1].startswith("Die erste Frage betrifft die Dämmung.")
    assert paragraphs[2] == "Heizkörper prüfen lassen"
    assert paragraphs[-1].endswith("vor dem Auftrag gestellt wird.")
    assert len(paragraphs) == 5
    assert "Anzeige" not in item["body"]
    assert item["authors"] == ["Jonas Muster"]
    assert item["published_at"] == "2024-10-02T16:45:00Z"


def test_stern_article_urls():
    source = get_source("stern")
    assert source.is_article_url(URL)
    assert not source.is_article_url("https://www.stern.de/wirtschaft/")
    assert not source.is_article_url("https://www.stern.de/politik/deutschland/")
