"""Le Monde page module (lemonde) on an invented fixture page with the site's markup
(tests/fixtures/sources/lemonde.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'lemonde'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields():
    page = page_for('https://www.lemonde.fr/societe/article/2024/03/05/a-rennes-la-ville-teste-des-bus-sans-chauffeur-la-nuit_6200001_3224.html', (FIXTURES / 'lemonde.html').read_bytes())
    assert type(page).__name__ == 'LeMonde'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'Le Monde'
    assert item["title"] == 'A Rennes, la ville teste des bus sans chauffeur la nuit'
    assert item["summary"] == 'La métropole bretonne lance une expérimentation de six mois sur deux lignes de périphérie, avec un agent de sécurité à bord de chaque véhicule.'
    assert item["body"].split("\n\n") == [
        'La métropole bretonne lance une expérimentation de six mois sur deux lignes de périphérie, avec un agent de sécurité à bord de chaque véhicule.',
        "Les premiers passagers sont montés peu après minuit, mardi, dans un bus qui roulait sans personne au volant entre la gare et le quartier de la Courrouze, sous le regard attentif des techniciens de l'exploitant.",
        "L'expérimentation, financée en partie par la région, doit durer six mois. Les élus veulent savoir si ces navettes peuvent compléter le réseau aux heures où les lignes classiques ne circulent plus.",
        'Un agent à bord',
        "Chaque véhicule embarque un agent de sécurité qui peut reprendre la main à tout moment. Selon la métropole, aucune intervention n'a été nécessaire pendant la première semaine de tests à vide.",
        "Les syndicats de conducteurs restent prudents et demandent que l'essai ne serve pas à supprimer des postes, une inquiétude que la présidente de la métropole dit comprendre.",
    ]
    assert item["authors"] == ['Claire Dubois-Martel']
    assert item["published_at"] == '2024-03-05T17:30:00Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://www.lemonde.fr/societe/article/2024/03/05/a-rennes-la-ville-teste-des-bus-sans-chauffeur-la-nuit_6200001_3224.html']:
        assert source.is_article_url(url), url
    for url in ['https://www.lemonde.fr/politique/', 'https://www.lemonde.fr/international/live/2024/03/05/guerre-en-ukraine-en-direct_6200002_3210.html']:
        assert not source.is_article_url(url), url
