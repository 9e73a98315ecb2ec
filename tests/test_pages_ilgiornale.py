"""Il Giornale page module (ilgiornale) on an invented fixture page with the site's markup
(tests/fixtures/sources/ilgiornale.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'ilgiornale'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields():
    page = page_for('https://www.ilgiornale.it/news/cronache/faro-capo-sud-torna-illuminare-costa-2400001.html', (FIXTURES / 'ilgiornale.html').read_bytes())
    assert type(page).__name__ == 'IlGiornale'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'Il Giornale'
    assert item["title"] == 'Il faro di Capo Sud torna a illuminare la costa'
    assert item["summary"] == 'Dopo tre anni di lavori la lanterna restaurata è di nuovo accesa e visibile a venti miglia'
    assert item["body"].split("\n\n") == [
        'Dopo tre anni di lavori la lanterna restaurata è di nuovo accesa e visibile a venti miglia',
        'La lanterna del faro di Capo Sud si è riaccesa sabato sera, davanti a qualche centinaio di persone arrivate a piedi lungo il sentiero che dal paese sale fino al promontorio.',
        "I lavori, finanziati con fondi regionali ed europei, hanno riguardato la torre, la scala interna in ghisa e l'ottica originale, smontata pezzo per pezzo e pulita in un laboratorio di Genova.",
        'Una lampada a basso consumo',
        "Al posto della vecchia lampada a incandescenza ora c'è una sorgente a led, che consuma un decimo dell'energia e si controlla a distanza dalla sala operativa della Marina.",
        "Il custode, l'ultimo rimasto in servizio sulla costa, continuerà comunque a salire ogni settimana per controllare i meccanismi e pulire le lenti dal sale.",
    ]
    assert item["authors"] == ['Giulia Ferraresi']
    assert item["published_at"] == '2024-09-21T16:20:00Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://www.ilgiornale.it/news/cronache/faro-capo-sud-torna-illuminare-costa-2400001.html']:
        assert source.is_article_url(url), url
    for url in ['https://www.ilgiornale.it/sezioni/cronache.html', 'https://www.ilgiornale.it/video/cronache/faro-capo-sud-video-2400002.html']:
        assert not source.is_article_url(url), url
