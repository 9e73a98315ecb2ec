"""ntv_tr: the page module on a written fixture (tests/fixtures/sources/ntv_tr.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.ntv.com.tr/turkiye/liman-kentinde-yeni-tramvay-hatti-acildi,AbCdEfGhIjKlMnOpQrStUv'

EXPECTED = {
    "title": "Liman kentinde yeni tramvay hattı açıldı",
    "summary": "Liman kentinde yapımı iki yıl süren tramvay hattı törenle hizmete girdi.",
    "authors": [
        "Ayşe Denemeci"
    ],
    "published_at": "2024-09-12T07:05:00Z",
    "source": "ntv_tr",
    "source_name": "NTV",
    "body": [
        "Liman kentinde yapımı iki yıl süren tramvay hattı törenle hizmete girdi.",
        "Hat, şehir merkezini liman bölgesine bağlayan on iki duraktan oluşuyor.",
        "Belediye başkanı açılışta yaptığı konuşmada, hattın günde yirmi bin yolcu taşımasının beklendiğini söyledi.",
        "İLK GÜN ÜCRETSİZ",
        "Yolcular hizmetin ilk gününde tramvayı ücretsiz kullanabilecek, kartlı ödeme ertesi gün başlayacak."
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("ntv_tr", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("ntv_tr", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_article_url():
    source = get_source("ntv_tr")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.ntv.com.tr/sporskor')
