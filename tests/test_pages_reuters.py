"""Reuters: the page module on a fixture page written for the test (tests/fixtures/sources/reuters.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "reuters.html").read_bytes()
URL = 'https://www.reuters.com/markets/commodities/copper-miners-agree-wage-deal-ending-strike-coastal-port-2024-05-16/'

BODY = [
    "ANTOFAGASTA, May 16 (Reuters) - Workers at a northern copper port accepted a three-year wage offer on Thursday, ending a nine-day strike that had halted shipments from two of the region's largest mines, their union said.",
    'The agreement includes a pay rise above inflation and a one-off bonus, the union said in a statement, adding that loading would resume on the night shift.',
    "The port handles roughly a tenth of the country's copper exports, and traders had warned that a longer stoppage would tighten supply of refined metal in Asia.",
    'Company officials did not immediately respond to a request for comment on the cost of the deal.',
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'reuters'
    assert item["source_name"] == 'Reuters'
    assert item["title"] == 'Copper miners agree wage deal, ending strike at coastal port'
    assert item["summary"] == 'Workers at a northern copper port accepted a three-year wage offer on Thursday, ending a nine-day strike that had halted shipments.'
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Lucia Ferrand', 'Tomas Reyes']
    assert item["published_at"] == '2024-05-16T14:05:00Z'


def test_article_url():
    source = get_source('reuters')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.reuters.com/markets/commodities/')
    assert not source.is_article_url('https://www.reuters.com/pictures/week-in-pictures-2024-05-16/')
