"""aa_tr: the page module on a written fixture (tests/fixtures/sources/aa_tr.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.aa.com.tr/tr/cevre/kuzey-ormanlarinda-fidan-dikimi-rekor-kirdi/3400001'

EXPECTED = {
    "title": "Kuzey ormanlarında fidan dikimi rekor kırdı",
    "summary": "Orman Genel Müdürlüğü, bu yıl kuzey bölgelerinde dikilen fidan sayısının önceki yılların üzerine çıktığını açıkladı.",
    "authors": [
        "Deniz Örnekoğlu"
    ],
    "published_at": "2024-11-03",
    "source": "aa_tr",
    "source_name": "Anadolu Ajansı",
    "body": [
        "Orman Genel Müdürlüğü, bu yıl kuzey bölgelerinde dikilen fidan sayısının önceki yılların üzerine çıktığını açıkladı.",
        "Kastamonu",
        "Genel Müdürlükten yapılan yazılı açıklamada, sonbahar döneminde başlayan dikim çalışmalarının planlanandan erken tamamlandığı belirtildi.",
        "\"Gönüllü katılımı arttı\"",
        "Açıklamada, çalışmalara bu yıl okullardan ve derneklerden çok sayıda gönüllünün katıldığı, fidanların bakımının da gönüllülerle sürdürüleceği kaydedildi."
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("aa_tr", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("aa_tr", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_article_url():
    source = get_source("aa_tr")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.aa.com.tr/tr/ekonomi')
