"""La Vanguardia page module (lavanguardia) on an invented fixture page with the site's markup
(tests/fixtures/sources/lavanguardia.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'lavanguardia'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields():
    page = page_for('https://www.lavanguardia.com/local/tarragona/20250220/10400001/puerto-tarragona-estrena-terminal-cruceros.html', (FIXTURES / 'lavanguardia.html').read_bytes())
    assert type(page).__name__ == 'LaVanguardia'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'La Vanguardia'
    assert item["title"] == 'El puerto de Tarragona estrena una terminal para cruceros'
    assert item["summary"] == 'La nueva estación marítima podrá atender a dos barcos a la vez y funcionará con energía solar.'
    assert item["body"].split("\n\n") == [
        'La nueva estación marítima podrá atender a dos barcos a la vez y funcionará con energía solar.',
        'La autoridad portuaria inauguró este jueves la nueva terminal de cruceros, un edificio de madera y vidrio levantado en el muelle de Costa tras dieciocho meses de obras.',
        'El edificio tiene capacidad para gestionar el embarque de hasta seis mil pasajeros al día y su cubierta está cubierta de placas solares que producen la mayor parte de la energía que consume.',
        'Críticas vecinales',
        'Las asociaciones de vecinos del barrio del Serrallo reclaman que los autobuses turísticos no atraviesen sus calles y piden medir la contaminación de los barcos atracados.',
        'El puerto asegura que en dos años todos los muelles contarán con conexión eléctrica para que los buques apaguen sus motores durante la escala.',
    ]
    assert item["authors"] == ['Jordi Mas Ferrer']
    assert item["published_at"] == '2025-02-20T11:30:00Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://www.lavanguardia.com/local/tarragona/20250220/10400001/puerto-tarragona-estrena-terminal-cruceros.html']:
        assert source.is_article_url(url), url
    for url in ['https://www.lavanguardia.com/local/tarragona', 'https://www.lavanguardia.com/politica/20250220/10400002/directo-pleno-congreso.html']:
        assert not source.is_article_url(url), url
