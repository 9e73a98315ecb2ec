"""The Telegraph: the page module on a fixture page written for the test (tests/fixtures/sources/telegraph.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "telegraph.html").read_bytes()
URL = 'https://www.telegraph.co.uk/news/2024/06/14/village-bakery-wins-national-sourdough-award/'

BODY = [
    'A two-person bakery in the Cotswolds beat four hundred entrants with a loaf made from local rye',
    "A bakery run by a husband and wife from a converted barn has been named the maker of the country's best sourdough, ahead of four hundred entries from across the country.",
    "The judges praised the loaf's open crumb and its dark, blistered crust, which the couple say comes from baking in a wood-fired oven they built themselves.",
    'What the judges looked for',
    'A long, slow fermentation',
    'Flour milled within fifty miles',
    'The couple now plan to take on an apprentice and open on Sundays, when queues already form before the doors are unlocked.',
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'telegraph'
    assert item["source_name"] == 'The Telegraph'
    assert item["title"] == 'Village bakery wins national award for sourdough'
    assert item["summary"] == 'A two-person bakery in the Cotswolds beat four hundred entrants with a loaf made from local rye'
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Harriet Lowe']
    assert item["published_at"] == '2024-06-14T06:00:00Z'


def test_article_url():
    source = get_source('telegraph')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.telegraph.co.uk/news/')
    assert not source.is_article_url('https://www.telegraph.co.uk/news/2024/06/14/video-bakery-tour/tv/')
    assert source.is_article_url("https://www.telegraph.co.uk/recommended/home/best-bread-makers/")
    assert not source.is_article_url("https://www.telegraph.co.uk/recommended/home/")


def test_recommended_reviews_leave_lists_out():
    """On /recommended/ shopping reviews the lists are product summaries and specifications."""
    item = page_for("https://www.telegraph.co.uk/recommended/food/best-sourdough-bakeries/", PAGE).to_item()
    assert item["body"].split("\n\n") == [p for p in BODY if p not in (
        "A long, slow fermentation", "Flour milled within fifty miles")]
