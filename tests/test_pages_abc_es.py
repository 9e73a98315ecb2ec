"""ABC page module (abc_es) on an invented fixture page with the site's markup
(tests/fixtures/sources/abc_es.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'abc_es'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields():
    page = page_for('https://www.abc.es/cultura/pueblo-soria-recupera-antigua-fragua-museo-20241118080512-nt.html', (FIXTURES / 'abc_es.html').read_bytes())
    assert type(page).__name__ == 'Abc'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'ABC'
    assert item["title"] == 'Un pueblo de Soria recupera su antigua fragua como museo'
    assert item["summary"] == 'Los vecinos restauraron durante dos años el taller del herrero, cerrado desde 1978'
    assert item["body"].split("\n\n") == [
        'Los vecinos restauraron durante dos años el taller del herrero, cerrado desde 1978',
        'La última vez que se encendió el fuego de la fragua de Valdelagua fue en el invierno de 1978, cuando el herrero del pueblo se jubiló y nadie quiso hacerse cargo del oficio.',
        'Casi medio siglo después, una asociación de vecinos compró el edificio por un precio simbólico y dedicó los fines de semana de dos años a reparar el tejado y limpiar las herramientas.',
        'Un yunque de doscientos kilos',
        'La pieza más valiosa es un yunque de doscientos kilos que tuvo que ser levantado con una grúa prestada por una empresa de la comarca para poder limpiar el suelo de la nave.',
        'El museo abrirá los sábados por la mañana y las visitas serán guiadas por los propios vecinos, que han aprendido a contar la historia de cada herramienta.',
    ]
    assert item["authors"] == ['Andrés Molinero']
    assert item["published_at"] == '2024-11-18T07:05:12Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://www.abc.es/cultura/pueblo-soria-recupera-antigua-fragua-museo-20241118080512-nt.html']:
        assert source.is_article_url(url), url
    for url in ['https://www.abc.es/cultura/', 'https://www.abc.es/cultura/fragua-soria-imagenes-20241118080512-fo.html']:
        assert not source.is_article_url(url), url
