"""sankei: the page module on a written fixture (tests/fixtures/sources/sankei.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.sankei.com/article/20250406-ABCDEFGHIJKLMNOPQRSTUVWXYZ/'

EXPECTED = {
    "title": "港の朝市、３年ぶりに再開 地元の野菜並ぶ",
    "summary": "港の朝市が３年ぶりに再開され、早朝から多くの買い物客でにぎわった。",
    "authors": [
        "試験 花子"
    ],
    "published_at": "2025-04-05T22:40:00Z",
    "source": "sankei",
    "source_name": "産経新聞",
    "body": [
        "港の朝市が３年ぶりに再開され、早朝から多くの買い物客でにぎわった。地元の農家や漁師が朝どれの野菜や魚を持ち寄り、会場には約３０の店が並んだ。",
        "売り切れ続出",
        "開始から１時間ほどで売り切れる店も相次いだ。主催する商店会の会長は「再開を待っていた人がこれほど多いとは思わなかった」と話した。",
        "朝市は今後、毎月第１日曜日に開かれる予定で、商店会は観光客の呼び込みにもつなげたい考えだ。"
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("sankei", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("sankei", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_article_url():
    source = get_source("sankei")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.sankei.com/politics/')
