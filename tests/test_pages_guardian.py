"""The Guardian: the page module on a fixture page written for the test (tests/fixtures/sources/guardian.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "guardian.html").read_bytes()
URL = 'https://www.theguardian.com/uk-news/2024/mar/05/harbour-ferry-service-resumes-after-storm-repairs'

BODY = [
    'Crossings between the two piers restart as engineers finish work on the damaged landing stage',
    "The harbour ferry carried its first passengers in six weeks on Tuesday morning, after engineers completed repairs to the landing stage that was torn loose during February's storms.",
    'The operator said the timetable would return to a crossing every twenty minutes from next Monday, with extra sailings in the evening while the road bridge remains closed for inspection.',
    'Costs still to be settled',
    'The council has not yet said who will pay for the work, which the harbour trust estimates at a little over two million pounds, and talks with the insurer are expected to last until the summer.',
    'Regular passengers said they were relieved to see the boat back on the water after weeks of long detours around the estuary by bus.',
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'guardian'
    assert item["source_name"] == 'The Guardian'
    assert item["title"] == 'Harbour ferry service resumes after storm repairs'
    assert item["summary"] == 'Crossings between the two piers restart as engineers finish work on the damaged landing stage'
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Jane Marlowe']
    assert item["published_at"] == '2024-03-05T09:15:00Z'


def test_article_url():
    source = get_source('guardian')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.theguardian.com/uk-news')
    assert not source.is_article_url('https://www.theguardian.com/uk-news/live/2024/mar/05/storm-latest')
