"""Daily Maverick: the page module on a fixture page written for the test (tests/fixtures/sources/dailymaverick.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "dailymaverick.html").read_bytes()
URL = 'https://www.dailymaverick.co.za/article/2025-03-11-water-tariffs-to-rise/'

BODY = [
    "The metro says a 9% increase is needed to replace pipes that lose a third of the city's treated water before it reaches a tap.",
    "Households will pay more for water from July after the metro's finance committee approved a tariff increase on Monday, saying the money would go to a five-year programme to replace its oldest mains.",
    'Officials told councillors that leaks and burst pipes now account for about a third of all treated water, a share that has grown every year since the last major upgrade two decades ago.',
    'Residents object',
    'Ratepayer groups said they would ask the council to phase the increase in, arguing that pensioners on fixed incomes had already absorbed steep electricity increases this year.',
    "The mayor's office said indigent households would continue to receive a free monthly allocation and would not be affected by the new tariff.",
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'dailymaverick'
    assert item["source_name"] == 'Daily Maverick'
    assert item["title"] == 'Water tariffs to rise as metro repairs ageing pipes'
    assert item["summary"] == "The metro says a 9% increase is needed to replace pipes that lose a third of the city's treated water before it reaches a tap."
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Thandi Mokoena']
    assert item["published_at"] == '2025-03-11T04:30:00Z'


def test_article_url():
    source = get_source('dailymaverick')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.dailymaverick.co.za/section/south-africa/')
