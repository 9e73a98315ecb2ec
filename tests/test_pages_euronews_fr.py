"""Euronews page module (euronews_fr) on an invented fixture page with the site's markup
(tests/fixtures/sources/euronews_fr.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'euronews_fr'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields():
    page = page_for('https://fr.euronews.com/green/2024/05/02/les-abeilles-sauvages-reviennent-dans-les-vergers-alpins', (FIXTURES / 'euronews_fr.html').read_bytes())
    assert type(page).__name__ == 'EuronewsFr'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'Euronews'
    assert item["title"] == 'Le retour surprise des abeilles sauvages'   # og:title, Euronews's headline
    assert item["summary"] == 'Dans les vallées savoyardes, des arboriculteurs laissent pousser des haies fleuries entre les rangs, et les pollinisateurs sauvages sont de retour.'
    assert item["body"].split("\n\n") == [
        'Dans les vallées savoyardes, des arboriculteurs laissent pousser des haies fleuries entre les rangs, et les pollinisateurs sauvages sont de retour.',
        'Il y a cinq ans, les pommiers de la coopérative ne voyaient presque plus que des abeilles domestiques, louées pour quelques semaines au printemps à des apiculteurs de la plaine.',
        "Aujourd'hui, les comptages réalisés par une équipe de l'université de Grenoble recensent plus de quarante espèces sauvages, dont plusieurs que l'on croyait disparues de la région.",
        'Des haies plutôt que des pesticides',
        "Les producteurs ont réduit les traitements et planté des haies d'aubépines et de cornouillers, qui fleurissent avant les arbres fruitiers et nourrissent les insectes au sortir de l'hiver.",
        "Le rendement n'a pas baissé, assurent-ils, et la qualité des fruits se serait même améliorée grâce à une pollinisation plus régulière.",
    ]
    assert item["authors"] == ['Lucie Fontanel']
    assert item["published_at"] == '2024-05-02T07:15:00Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://fr.euronews.com/green/2024/05/02/les-abeilles-sauvages-reviennent-dans-les-vergers-alpins']:
        assert source.is_article_url(url), url
    for url in ['https://fr.euronews.com/green', 'https://fr.euronews.com/video/2024/05/02/les-abeilles-en-images']:
        assert not source.is_article_url(url), url
