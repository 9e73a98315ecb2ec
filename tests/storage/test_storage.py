"""Storage layer against a real server (FerretDB/SQLite from `make setup`, or mongod): schema,
indexes, idempotent batches, revisions, aliases, races, spool and replay, retry, crawl runs."""

import json
import logging
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newscrawl.storage import __main__ as cli
from newscrawl.article.document import ARTICLE_KEYS, content_hash, to_document
from newscrawl.storage.articles import ArticleStore
from newscrawl.storage.client import mask_uri, ping, server_kind
from newscrawl.storage.spool import Spool, decode, replay, spool_files
from newscrawl.storage.writer import write_with_retry

from mongo_server import EmbeddedServer, free_port
from sample_articles import article

UTC = timezone.utc
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def stored(mongo_db, exclude=("_id", "last_seen_at")) -> dict:
    return {d["url"]: {k: v for k, v in d.items() if k not in exclude}
            for d in mongo_db.store.articles.find({})}


# ---- schema ------------------------------------------------------------------------------------

def test_to_document_types_and_idempotence():
    doc = to_document(article(1, minhash=b"\x00\x01\xff", published_at="2026-11-01T23:30:00+00:00",
                              modified_at="2026-11-02T01:00:00-05:00", unknown_field=1), NOW)
    assert doc["published_at"] == datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    assert doc["published_date"] == "2026-11-01"
    assert doc["modified_at"] == datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # converted to UTC
    assert doc["crawled_at"] == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert doc["published_at_source"]["has_time"] is True
    assert doc["minhash"] == b"\x00\x01\xff"
    assert doc["content_hash"] == content_hash(article(1)["body"]) and doc["title_hash"]
    assert "unknown_field" not in doc
    assert to_document(doc, NOW) == doc
    # Formatting-only changes do not change the hash; bare minimum items get defaults.
    assert content_hash("A  b\n\nC") == content_hash("a b c")
    bare = to_document({"url": "https://x.org/a", "title": "T", "body": "B"}, NOW)
    assert bare["crawled_at"] == NOW and bare["published_at"] is None and bare["published_date"] is None
    assert bare["authors"] == [] and bare["aliases"] == [] and "story_id" not in bare
    with pytest.raises(ValueError):
        to_document({"title": "no url"}, NOW)


def test_date_only_published_at(mongo_db):
    item = article(1, published_at="2026-11-01", published_at_source={"method": "url", "has_time": False,
                                                                        "raw": "/2026/11/01/"})
    doc = to_document(item, NOW)
    assert doc["published_at"] == datetime(2026, 11, 1, tzinfo=UTC)
    assert doc["published_at_source"]["has_time"] is False and doc["published_date"] == "2026-11-01"
    no_source = to_document(article(2, published_at="2026-10-31", published_at_source=None), NOW)
    assert no_source["published_at_source"] == {"has_time": False}
    assert to_document(article(3, published_at=date(2026, 10, 30)), NOW)["published_date"] == "2026-10-30"
    # Late evening UTC stays on its UTC day.
    late = article(4, published_at="2026-11-01T23:59:59Z")
    mongo_db.store.upsert_batch([item, article(2, published_at="2026-10-31", published_at_source=None), late], NOW)
    back = mongo_db.store.get(item["url"])
    assert back["published_at"] == datetime(2026, 11, 1, tzinfo=UTC)  # a BSON date, read back aware
    assert back["published_at_source"] == {"method": "url", "has_time": False, "raw": "/2026/11/01/"}
    day = sorted(d["url"] for d in mongo_db.store.articles.find({"published_date": "2026-11-01"}))
    assert day == sorted([item["url"], late["url"]])
    since = mongo_db.store.articles.count_documents({"published_at": {"$gte": datetime(2026, 11, 1, tzinfo=UTC)}})
    assert since == 2


# ---- indexes -----------------------------------------------------------------------------------

def test_indexes_are_created_and_missing_features_are_reported(mongo_db):
    store = mongo_db.store
    names = set(store.articles.index_information())
    assert {"url_unique", "source_published", "language_published", "published_at", "published_date",
            "story_id", "content_hash", "lsh_bands"} <= names
    assert store.articles.index_information()["url_unique"].get("unique") is True
    assert {"run_id_unique", "spider_started"} <= set(mongo_db.db.crawl_runs.index_information())
    warnings = store.ensure_indexes()  # idempotent
    if server_kind(store.client) == "ferretdb":
        # FerretDB 1.24: no text index, no validators -> reported (tests/storage/test_fallbacks.py: at INFO), not errors.
        assert any("text index" in w for w in warnings) and any("validator" in w for w in warnings)
        assert "title_body_text" not in names
    else:
        assert warnings == [] and "title_body_text" in names
    assert warnings == mongo_db.index_warnings


# ---- upsert_batch ------------------------------------------------------------------------------

def test_same_batch_twice_changes_only_last_seen_at(mongo_db):
    store = mongo_db.store
    batch = [article(n) for n in range(5)]
    assert store.upsert_batch(batch, NOW) == {"inserted": 5, "updated": 0, "unchanged": 0, "aliased": 0}
    first = stored(mongo_db)
    assert store.upsert_batch(batch, NOW + timedelta(hours=1)) == {"inserted": 0, "updated": 0, "unchanged": 5,
                                                                   "aliased": 0}
    assert stored(mongo_db) == first
    assert store.articles.count_documents({}) == 5
    doc = store.get(batch[0]["url"])
    assert set(ARTICLE_KEYS) <= set(doc) and doc["modified_at"] is None and doc["aliases"] == []  # nulls kept
    assert doc["revision"] == 1 and doc["first_seen_at"] == NOW and doc["updated_at"] == NOW
    assert doc["last_seen_at"] == NOW + timedelta(hours=1)
    # A URL repeated within a batch is stored once, from its last occurrence.
    counts = store.upsert_batch([article(9, title="old"), article(9, title="new")], NOW)
    assert counts == {"inserted": 1, "updated": 0, "unchanged": 1, "aliased": 0}
    assert store.get(article(9)["url"])["title"] == "new"


def test_a_changed_body_or_title_becomes_a_new_revision(mongo_db):
    store = mongo_db.store
    store.upsert_batch([article(1), article(2)], NOW)
    old = store.get(article(1)["url"])
    later = NOW + timedelta(hours=2)
    changed = article(1, body=article(1)["body"] + "\n\nA correction was added.", crawled_at="2026-11-02T11:00:00Z")
    retitled = article(2, title="Headline number 2, updated")
    assert store.upsert_batch([changed, retitled], later) == {"inserted": 0, "updated": 2, "unchanged": 0,
                                                              "aliased": 0}
    doc = store.get(changed["url"])
    assert doc["revision"] == 2 and doc["updated_at"] == later and doc["first_seen_at"] == NOW
    assert doc["body"].endswith("A correction was added.") and doc["crawled_at"] == datetime(2026, 11, 2, 11, tzinfo=UTC)
    assert doc["revisions"] == [{"revision": 1, "content_hash": old["content_hash"], "title_hash": old["title_hash"],
                                 "seen_at": NOW, "replaced_at": later}]
    assert "body" not in doc["revisions"][0]  # full copies only with keep_revisions
    assert store.get(retitled["url"])["revision"] == 2
    # Idempotent after the change too.
    assert store.upsert_batch([changed, retitled], later)["unchanged"] == 2
    assert store.get(changed["url"])["revision"] == 2


def test_older_crawl_never_replaces_a_newer_version(mongo_db):
    """A spool replayed late must not revert an article a later crawl already updated."""
    store = mongo_db.store
    newer = article(1, body="The corrected text, crawled later.", crawled_at="2026-11-03T08:00:00Z")
    store.upsert_batch([newer], NOW)
    assert store.upsert_batch([article(1)], NOW + timedelta(days=1))["unchanged"] == 1  # crawled 2026-11-02
    doc = store.get(newer["url"])
    assert doc["body"] == newer["body"] and doc["revision"] == 1 and "revisions" not in doc


def test_keep_revisions_keeps_full_previous_copies(mongo_db):
    store = ArticleStore(mongo_db.uri, mongo_db.name, "articles", server_timeout_ms=5000, keep_revisions=True)
    try:
        store.upsert_batch([article(1)], NOW)
        store.upsert_batch([article(1, body="Entirely rewritten text of the story.")], NOW + timedelta(days=1))
        entry = store.get(article(1)["url"])["revisions"][0]
        assert entry["body"] == article(1)["body"] and entry["title"] == article(1)["title"]
        assert entry["published_at"] == datetime(2026, 11, 1, 15, 47, 42, tzinfo=UTC)
    finally:
        store.close()


def test_exact_duplicate_under_another_url_becomes_alias(mongo_db):
    store = mongo_db.store
    store.upsert_batch([article(1)], NOW)
    amp = article(1, url="https://news.example.org/amp/story-1.html", fetched_url=None)
    print_version = article(1, url="https://news.example.org/print/story-1.html")
    counts = store.upsert_batch([amp, print_version, article(2)], NOW + timedelta(hours=1))
    assert counts == {"inserted": 1, "updated": 0, "unchanged": 0, "aliased": 2}
    assert store.articles.count_documents({}) == 2
    doc = store.get(article(1)["url"])
    assert doc["aliases"] == [amp["url"], print_version["url"]]
    assert doc["last_seen_at"] == NOW and doc["revision"] == 1  # the canonical copy was not seen
    assert store.get(amp["url"])["url"] == article(1)["url"]  # found through its alias
    before = stored(mongo_db)
    assert store.upsert_batch([amp, print_version, article(2)], NOW + timedelta(hours=2))["aliased"] == 2
    assert stored(mongo_db) == before
    # Within one new batch: the first URL is the article, the second its alias.
    counts = store.upsert_batch([article(5), article(5, url="https://mirror.example.net/story-5")], NOW)
    assert counts["inserted"] == 1 and counts["aliased"] == 1
    assert store.get(article(5)["url"])["aliases"] == ["https://mirror.example.net/story-5"]


def test_copies_listed_before_their_article_become_aliases_and_empty_bodies_never_do(mongo_db):
    store = mongo_db.store
    store.upsert_batch([article(1)], NOW)
    # A new URL listed before the stored article it duplicates still becomes its alias; empty
    # bodies never make aliases (nothing to compare).
    mirror = article(1, url="https://mirror.example.net/1")
    empty = [article(n, body="", title=f"Video {n}") for n in (7, 8)]
    counts = store.upsert_batch([mirror, article(1), *empty], NOW)
    assert counts == {"inserted": 2, "updated": 0, "unchanged": 1, "aliased": 1}
    assert store.get(article(1)["url"])["aliases"] == [mirror["url"]]
    assert store.get(empty[0]["url"])["content_hash"] is None


def test_article_items_and_numpy_minhashes_are_stored(mongo_db):
    np = pytest.importorskip("numpy")
    from newscrawl.items import Article

    item = Article(**{k: v for k, v in article(1).items() if k in Article.fields})
    doc = to_document(item, NOW)
    assert doc["url"] == article(1)["url"] and doc["published_date"] == "2026-11-01"
    doc = to_document(dict(article(2), minhash=np.array([1, 2, 2 ** 32 - 1], dtype=np.uint64)), NOW)
    assert doc["minhash"] == [1, 2, 2 ** 32 - 1] and all(type(v) is int for v in doc["minhash"])
    with pytest.raises(ValueError):
        to_document(dict(article(3), minhash=[2 ** 64 - 1]), NOW)
    mongo_db.store.upsert_batch([item], NOW)
    assert mongo_db.store.get(item["url"])["title"] == item["title"]


@pytest.mark.parametrize("lookup", ["index", "scan"])
def test_story_candidates_share_a_band(mongo_db, lookup):
    store = mongo_db.store
    store.stories.mode = lookup
    store.upsert_batch([article(1, minhash=b"\x01\x02"), article(2), article(3, lsh_bands=["9:zzzz"])], NOW)
    found = sorted(store.stories.candidates(["1:shared", "5:none"]), key=lambda d: d["url"])
    assert [d["url"] for d in found] == [article(1)["url"], article(2)["url"]]
    assert found[0] == {"url": article(1)["url"], "story_id": "story-1", "minhash": b"\x01\x02"}
    assert found[1]["minhash"] == [2, 7, 42]
    assert len(store.stories.candidates(["1:shared"], limit=1)) == 1
    assert store.stories.candidates([]) == []


# ---- concurrent writers ------------------------------------------------------------------------

def test_lost_insert_race_is_retried_as_update(mongo_db, monkeypatch):
    """Our read saw nothing; another writer inserted the same URLs before our bulk write."""
    store, other = mongo_db.store, ArticleStore(mongo_db.uri, mongo_db.name, "articles", server_timeout_ms=5000)
    try:
        other.upsert_batch([article(1), article(2, body="The other writer's older text.")], NOW)
        real_read = store._read_existing
        calls = []
        monkeypatch.setattr(store, "_read_existing", lambda final, direct=(): calls.append(1) or ([] if len(calls) == 1 else real_read(final, direct)))
        counts = store.upsert_batch([article(1), article(2), article(3)], NOW + timedelta(minutes=1))
        assert counts == {"inserted": 1, "updated": 1, "unchanged": 1, "aliased": 0}
        assert store.articles.count_documents({}) == 3
        assert store.get(article(2)["url"])["revision"] == 2
    finally:
        other.close()


def test_duplicate_key_errors_are_retried_as_updates(mongo_db, monkeypatch):
    """A stale read: the server answers E11000 to some inserts of the batch (FerretDB 1.24 then
    skips the rest of the unordered insert); those become updates, the others are inserted."""
    store = mongo_db.store
    store.upsert_batch([article(1), article(4)], NOW)
    real_read, calls = store._read_existing, []
    monkeypatch.setattr(store, "_read_existing", lambda final, direct=(): calls.append(1) or ([] if len(calls) == 1 else real_read(final, direct)))
    batch = [article(0), article(1, title="Changed title"), article(2), article(3), article(4), article(5)]
    counts = store.upsert_batch(batch, NOW)
    assert counts == {"inserted": 4, "updated": 1, "unchanged": 1, "aliased": 0}
    assert store.articles.count_documents({}) == 6
    assert store.articles.count_documents({"revision": 1}) == 5
    assert store.get(article(1)["url"])["title"] == "Changed title"


@pytest.mark.parametrize("size", [10, 120])
def test_a_batch_mixing_new_unchanged_revised_and_copied_articles(mongo_db, size):
    """One batch inserts the new articles, touches the unchanged ones, revises the changed one and
    records a copy as an alias; written again later it only touches them."""
    store = mongo_db.store
    store.upsert_batch([article(n) for n in range(size)], NOW)
    later = NOW + timedelta(hours=1)
    batch = [article(n) for n in range(size)] + [article(n) for n in range(size, 2 * size)]
    batch[0] = article(0, title="A new title")                                # a revision
    batch.append(article(1, url="https://mirror.example.net/1"))              # an alias of a stored one
    counts = store.upsert_batch(batch, later)
    assert counts == {"inserted": size, "updated": 1, "unchanged": size - 1, "aliased": 1}
    assert store.upsert_batch(batch[1:size], later + timedelta(hours=1))["unchanged"] == size - 1
    # Again at the same time: still unchanged, nothing else moves.
    assert store.upsert_batch(batch[1:size], later + timedelta(hours=1))["unchanged"] == size - 1
    assert store.articles.count_documents({}) == 2 * size
    assert store.get(article(5)["url"])["last_seen_at"] == later + timedelta(hours=1)
    assert store.get(article(size + 1)["url"])["last_seen_at"] == later
    assert store.get(article(1)["url"])["aliases"] == ["https://mirror.example.net/1"]
    assert store.get(article(0)["url"])["revision"] == 2


def test_every_stored_article_has_a_key_with_its_content_hash_and_crawl_time(mongo_db):
    """The keys collection (what a batch reads instead of the articles on FerretDB) follows the
    articles: one key per insert, moved by a revision."""
    store = mongo_db.store
    store.upsert_batch([article(n) for n in range(5)], NOW)
    assert store.upsert_batch([article(n) for n in range(5, 10)], NOW)["inserted"] == 5
    crawled = datetime(2026, 11, 2, 8, tzinfo=UTC)
    assert {k["_id"]: (k["h"], k["c"]) for k in store.keys.find({})} == {
        article(n)["url"]: (content_hash(article(n)["body"]), crawled) for n in range(10)}
    # A revision moves the key to the new content hash and crawl time.
    store.upsert_batch([article(3, body="Rewritten.", crawled_at="2026-11-03T08:00:00Z")], NOW + timedelta(hours=1))
    key = store.keys.find_one({"_id": article(3)["url"]})
    assert key["h"] == content_hash("Rewritten.") and key["c"] == datetime(2026, 11, 3, 8, tzinfo=UTC)


def test_stored_crawl_times_name_the_stored_urls_and_when_they_were_crawled(mongo_db):
    """Which feed URLs are stored, and when they were crawled (sources' `drop_known`), also for a
    key written without its time."""
    store = mongo_db.store
    store.upsert_batch([article(1), article(2, crawled_at="2026-11-03T08:00:00Z")], NOW)
    wanted = [article(n)["url"] for n in (1, 2, 3)]
    times = store.stored_crawl_times(wanted)
    store.keys.update_one({"_id": article(1)["url"]}, {"$unset": {"c": ""}})
    assert store.stored_crawl_times(wanted) == times
    assert times == {article(1)["url"]: datetime(2026, 11, 2, 8, tzinfo=UTC),
                     article(2)["url"]: datetime(2026, 11, 3, 8, tzinfo=UTC)}


def test_articles_without_keys_are_found_and_keyed(mongo_db):
    """Articles stored without a key (by an older version, or a crash between the two inserts) are
    still found: by their URL's insert hitting the unique index, and by ensure_indexes filling an
    empty keys collection. A key whose article is gone only costs a read."""
    store = mongo_db.store
    store.upsert_batch([article(1), article(2)], NOW)
    store.keys.delete_many({})
    counts = store.upsert_batch([article(1), article(2, title="Changed title")], NOW + timedelta(hours=1))
    assert counts == {"inserted": 0, "updated": 1, "unchanged": 1, "aliased": 0}
    assert store.articles.count_documents({}) == 2 and store.keys.count_documents({}) == 2

    store.keys.delete_many({})
    store.ensure_indexes()   # fills the empty keys collection from the articles
    assert store.keys.count_documents({}) == 2
    mirror = "https://mirror.example.net/1"
    assert store.upsert_batch([article(1, url=mirror)], NOW)["aliased"] == 1   # found by its content hash
    assert store.get(article(1)["url"])["aliases"] == [mirror]

    store.articles.delete_one({"url": article(2)["url"]})   # its key stays
    assert store.upsert_batch([article(2)], NOW)["inserted"] == 1
    assert store.articles.count_documents({}) == 2


@pytest.mark.parametrize("lookup", ["index", "scan"])
def test_story_candidates_of_many_articles_by_index_and_by_scan(mongo_db, lookup):
    store = mongo_db.store
    store.stories.mode = lookup
    store.upsert_batch([article(1), article(2), article(3, lsh_bands=["9:zzzz"])], NOW)
    found = store.stories.candidates_many([["1:shared"], ["9:zzzz", "5:none"], [], ["5:none"]])
    assert sorted(d["url"] for d in found[0]) == [article(1)["url"], article(2)["url"]]
    assert [d["url"] for d in found[1]] == [article(3)["url"]] and found[2] == [] and found[3] == []
    assert found[1][0] == {"url": article(3)["url"], "story_id": "story-3", "minhash": [3, 7, 42]}
    # The query's room (limit x articles) taken by one article's many candidates: the article left
    # without any is asked again.
    many = store.stories.candidates_many([["1:shared"], ["9:zzzz"]], limit=1)
    assert len(many[0]) == 1 and [d["url"] for d in many[1]] == [article(3)["url"]]


def test_story_signatures_follow_revisions_and_are_filled_from_the_articles(mongo_db):
    store = mongo_db.store
    store.stories.mode = "index"              # written without signatures (MongoDB, older version)
    store.upsert_batch([article(1), article(2, lsh_bands=["0:0002"])], NOW)
    assert store.sigs.count_documents({}) == 0
    store.stories.mode = "scan"
    assert store.stories.candidates(["1:shared"]) == []      # not yet in the signatures
    store.ensure_indexes()                                  # fills them from the articles, once
    assert store.sigs.count_documents({}) == 2
    assert [d["url"] for d in store.stories.candidates(["1:shared"])] == [article(1)["url"]]
    # A revision moves the article's signature along: new bands and minhash; it stays in its story.
    revised = article(1, body="Corrected text of the first story.", story_id="story-9",
                      lsh_bands=["0:0009"], minhash=[9, 9, 9])
    assert store.upsert_batch([revised], NOW)["updated"] == 1
    assert store.stories.candidates(["1:shared"]) == []
    assert store.stories.candidates(["0:0009"]) == [{"url": article(1)["url"], "story_id": "story-1",
                                                   "minhash": [9, 9, 9]}]
    # New articles get theirs as they are inserted; the limit caps the candidates per article.
    store.upsert_batch([article(3, lsh_bands=["0:0002", "0:0009"])], NOW)
    assert sorted(d["url"] for d in store.stories.candidates(["0:0009"])) == [article(1)["url"], article(3)["url"]]
    assert len(store.stories.candidates_many([["0:0002"], ["0:0009"]], limit=1)[1]) == 1


def test_unknown_story_lookup_setting_is_refused_before_the_crawl():
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newscrawl.pipelines import MongoPipeline

    with pytest.raises(ValueError, match="MONGODB_STORY_LOOKUP must be one of auto, index, scan"):
        ArticleStore("mongodb://127.0.0.1:1", "x", "articles", server_timeout_ms=100, story_lookup="fast")
    # The crawl refuses the setting before it starts (not at the store's first use).
    crawler = get_crawler(Spider, {"MONGODB_ENABLED": True, "MONGODB_STORY_LOOKUP": "fast"})
    with pytest.raises(ValueError, match="MONGODB_STORY_LOOKUP must be one of auto, index, scan, not 'fast'"):
        MongoPipeline.from_crawler(crawler)
    crawler = get_crawler(Spider, {"MONGODB_ENABLED": True, "MONGODB_STORY_LOOKUP": "scan"})
    assert isinstance(MongoPipeline.from_crawler(crawler), MongoPipeline)


def test_revision_race_gives_one_revision(mongo_db, monkeypatch):
    store = mongo_db.store
    store.upsert_batch([article(1)], NOW)
    stale = store._read_existing({article(1)["url"]: to_document(article(1), NOW)})
    new = article(1, body="Corrected text of the first story.")
    with ArticleStore(mongo_db.uri, mongo_db.name, "articles", server_timeout_ms=5000) as other:
        other.upsert_batch([new], NOW)  # the other writer wins
    real_read, calls = store._read_existing, []
    monkeypatch.setattr(store, "_read_existing", lambda final, direct=(): calls.append(1) or (stale if len(calls) == 1 else real_read(final, direct)))
    assert store.upsert_batch([new], NOW)["updated"] == 1
    doc = store.get(new["url"])
    assert doc["revision"] == 2 and len(doc["revisions"]) == 1


WRITER = """
import json, sys
from datetime import datetime, timezone
from newscrawl.storage.articles import ArticleStore
uri, db = sys.argv[1:3]
batches = json.load(sys.stdin)
store = ArticleStore(uri, db, "articles", server_timeout_ms=5000)
counts = {"inserted": 0, "updated": 0, "unchanged": 0, "aliased": 0}
for batch in batches:
    for k, v in store.upsert_batch(batch, datetime.now(timezone.utc)).items():
        counts[k] += v
print(json.dumps(counts))
"""


def test_two_processes_write_the_same_articles(mongo_db):
    batches = json.dumps([[article(n) for n in range(start, start + 8)] for start in (0, 8)])
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, mongo_db.uri, mongo_db.name], cwd=REPO, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    for p in procs:
        p.stdin.write(batches)
        p.stdin.close()
    outs = [(p.stdout.read(), p.stderr.read(), p.wait(timeout=60)) for p in procs]
    assert all(code == 0 for _, _, code in outs), outs
    totals = [json.loads(out) for out, _, _ in outs]
    # Every article stored once, at revision 1, and counted as inserted by exactly one writer.
    assert sum(t["inserted"] for t in totals) == 16 and sum(t["unchanged"] for t in totals) == 16
    assert mongo_db.store.articles.count_documents({}) == 16
    assert mongo_db.store.articles.count_documents({"revision": 1}) == 16


# ---- spool, replay, retry ----------------------------------------------------------------------

def test_spool_and_replay_exactly_once(mongo_db, tmp_path):
    store = mongo_db.store
    spool_dir = tmp_path / "spool"
    spool = Spool(spool_dir, spider="article")
    docs = [article(n, minhash=bytes([n, 255])) for n in range(4)]
    path = spool.write(docs[:2], NOW)
    assert spool.write(docs[2:], NOW) == path and spool.written == 4
    assert path.name.startswith("spool-article-") and path.name.endswith(f"-{os.getpid()}.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"$date"' in lines[0] and json.loads(lines[0])["url"] == docs[0]["url"]
    assert decode(lines[0]) == to_document(docs[0], NOW)  # datetimes and bytes round-trip
    path.write_text(path.read_text() + '{"url": "https://cut.example/', encoding="utf-8")  # a crash mid-write
    store.upsert_batch([docs[0]], NOW)  # already stored before the outage
    counts = replay(store, spool_dir, now=NOW + timedelta(hours=1))
    quarantine = spool_dir / "quarantine" / f"{path.name}.bad"
    assert counts == {"files": 1, "documents": 4, "bad_lines": 1, "inserted": 3, "updated": 0, "unchanged": 1,
                      "aliased": 0, "rejected": 0, "quarantine": str(quarantine), "rejects": None}
    assert quarantine.read_text() == '{"url": "https://cut.example/\n'   # the torn line, kept
    assert spool_files(spool_dir) == [] and (spool_dir / "replayed" / path.name).exists()
    assert store.articles.count_documents({}) == 4
    assert store.get(docs[3]["url"])["minhash"] == bytes([3, 255])
    assert replay(store, spool_dir)["files"] == 0
    # Replaying the same file again (copied back) stores nothing twice.
    (spool_dir / path.name).write_bytes((spool_dir / "replayed" / path.name).read_bytes())
    assert replay(store, spool_dir)["unchanged"] == 4
    assert store.articles.count_documents({}) == 4
    assert (spool_dir / "replayed" / f"{path.stem}.1.jsonl").exists()
    # A writer whose file was moved away starts a new one.
    spool.write([article(10)], NOW)
    assert spool_files(spool_dir) == [path]


def test_write_with_retry_spools_while_server_is_down(tmp_path, caplog):
    data = tmp_path / "db"
    server = EmbeddedServer(data).start()
    with ArticleStore(server.uri, "outage", "articles", server_timeout_ms=5000) as before:
        assert write_with_retry(before, [article(1), article(2)], attempts=2, backoff_s=0.01, now=NOW) \
            == {"inserted": 2, "updated": 0, "unchanged": 0, "aliased": 0}
    port = server.port
    server.stop()  # the server goes away
    store = ArticleStore(server.uri, "outage", "articles", server_timeout_ms=300)
    spool = Spool(tmp_path / "spool", spider="article")
    try:
        with caplog.at_level(logging.WARNING, logger="newscrawl.storage"):
            result = write_with_retry(store, [article(n) for n in range(2, 6)], attempts=2, backoff_s=0.01,
                                      spool=spool, now=NOW)
        assert result is None
        errors = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert len(errors) == 1 and str(spool.path) in errors[0].getMessage()
        assert sum(1 for r in caplog.records if "retry 1/1" in r.getMessage()) == 1
        assert len(spool.path.read_text().splitlines()) == 4
        server = EmbeddedServer(data, port=port).start()  # back, same data, same URI
        counts = replay(store, tmp_path / "spool", now=NOW + timedelta(hours=1))
        assert counts["documents"] == 4 and counts["inserted"] == 3 and counts["unchanged"] == 1
        urls = [d["url"] for d in store.articles.find({}, {"url": 1})]
        assert sorted(urls) == sorted(article(n)["url"] for n in range(1, 6))  # every article exactly once
        assert replay(store, tmp_path / "spool")["documents"] == 0
    finally:
        store.close()
        server.stop()


def test_uri_password_is_masked_and_never_logged(tmp_path, caplog):
    assert mask_uri("mongodb://crawler:s3cr%40t@db1:27017,db2/news?authSource=admin") == \
        "mongodb://crawler:***@db1:27017,db2/news?authSource=admin"
    assert mask_uri("mongodb+srv://u:p@@ss@cluster.example.net/") == "mongodb+srv://u:***@cluster.example.net/"
    assert mask_uri("mongodb://127.0.0.1:27017") == "mongodb://127.0.0.1:27017"
    assert mask_uri("mongodb://user@host/db") == "mongodb://user@host/db"
    uri = f"mongodb://crawler:hunter2secret@127.0.0.1:{free_port()}/?authSource=admin"
    store = ArticleStore(uri, "x", "articles", server_timeout_ms=100)
    try:
        with caplog.at_level(logging.DEBUG):
            assert write_with_retry(store, [article(1)], attempts=2, backoff_s=0, spool=Spool(tmp_path)) is None
        assert "crawler:***@" in caplog.text and "hunter2secret" not in caplog.text
        assert "hunter2secret" not in repr(store)
    finally:
        store.close()


def test_write_with_retry_spools_a_batch_the_server_refuses(tmp_path, monkeypatch):
    """A server error that retrying will not mend: spooled at once, not lost."""
    from pymongo.errors import OperationFailure

    store = ArticleStore(f"mongodb://127.0.0.1:{free_port()}", "x", "articles", server_timeout_ms=100)
    calls = []

    def refuse(docs, now=None, rejects=None):
        calls.append(1)
        raise OperationFailure("refused", code=2)

    monkeypatch.setattr(store, "upsert_batch", refuse)
    try:
        assert write_with_retry(store, [article(1)], attempts=3, backoff_s=5, spool=Spool(tmp_path)) is None
        assert len(calls) == 1 and len(spool_files(tmp_path)) == 1
        with pytest.raises(OperationFailure):   # without a spool it is raised
            write_with_retry(store, [article(1)], attempts=3, backoff_s=5)
    finally:
        store.close()


def test_write_with_retry_raises_without_spool_and_on_permanent_errors(tmp_path):
    store = ArticleStore(f"mongodb://127.0.0.1:{free_port()}", "x", "articles", server_timeout_ms=100)
    try:
        from pymongo.errors import ServerSelectionTimeoutError

        with pytest.raises(ServerSelectionTimeoutError):
            write_with_retry(store, [article(1)], attempts=1, backoff_s=0)
        # A document that cannot be stored is set aside with its reason, never spooled nor raised.
        rejects = []
        assert write_with_retry(store, [{"title": "no url"}], attempts=3, backoff_s=5, spool=Spool(tmp_path),
                                rejects=rejects)["rejected"] == 1
        assert [reason for _, reason, _ in rejects] == ["invalid_document"] and spool_files(tmp_path) == []
    finally:
        store.close()


# ---- crawl runs and CLI ------------------------------------------------------------------------

def test_crawl_runs_are_recorded_in_two_steps_and_listed(mongo_db, capsys, monkeypatch, tmp_path):
    runs = mongo_db.runs
    runs.record({"run_id": "r1", "spider": "article", "status": "running", "started_at": "2026-11-02T08:00:00Z"})
    runs.record({"run_id": "r1", "status": "finished", "finished_at": "2026-11-02T08:12:30Z",
                      "counts": {"inserted": 10, "updated": 1, "unchanged": 3, "aliased": 0, "spooled": 0},
                      "stats": {"downloader/response_count": 14, "a.b": 1}})
    runs.record({"run_id": "r2", "spider": "warc", "status": "running", "started_at": NOW})
    run = mongo_db.db.crawl_runs.find_one({"run_id": "r1"}, {"_id": 0})
    assert run["spider"] == "article" and run["status"] == "finished" and run["duration_s"] == 750.0
    assert run["started_at"] == datetime(2026, 11, 2, 8, tzinfo=UTC) and run["stats"]["a_b"] == 1
    assert mongo_db.db.crawl_runs.count_documents({}) == 2
    assert [r["run_id"] for r in runs.list()] == ["r2", "r1"]
    assert [r["run_id"] for r in runs.list(spider="article")] == ["r1"]
    with pytest.raises(ValueError):
        runs.record({"spider": "x"})
    monkeypatch.setattr(cli, "_defaults", lambda: {"uri": mongo_db.uri, "database": mongo_db.name,
                                                   "collection": "articles", "timeout_ms": 5000,
                                                   "spool": str(tmp_path / "spool")})
    assert cli.main(["runs", "--limit", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["started", "(UTC)", "spider", "status"]
    assert "article" in out[2] and "finished" in out[2] and "12m30s" in out[2] and " 10 " in out[2]
    # The CrawlRunRecorder extension's shape (`items`, `finish_reason`) shows too.
    runs.record({"run_id": "r3", "spider": "warc", "status": "finished", "finish_reason": "max_articles",
                      "started_at": NOW + timedelta(hours=1), "finished_at": NOW + timedelta(hours=1, seconds=5),
                      "items": {"stored": 7, "updated": 0, "unchanged": 2, "duplicate": 1, "spooled": 0}})
    assert cli.main(["runs", "--spider", "warc", "--limit", "1"]) == 0
    row = capsys.readouterr().out.splitlines()[1].split()
    assert row[2:] == ["warc", "finished", "(max_articles)", "0m05s", "7", "0", "2", "-", "1", "0", "r3"]
    assert cli.main(["runs", "--spider", "nope"]) == 0
    assert "no crawl runs" in capsys.readouterr().out


def test_replay_command_stores_the_spooled_documents(mongo_db, tmp_path, capsys):
    Spool(tmp_path / "spool", spider="warc").write([article(1), article(2)], NOW)
    argv = ["replay", "--spool", str(tmp_path / "spool"), "--uri", mongo_db.uri, "--database", mongo_db.name]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "replayed 1 file(s), 2 document(s)" in out and "inserted=2" in out
    assert mongo_db.store.articles.count_documents({}) == 2


def test_mongo_db_fixture_points_at_a_live_server(mongo_server, mongo_db):
    assert mongo_server.running and mongo_server.uri.startswith("mongodb://127.0.0.1:")
    assert ping(mongo_db.store.client) and mongo_db.settings["MONGODB_DATABASE"] == mongo_db.name


def mongo_pipeline(mongo_db, tmp_path, flush_seconds: float, **settings):
    """A MongoPipeline on the test database (project settings, buffer of 1000) and its crawler,
    outside a crawl; `crawler.durable` records the `articles_durable` counts and `crawler.failed` the
    `storage_failed` reasons the pipeline sends."""
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newscrawl import settings as project_settings
    from newscrawl import signals as newscrawl_signals
    from newscrawl.pipelines import MongoPipeline

    project = {k: getattr(project_settings, k) for k in dir(project_settings) if k.startswith("MONGODB_")}
    crawler = get_crawler(Spider, {**project, **mongo_db.settings, "MONGODB_BUFFER_SIZE": 1000,
                                   "MONGODB_FLUSH_SECONDS": flush_seconds, "MONGODB_SPOOL_DIR": str(tmp_path),
                                   **settings})
    crawler.spider = Spider(name="pipeline")
    crawler.durable, crawler.failed = [0], []
    crawler.signals.connect(lambda count: crawler.durable.append(count), signal=newscrawl_signals.articles_durable,
                            weak=False)
    crawler.signals.connect(lambda reason: crawler.failed.append(reason), signal=newscrawl_signals.storage_failed,
                            weak=False)
    return MongoPipeline.from_crawler(crawler), crawler


async def wait_durable(crawler, n: int, seconds: float = 3.0) -> None:
    import asyncio

    for _ in range(int(seconds / 0.05)):
        if crawler.durable[-1] == n:
            return
        await asyncio.sleep(0.05)


def test_mongo_pipeline_writes_a_partial_batch_when_the_crawl_is_idle(mongo_db, tmp_path):
    # Buffer and timer far away: only the idle signal can write the two articles before close (in
    # distributed mode other workers wait for this worker's acks until then).
    import asyncio

    from scrapy import signals

    pipeline, crawler = mongo_pipeline(mongo_db, tmp_path, 3600)

    async def scenario():
        await pipeline.open_spider()
        for n in (1, 2):
            await pipeline.process_item(article(n))
        await asyncio.sleep(0.2)
        assert mongo_db.store.articles.count_documents({}) == 0
        crawler.signals.send_catch_log(signals.spider_idle, spider=crawler.spider)
        await wait_durable(crawler, 2)
        assert crawler.durable[-1] == 2
        assert mongo_db.store.articles.count_documents({}) == 2
        await pipeline.close_spider()

    asyncio.run(scenario())


def test_mongo_pipeline_flushes_by_the_age_of_the_oldest_article(mongo_db, tmp_path):
    # MONGODB_FLUSH_SECONDS bounds how long an article waits, counted from its arrival: a fixed
    # clock started at open would cut a batch 0.1 s after the article came.
    import asyncio

    pipeline, crawler = mongo_pipeline(mongo_db, tmp_path, 1.2)

    async def scenario():
        await pipeline.open_spider()
        await asyncio.sleep(1.0)
        await pipeline.process_item(article(1))
        await asyncio.sleep(0.6)        # 1.6 s after open, 0.6 s after the article
        assert crawler.durable[-1] == 0 and mongo_db.store.articles.count_documents({}) == 0
        await wait_durable(crawler, 1)
        assert crawler.durable[-1] == 1 and mongo_db.store.articles.count_documents({}) == 1
        await pipeline.close_spider()

    asyncio.run(scenario())


def test_mongo_pipeline_close_does_not_cancel_a_queued_write(mongo_db, tmp_path):
    # At close the ticker is cancelled. If it was waiting on back-pressure, the cancellation must not
    # reach the write it waits for: a queued batch cancelled in the executor is never written nor
    # spooled (the crawl lost one article this way when the server was down and writes were slow).
    import asyncio
    import threading

    pipeline, crawler = mongo_pipeline(mongo_db, tmp_path, 3600, MONGODB_MAX_PENDING_BATCHES=1)
    gate = threading.Event()

    async def scenario():
        await pipeline.open_spider()
        writer = pipeline.writer
        write = writer._write

        def slow_write(batch):
            gate.wait(10)
            return write(batch)

        writer._write = slow_write
        await pipeline.process_item(article(1))
        await writer.flush()                                     # batch 1: on the writer, held
        await pipeline.process_item(article(2))
        first = asyncio.ensure_future(writer.flush())            # batch 2 queued; waits on batch 1
        await asyncio.sleep(0.05)
        await pipeline.process_item(article(3))
        pipeline._ticker.cancel()
        pipeline._ticker = asyncio.ensure_future(writer.flush())   # batch 3; waits on batch 2
        await asyncio.sleep(0.05)
        assert not first.done() and not pipeline._ticker.done()
        closing = asyncio.ensure_future(pipeline.close_spider())  # cancels the waiting "ticker"
        await asyncio.sleep(0.05)
        gate.set()
        await closing
        await first

    asyncio.run(scenario())
    assert sorted(d["url"] for d in mongo_db.store.articles.find({}, {"url": 1})) == \
        sorted(article(n)["url"] for n in (1, 2, 3))
    assert crawler.durable[-1] == 3 and crawler.failed == []
    assert crawler.stats.get_value("newscrawl/mongodb/inserted") == 3


def test_mongo_pipeline_reports_a_failed_write_without_failing_other_items(mongo_db, tmp_path, caplog):
    # An unexpected error in a batch's write (not a server error: those are retried and spooled)
    # is logged and counted as lost; the items waiting on back-pressure go on and are stored.
    import asyncio

    pipeline, crawler = mongo_pipeline(mongo_db, tmp_path, 3600, MONGODB_MAX_PENDING_BATCHES=1)

    async def scenario():
        await pipeline.open_spider()
        writer = pipeline.writer
        write = writer._write

        def failing_first(batch):
            if any(d["url"] == article(1)["url"] for d in batch):
                raise RuntimeError("boom")
            return write(batch)

        writer._write = failing_first
        for n in (1, 2, 3):
            await pipeline.process_item(article(n))
            await writer.flush()                  # one batch each; waits on the one before
        await pipeline.close_spider()

    with caplog.at_level(logging.ERROR, logger="newscrawl.storage"):
        asyncio.run(scenario())
    assert sorted(d["url"] for d in mongo_db.store.articles.find({}, {"url": 1})) == \
        sorted(article(n)["url"] for n in (2, 3))
    assert crawler.stats.get_value("newscrawl/mongodb/lost") == 1 and crawler.failed == ["write_failed"]
    assert crawler.durable == [0]     # distributed mode acks nothing after a lost write
    assert any("neither stored nor spooled (RuntimeError: boom)" in r.getMessage() for r in caplog.records)
