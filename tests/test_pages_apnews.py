"""Associated Press News: the page module on a fixture page written for the test (tests/fixtures/sources/apnews.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "apnews.html").read_bytes()
URL = 'https://apnews.com/article/ferry-fares-fuel-costs-0a1b2c3d4e5f60718293a4b5c6d7e8f9'

BODY = [
    'DULUTH, Minn. (AP) — Ferry operators on the upper lakes will raise fares by up to 8% next month, blaming higher fuel and insurance costs.',
    "The increase applies to passenger and vehicle tickets on the three busiest routes, the operators' association said Wednesday, while island residents will keep their discounted passes.",
    'Association director Paul Keener said members had held prices steady for two seasons and could no longer absorb the costs, which have risen by almost a third since 2021.',
    'Island business owners said they feared fewer day visitors in the summer, when most of their yearly income is made.',
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'apnews'
    assert item["source_name"] == 'Associated Press News'
    assert item["title"] == 'Lake ferry operators raise fares as fuel costs climb'
    assert item["summary"] == 'DULUTH, Minn. (AP) — Ferry operators on the upper lakes will raise fares by up to 8% next month, blaming higher fuel and insurance costs.'
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Dana Whitcomb']
    assert item["published_at"] == '2023-04-12T15:32:10Z'


def test_article_url():
    source = get_source('apnews')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://apnews.com/hub/business')
