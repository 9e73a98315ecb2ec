import re
from pathlib import Path

from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl.article import fields
from newscrawl.article.fields import BY_NAME, FIELDS, INTERNAL_FIELDS, PUBLIC_FIELDS, Article, fields_table, stored_table
from newscrawl.language import detect as language_detect
from newscrawl.settings import NEWSCRAWL_LANGUAGE_MAX_CHARS, NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE
from newscrawl.spiders.warc import WarcSpider

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_item_declares_every_page_and_pipeline_field_and_nothing_else():
    assert list(Article.fields) == [f.name for f in FIELDS if f.on_item]
    assert set(PUBLIC_FIELDS) | set(INTERNAL_FIELDS) == set(Article.fields)
    assert not set(PUBLIC_FIELDS) & set(INTERNAL_FIELDS)
    assert len(BY_NAME) == len(FIELDS)


def test_every_field_says_what_it_is_who_sets_it_and_how_it_is_stored():
    for f in FIELDS:
        assert f.set_by in (fields.PAGE, fields.DEDUPE, fields.LANGUAGE, fields.STORE), f.name
        assert f.on_item == (f.type is not None), f.name
        assert f.bson or f.on_item, f.name                      # a store-only field is stored
        assert (f.describe() if f.on_item else f.stored_meaning), f.name


def test_docs_show_the_current_field_tables():
    for table, page, command in ((fields_table(), "crawling.md", "python -m newscrawl.article.fields"),
                                 (stored_table(), "storage.md", "python -m newscrawl.article.fields stored")):
        text = (DOCS / page).read_text(encoding="utf-8")
        for row in table.splitlines()[2:]:
            assert row in text, f"the field table of docs/{page} is stale; regenerate with {command}: {row[:60]}"


def test_caps_are_the_declared_ones_and_documented():
    assert fields.MAX_TITLE_CHARS == BY_NAME["title"].max_chars == 1_000
    assert (fields.MAX_AUTHORS, fields.MAX_AUTHOR_CHARS) == (BY_NAME["authors"].max_items, BY_NAME["authors"].max_chars)
    for f in FIELDS:
        if f.max_chars:
            assert f"{f.max_chars:,}" in f.describe() or str(f.max_chars) in f.describe(), f.name
        if f.max_items:
            assert str(f.max_items) in f.describe(), f.name


def test_language_method_documents_every_value_the_detector_returns():
    french = ("Le gouvernement a présenté mercredi un projet de loi visant à renforcer la protection des données "
              "personnelles des usagers des services publics, après plusieurs fuites massives survenues cette année.")
    icelandic = ("Ríkisstjórnin lagði á miðvikudag fram frumvarp sem á að styrkja vernd persónuupplýsinga notenda "
                 "opinberrar þjónustu eftir að nokkrir stórir gagnalekar urðu á þessu ári.")
    def detect(text, declared=None):
        return language_detect(text, declared, min_confidence=NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE,
                               max_chars=NEWSCRAWL_LANGUAGE_MAX_CHARS)

    methods = {detect(french)[2], detect(icelandic, "en")[2], detect("Short.", "fr")[2], detect("Short.")[2]}
    assert methods == {"detected", "cld2", "declared", "none"}
    documented = set(re.findall(r"`(\w+)` \(", BY_NAME["language_method"].meaning))
    assert documented == methods


def test_feeds_export_the_public_fields_in_declared_order_unless_the_project_chooses():
    assert get_crawler(WarcSpider).settings.getlist("FEED_EXPORT_FIELDS") == list(PUBLIC_FIELDS)
    settings = Settings()
    WarcSpider.update_settings(settings)
    settings.update(Settings())   # `scrapy crawl` merges the process's settings into the crawler's again
    assert settings.getlist("FEED_EXPORT_FIELDS") == list(PUBLIC_FIELDS)
    chosen = get_crawler(WarcSpider, {"FEED_EXPORT_FIELDS": ["url", "title"]}).settings
    assert chosen.getlist("FEED_EXPORT_FIELDS") == ["url", "title"]
