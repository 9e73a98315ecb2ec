from pathlib import Path

from newscrawl.items import ARTICLE_FIELDS, INTERNAL_FIELDS, Article, fields_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_documented_field_is_declared_and_vice_versa():
    assert set(ARTICLE_FIELDS) | set(INTERNAL_FIELDS) == set(Article.fields)


def test_readme_shows_the_current_field_table():
    text = README.read_text(encoding="utf-8")
    for row in fields_table().splitlines()[2:]:
        assert row in text, f"README field table is stale; regenerate with python -m newscrawl.items: {row[:60]}"
