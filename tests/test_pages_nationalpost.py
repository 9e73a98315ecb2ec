"""National Post: the page module on a fixture page written for the test (tests/fixtures/sources/nationalpost.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "nationalpost.html").read_bytes()
URL = 'https://nationalpost.com/news/canada/prairie-rail-line-reopens-after-winter-washout'

BODY = [
    'Grain shipments can move again after crews rebuilt a kilometre of track bed lost to spring flooding',
    'A rail line that carries most of the grain from three western counties reopened on Tuesday, five weeks after floodwater washed away a kilometre of track bed south of the river crossing.',
    'The railway said the first loaded train left the elevator at dawn and that it expected to clear the backlog of waiting cars within a fortnight.',
    'A costly delay',
    'Farm groups estimate the closure cost producers several million dollars in storage and trucking, as some shipments were sent by road to a terminal two hundred kilometres away.',
    'Provincial officials said they would review how the embankment was built before deciding whether other lines in the valley need similar work before next spring.',
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'nationalpost'
    assert item["source_name"] == 'National Post'
    assert item["title"] == 'Prairie rail line reopens after winter washout'
    assert item["summary"] == 'Grain shipments can move again after crews rebuilt a kilometre of track bed lost to spring flooding'
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Evan Thorburn']
    assert item["published_at"] == '2024-04-09T13:30:05Z'


def test_article_url():
    source = get_source('nationalpost')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://nationalpost.com/category/news/canada/')
