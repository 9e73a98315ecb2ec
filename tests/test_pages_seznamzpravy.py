"""Seznam Zprávy page module on a small invented page with the site's data-dot blocks."""

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.sources import get_source

URL = "https://www.seznamzpravy.cz/clanek/domaci-zivot-v-cesku-mesto-otevre-nove-koupaliste-uz-v-cervnu-271234"


def test_seznamzpravy_article_fields():
    item = page_for(URL, (FIXTURES / "sources" / "seznamzpravy.html").read_bytes()).to_item()
    assert item["source"] == "seznamzpravy" and item["source_name"] == "Seznam Zprávy"
    assert item["title"] == "Město otevře nové koupaliště už v červnu"
    perex = ("Stavba nového koupaliště na okraji města je téměř hotová a radnice slibuje, že první plavci si zaplavou "
             "už na začátku června.")
    assert item["summary"] == perex
    assert item["body"].split("\n\n") == [
        perex,
        "Radnice investovala do areálu přes osmdesát milionů korun. Součástí jsou dva bazény, brouzdaliště pro "
        "nejmenší a nové šatny s bezbariérovým přístupem.",
        "Vstupné zůstane stejné jako na starém koupališti, které město loni uzavřelo kvůli havarijnímu stavu "
        "technologie.",
        "Co čeká návštěvníky",
        "tobogán dlouhý šedesát metrů",
        "plážový volejbal a stolní tenis",
        "Provozovatel zatím hledá plavčíky a pokladní, přihlásit se lze do konce dubna na úřadě.",
    ]  # "Článek", the links box and the context card left out
    assert item["authors"] == ["Petra Vzorová"]
    assert item["published_at"] == "2025-05-14T04:30:00Z"


def test_seznamzpravy_article_urls():
    source = get_source("seznamzpravy")
    assert source.is_article_url(URL)
    assert not source.is_article_url("https://www.seznamzpravy.cz/sekce/domaci-13")
    assert not source.is_article_url("https://www.seznamzpravy.cz/")
