"""Die Welt page module (welt) on an invented fixture page with the site's markup
(tests/fixtures/sources/welt.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'welt'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields():
    page = page_for('https://www.welt.de/wirtschaft/article248000001/Waermepumpen-Warum-Handwerker-jetzt-Auftraege-ablehnen.html', (FIXTURES / 'welt.html').read_bytes())
    assert type(page).__name__ == 'Welt'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'Die Welt'
    assert item["title"] == 'Wärmepumpen: Warum Handwerker jetzt Aufträge ablehnen'
    assert item["summary"] == 'Die Nachfrage ist groß, doch den Betrieben fehlen Monteure. Kunden warten bis zu einem Jahr auf den Einbau.'
    assert item["body"].split("\n\n") == [
        'Die Nachfrage ist groß, doch den Betrieben fehlen Monteure. Kunden warten bis zu einem Jahr auf den Einbau.',
        'Im Büro eines Installateurbetriebs in Bielefeld klingelt das Telefon im Minutentakt, doch die Chefin muss fast allen Anrufern absagen, weil ihre vier Monteure bis zum Sommer ausgebucht sind.',
        'So wie ihr geht es vielen Betrieben im ganzen Land. Der Zentralverband des Handwerks schätzt, dass bundesweit mehrere zehntausend Fachkräfte fehlen, um die Nachfrage zu bedienen.',
        'Lange Wartezeiten',
        'Für die Kunden bedeutet das Wartezeiten von sechs Monaten bis zu einem Jahr, und manche Angebote gelten nur, wenn zugleich eine neue Photovoltaikanlage bestellt wird.',
        'Die Innungen versuchen gegenzusteuern und bieten verkürzte Umschulungen für Quereinsteiger an, die nach wenigen Monaten einfache Montagen übernehmen können.',
    ]
    assert item["authors"] == ['Henrike Brandt']
    assert item["published_at"] == '2023-10-02T04:12:00Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://www.welt.de/wirtschaft/article248000001/Waermepumpen-Warum-Handwerker-jetzt-Auftraege-ablehnen.html']:
        assert source.is_article_url(url), url
    for url in ['https://www.welt.de/wirtschaft/', 'https://www.welt.de/politik/ausland/live248000002/Nahost-Newsblog.html']:
        assert not source.is_article_url(url), url
