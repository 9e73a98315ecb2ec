"""El Mundo page module (elmundo) on an invented fixture page with the site's markup
(tests/fixtures/sources/elmundo.html), and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

SLUG = 'elmundo'
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_fields():
    page = page_for('https://www.elmundo.es/deportes/futbol/2024/06/09/6666aaaabbbbccccddddeeee.html', (FIXTURES / 'elmundo.html').read_bytes())
    assert type(page).__name__ == 'ElMundo'
    item = page.to_item()
    assert item["source"] == SLUG
    assert item["source_name"] == 'El Mundo'
    assert item["title"] == 'El Atlético de Lugo asciende tras una tanda de penaltis eterna'
    assert item["summary"] == 'El portero suplente, que había entrado en el minuto 118, paró tres lanzamientos.'
    assert item["body"].split("\n\n") == [
        'El portero suplente, que había entrado en el minuto 118, paró tres lanzamientos.',
        'Catorce lanzamientos hicieron falta para decidir la final, que se jugó ante un estadio lleno y bajo una lluvia que no dio tregua en toda la tarde de domingo en Galicia.',
        'El entrenador había guardado el último cambio para el final de la prórroga y apostó por un guardameta de diecinueve años que apenas había jugado cuatro partidos en toda la temporada.',
        'Una ciudad en la calle',
        'Miles de aficionados esperaron al autobús del equipo a la entrada de la ciudad, donde la fiesta se alargó hasta bien entrada la madrugada del lunes.',
        'El club jugará la próxima temporada en una categoría que no pisaba desde hace más de veinte años, con un presupuesto que tendrá que casi duplicar.',
    ]
    assert item["authors"] == ['Rosa M. Quintana']
    assert item["published_at"] == '2024-06-09T21:47:03Z'


def test_article_url():
    source = get_source(SLUG)
    for url in ['https://www.elmundo.es/deportes/futbol/2024/06/09/6666aaaabbbbccccddddeeee.html']:
        assert source.is_article_url(url), url
    for url in ['https://www.elmundo.es/deportes/futbol.html', 'https://www.elmundo.es/album/deportes/futbol/2024/06/09/6666aaaabbbbccccddddffff.html']:
        assert not source.is_article_url(url), url
