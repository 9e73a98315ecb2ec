"""Nine News: the page module on a fixture page written for the test (tests/fixtures/sources/ninenews.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "ninenews.html").read_bytes()
URL = 'https://www.9news.com.au/national/king-tides-coastal-town/5d2c8a3e-1f4b-4c6d-9e8f-0a1b2c3d4e5f'

BODY = [
    'Residents of a low-lying coastal town have been told to move cars and bins away from the foreshore before the highest tides of the year arrive this weekend.',
    'The council said the water could reach the top of the sea wall on Saturday night, when a full moon coincides with a deep low-pressure system offshore.',
    'SANDBAGS AVAILABLE',
    'Sandbags can be collected from the surf club.',
    'Emergency crews will patrol the foreshore from late afternoon, and the beach road will close to traffic an hour before high tide.',
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'ninenews'
    assert item["source_name"] == 'Nine News'
    assert item["title"] == 'Coastal town braces for king tides this weekend'
    assert item["summary"] == "Authorities say the water could reach the sea wall's top on Saturday night."
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Mia Callaghan']
    assert item["published_at"] == '2024-07-20T22:15:00Z'


def test_article_url():
    source = get_source('ninenews')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.9news.com.au/national')
    assert not source.is_article_url('https://www.9news.com.au/videos/national/king-tides/5d2c8a3e-1f4b-4c6d-9e8f-0a1b2c3d4e5f')
