"""hankookilbo: the page module on a written fixture (tests/fixtures/sources/hankookilbo.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.hankookilbo.com/news/article/A2025111009000001234'

EXPECTED = {
    "title": "도서관 야간 개관 확대… 시민 호응 커졌다",
    "summary": "시립도서관들이 야간 개관을 확대하면서 이용객이 크게 늘었다는 내용입니다.",
    "authors": [
        "김시험"
    ],
    "published_at": "2025-11-10T00:30:00Z",
    "source": "hankookilbo",
    "source_name": "한국일보",
    "body": [
        "야간 이용객 두 배로",
        "주말 개관도 검토",
        "시립도서관들이 올해부터 평일 야간 개관을 밤 10시까지 확대하면서 퇴근 후 도서관을 찾는 시민이 크게 늘었다. 도서관 측은 야간 이용객이 지난해의 두 배에 이른다고 밝혔다.",
        "특히 직장인과 대학생의 이용이 많았고, 열람실 좌석 예약도 대부분 마감되는 것으로 나타났다. 도서관은 내년에는 주말 야간 개관도 검토하기로 했다.",
        "시민들은 야간 독서 프로그램과 강연 행사도 늘려 달라고 요청했다. 도서관 관계자는 예산을 확보해 프로그램을 단계적으로 늘리겠다고 말했다."
    ]
}

URL_OLD = 'https://www.hankookilbo.com/News/Read/A2024100214050001234'
EXPECTED_OLD = {
    "title": "다리 보수 서둘러야... 주민들 안전 점검 요구",
    "summary": None,
    "authors": [
        "박예시"
    ],
    "published_at": "2024-10-02T05:05:00Z",
    "source": "hankookilbo",
    "source_name": "한국일보",
    "body": [
        "오래된 다리 균열 발견",
        "주민들 \"정밀 점검 필요\"",
        "지역 주민들이 준공 40년이 넘은 다리에서 균열이 발견됐다며 관할 구청에 정밀 안전 점검을 요구하고 나섰다.",
        "구청 \"이달 중 점검\"",
        "구청은 이달 안에 전문 기관에 점검을 맡기고 결과에 따라 보수 공사 일정을 정하겠다고 밝혔다."
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("hankookilbo", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("hankookilbo", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_server_rendered_layout():
    item = _item("hankookilbo_read", URL_OLD)
    for field in ("title", "summary", "authors", "published_at", "source", "source_name"):
        assert item[field] == EXPECTED_OLD[field], field
    assert item["body"].split("\n\n") == EXPECTED_OLD["body"]


def test_article_url():
    source = get_source("hankookilbo")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.hankookilbo.com/News/Politics')
