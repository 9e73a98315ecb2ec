import logging
from datetime import datetime, timezone

from newscrawl.article.document import ARTICLE_KEYS, to_document
from newscrawl.article.fields import BY_NAME, STORED_FIELDS, STORE, Article
from newscrawl.article.hashing import content_hash, title_hash

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


def _item(**overrides) -> Article:
    fields = dict(url="https://news.example/a", fetched_url="https://news.example/a?utm_source=x",
                  source="news.example", source_name="News", title="A title", summary=None,
                  body="First paragraph.\n\nSecond paragraph.", authors=["Ann Lee"],
                  published_at="2026-11-19T08:00:00Z", published_at_source={"method": "jsonld", "has_time": True},
                  modified_at=None, image=None, section=[], tags=["x"], declared_language="en",
                  is_paywalled=False, crawled_at="2026-11-20T10:00:00Z", language="en", language_confidence=0.99,
                  language_method="detected", content_hash="0" * 40, story_id="s1", duplicate_of=None,
                  title_hash=None, minhash=b"\x00\x01", lsh_bands=["b1"])
    fields.update(overrides)
    return Article(**fields)


def test_stored_document_has_exactly_the_declared_stored_fields():
    doc = to_document(_item(), NOW)
    written_by_the_upsert = {name for name in STORED_FIELDS if BY_NAME[name].set_by == STORE} - {
        "published_date", "aliases", "schema_version"}
    assert set(doc) == set(STORED_FIELDS) - written_by_the_upsert
    assert set(ARTICLE_KEYS) <= set(to_document({"url": "https://news.example/b"}, NOW))


def test_language_method_is_stored():
    assert to_document(_item(language_method="cld2"), NOW)["language_method"] == "cld2"
    assert "language_method" not in to_document(_item(language=None, language_confidence=None,
                                                       language_method=None), NOW)


def test_duplicate_of_is_not_stored_and_not_warned_about(caplog):
    with caplog.at_level(logging.WARNING, logger="newscrawl.article.document"):
        doc = to_document(_item(duplicate_of="https://news.example/first"), NOW)
        to_document({**_item(), "not_a_field": 1}, NOW)
    assert "duplicate_of" not in doc
    assert [r.getMessage() for r in caplog.records] == [
        "field 'not_a_field' is not an article field (newscrawl/article/fields.py): not stored"]


def test_hashes_come_from_the_text_never_from_the_item():
    doc = to_document(_item(content_hash="forged", title_hash="forged"), NOW)
    assert doc["content_hash"] == content_hash("First paragraph.\n\nSecond paragraph.")
    assert doc["title_hash"] == title_hash("A title")


def test_formatting_does_not_change_the_content_hash():
    assert content_hash("Ｔhe  ﬁrst\nline") == content_hash("the first line")
    assert content_hash("") is None and content_hash("   ") is None
