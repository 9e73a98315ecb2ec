"""Rzeczpospolita page module on a small invented page with the site's article blocks."""

from conftest import FIXTURES
from newscrawl.pages import page_for
from newscrawl.sources import get_source

URL = "https://www.rp.pl/transport/art41999999-nowa-linia-tramwajowa-polaczy-dwie-dzielnice"


def test_rp_article_fields():
    item = page_for(URL, (FIXTURES / "sources" / "rp.html").read_bytes()).to_item()
    assert item["source"] == "rp" and item["source_name"] == "Rzeczpospolita"
    assert item["title"] == "Nowa linia tramwajowa połączy dwie dzielnice"
    lede = ("Miasto ogłosiło przetarg na budowę trasy, która ma skrócić dojazd do centrum o kwadrans. Pierwsze "
            "tramwaje pojadą za trzy lata.")
    assert item["summary"] == lede
    assert item["body"].split("\n\n") == [
        lede,
        "Trasa o długości sześciu kilometrów poprowadzi przez tereny dawnej fabryki, gdzie powstaje nowe osiedle dla "
        "kilku tysięcy mieszkańców. Na całej długości tory zostaną oddzielone od jezdni.",
        "Koszty i harmonogram",
        "Budowa ma kosztować około pół miliarda złotych, z czego większość pokryją środki unijne.",
        "Mieszkańcy mogą zgłaszać uwagi do projektu do końca miesiąca. Konsultacje odbędą się także na miejscu, w "
        "szkole przy nowym osiedlu.",
    ]  # the "Czytaj więcej" teaser and the adverts left out; both body sections read
    assert item["authors"] == ["Adam Przykładowy"]
    assert item["published_at"] == "2025-03-10T17:20:00Z"


def test_rp_article_urls():
    source = get_source("rp")
    assert source.is_article_url(URL)
    assert source.is_article_url("https://klimat.rp.pl/energetyka/art42000001-farmy-wiatrowe-na-baltyku")
    assert not source.is_article_url("https://www.rp.pl/polityka")
    assert not source.is_article_url("https://www.rp.pl/")
