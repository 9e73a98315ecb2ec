"""Frankfurter Allgemeine Zeitung page module (faz) on an invented fixture page with the site's markup
(tests/fixtures/sources/faz.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'faz'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields_current_layout():
    page = page_for('https://www.faz.net/aktuell/wirtschaft/der-rhein-fuehrt-so-wenig-wasser-wie-seit-jahren-nicht-19900001.html', (FIXTURES / 'faz.html').read_bytes())
    assert type(page).__name__ == 'Faz'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'Frankfurter Allgemeine Zeitung'
    assert item["title"] == 'Der Rhein führt so wenig Wasser wie seit Jahren nicht'
    assert item["summary"] == 'Frachtschiffe fahren nur noch halb beladen. Die Reedereien verlangen Zuschläge.'
    assert item["body"].split("\n\n") == [
        'Frachtschiffe fahren nur noch halb beladen. Die Reedereien verlangen Zuschläge.',
        'Am Pegel Kaub zeigte die Messlatte am Mittwochmorgen nur noch 78 Zentimeter an, und die Prognosen der Bundesanstalt für Gewässerkunde lassen für die kommenden Tage keine Besserung erwarten.',
        'Für die Binnenschiffer bedeutet das, dass sie ihre Schiffe nur noch zur Hälfte beladen können, um nicht auf Grund zu laufen.',
        'Chemieindustrie sorgt vor',
        'Große Chemiewerke am Oberrhein haben ihre Lager schon im Juli aufgefüllt und zusätzliche Transporte auf die Schiene verlagert, wie ein Sprecher eines Ludwigshafener Konzerns sagte.',
        'Ökonomen schätzen, dass ein längeres Niedrigwasser das Wachstum im dritten Quartal spürbar bremsen könnte.',
    ]
    assert item["authors"] == ['Katrin Lohmeyer']
    assert item["published_at"] == '2024-08-14T06:45:10Z'


def test_fields_older_layout():
    page = page_for('https://www.faz.net/aktuell/rhein-main/frankfurt/bibliotheken-frankfurt-oeffnet-sonntags-18900001.html', (FIXTURES / 'faz-atc.html').read_bytes())
    assert type(page).__name__ == 'FazAtc'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'Frankfurter Allgemeine Zeitung'
    assert item["title"] == 'Bibliotheken: Frankfurt öffnet sonntags'
    assert item["summary"] == 'Drei Stadtteilbibliotheken sollen künftig auch am Sonntag öffnen. Personal braucht es dafür kaum.'
    assert item["body"].split("\n\n") == [
        'Drei Stadtteilbibliotheken sollen künftig auch am Sonntag öffnen. Personal braucht es dafür kaum.',
        'Die Stadt will von Herbst an drei Stadtteilbibliotheken auch sonntags öffnen und setzt dabei auf Selbstverbuchung, Videoüberwachung und einen Wachdienst am Eingang.',
        'Vorbild sind skandinavische Städte, in denen solche offenen Bibliotheken seit Jahren üblich sind und vor allem von Familien und Studenten genutzt werden.',
        'Kritik vom Personalrat',
        'Der Personalrat fürchtet, dass die Sonntagsöffnung zu Lasten der Beschäftigten geht, und verlangt eine Zusage, dass niemand gegen seinen Willen am Wochenende arbeiten muss.',
    ]
    assert item["authors"] == ['Tobias Reindl']
    assert item["published_at"] == '2023-05-13T09:02:40Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://www.faz.net/aktuell/wirtschaft/der-rhein-fuehrt-so-wenig-wasser-wie-seit-jahren-nicht-19900001.html', 'https://www.faz.net/aktuell/rhein-main/frankfurt/bibliotheken-frankfurt-oeffnet-sonntags-18900001.html']:
        assert source.is_article_url(url), url
    for url in ['https://www.faz.net/aktuell/wirtschaft/', 'https://www.faz.net/aktuell/politik/ausland/liveblog-zum-krieg-in-nahost-19900002.html']:
        assert not source.is_article_url(url), url
