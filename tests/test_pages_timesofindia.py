"""Times Of India: the page module on a fixture page written for the test (tests/fixtures/sources/timesofindia.html)
and the source's article URL pattern."""

from pathlib import Path

from newscrawl.pages import page_for
from newscrawl.sources import get_source

PAGE = (Path(__file__).parent / "fixtures" / "sources" / "timesofindia.html").read_bytes()
URL = 'https://timesofindia.indiatimes.com/city/mumbai/metros-new-line-to-open-in-march/articleshow/106950000.cms'

BODY = [
    'Passengers will be able to ride the airport line from March once safety trials end. The 14-km stretch has nine stations and cost a fifth more than first planned after land disputes.',
    "MUMBAI: The city's third metro line will open to passengers in March, the corporation said on Thursday, once the commissioner of rail safety signs off on the final trials.",
    'The 14-km elevated stretch links the airport with the old bus terminus and has nine stations, four of which will connect with existing suburban lines.',
    'Officials said trains would run every six minutes at peak hours, with fares between Rs 10 and Rs 50.',
    'Delays and costs',
    'The line was first due to open in 2021, but land disputes near the airport held up work for almost two years and pushed the cost up by a fifth.',
    'Commuter groups welcomed the date but asked for feeder buses at the four stations that are far from main roads.',
]


def test_fields():
    item = page_for(URL, PAGE).to_item()
    assert item["source"] == 'timesofindia'
    assert item["source_name"] == 'Times Of India'
    assert item["title"] == "Metro's new line to open in March, says corporation"
    assert item["summary"] == 'Passengers will be able to ride the airport line from March once safety trials end. The 14-km stretch has nine stations and cost a fifth more than first planned after land disputes.'
    assert item["body"].split("\n\n") == BODY
    assert item["authors"] == ['Rohan Kulkarni']
    assert item["published_at"] == '2024-01-18T04:12:00Z'


def test_article_url():
    source = get_source('timesofindia')
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://timesofindia.indiatimes.com/city/mumbai')
