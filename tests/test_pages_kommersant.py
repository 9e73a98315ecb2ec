"""kommersant: the page module on a written fixture (tests/fixtures/sources/kommersant.html) and the
source table's article URL pattern."""

from pathlib import Path

import pytest

from newscrawl.pages import page_for
from newscrawl.sources import get_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
URL = 'https://www.kommersant.ru/doc/7000001'

EXPECTED = {
    "title": "Мост через залив",
    "summary": "Строительство нового моста через залив начнется весной, сообщили в администрации региона.",
    "authors": [
        "Ирина Образцова"
    ],
    "published_at": "2025-02-20T18:15:00Z",
    "source": "kommersant",
    "source_name": "Коммерсантъ",
    "body": [
        "Регион выбрал подрядчика для крупнейшего проекта",
        "Строительство нового моста через залив начнется весной, сообщили в администрации региона.",
        "Подрядчика выбрали по итогам конкурса, в котором участвовали три компании. Договор рассчитан на четыре года.",
        "Сроки",
        "Первые опоры моста планируется установить до конца лета, а движение по мосту должно открыться через четыре года.",
        "Местные жители давно добивались строительства переправы, которая сократит дорогу до областного центра вдвое."
    ]
}


def _item(name, url):
    return page_for(url, (FIXTURES / f"{name}.html").read_bytes()).to_item()


@pytest.mark.parametrize("field", ["title", "summary", "authors", "published_at", "source", "source_name"])
def test_fields(field):
    assert _item("kommersant", URL)[field] == EXPECTED[field]


def test_body_paragraphs():
    assert _item("kommersant", URL)["body"].split("\n\n") == EXPECTED["body"]


def test_article_url():
    source = get_source("kommersant")
    assert source.is_article_url(URL)
    assert not source.is_article_url('https://www.kommersant.ru/rubric/3')
