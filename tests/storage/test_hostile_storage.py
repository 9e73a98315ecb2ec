"""Hostile documents and storage faults (issue 17 §2, §5, §6, §7, §8), against the real server
(FerretDB from tests/mongo_server.py) and real crawls: one bad document never costs another, a
failing stage costs one item, the spool survives a full disk, replay keeps what it cannot read,
an unreachable store is found at once, a store and spool that both fail stop the crawl, every
fetched URL is a document or an alias on one, and a revision keeps its story."""

import errno
import json
import logging
import os
import pickle
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pymongo import MongoClient
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from conftest import REPO, article_html, run_crawl
from newscrawl import pipelines
from newscrawl import signals as newscrawl_signals
from newscrawl import settings as project_settings
from newscrawl.items import Article
from newscrawl.article import hashing
from newscrawl.article.document import check_document, to_document
from newscrawl.article.hashing import content_hash
from newscrawl.storage import spool as spool_mod
from newscrawl.storage.articles import ArticleStore
from newscrawl.storage.spool import Spool, SpoolError, decode, replay, spool_files
from newscrawl.storage.writer import write_with_retry
from mongo_server import EmbeddedServer, free_port

UTC = timezone.utc
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def article(n: int, **fields) -> dict:
    item = {"url": f"https://news.example.org/2026/11/01/story-{n}.html", "source": "example.org",
            "source_name": "Example News", "title": f"Headline number {n}",
            "body": f"First paragraph of story {n}.\n\nSecond paragraph of story {n}, with more words.",
            "published_at": "2026-11-01T15:47:42Z", "crawled_at": "2026-11-02T08:00:00Z",
            "published_at_source": {"method": "jsonld", "raw": "2026-11-01T16:47:42+01:00"},
            "story_id": f"story-{n}", "lsh_bands": [f"0:{n:04x}"], "minhash": [n, 7, 42]}
    item.update(fields)
    return item


def deep(levels: int) -> dict:
    doc: dict = {}
    for _ in range(levels):
        doc = {"x": doc}
    return doc


# One per class of document the encoder or MongoDB refuses: (fields, reason).
BAD = {
    "surrogate_title": ({"title": "Headline \ud800 cut"}, "invalid_string"),
    "surrogate_author": ({"authors": ["Ann \udfff Lee"]}, "invalid_string"),
    "surrogate_in_nested_value": ({"published_at_source": {"raw": "x\ud83d"}}, "invalid_string"),
    "dollar_key": ({"published_at_source": {"$where": "1"}}, "invalid_key"),
    "dotted_key": ({"published_at_source": {"a.b": 1}}, "invalid_key"),
    "nul_key": ({"published_at_source": {"a\x00b": 1}}, "invalid_key"),
    "int_over_64_bits": ({"published_at_source": {"n": 2 ** 64}}, "int_overflow"),
    "too_deep": ({"published_at_source": deep(150)}, "too_deep"),
    "very_deep": ({"published_at_source": deep(50_000)}, "too_deep"),
    "too_large": ({"body": "word " * (3_500_000)}, "too_large"),
    "no_url": ({"url": None}, "invalid_document"),
}


def stored_urls(store) -> set[str]:
    return {d["url"] for d in store.articles.find({}, {"url": 1})}


# ---- one bad document never costs another --------------------------------------------------------

@pytest.mark.parametrize("positions", [[0], [5], [9], [0, 4, 9], list(range(0, 10, 2))],
                         ids=["first", "middle", "last", "several", "every_other"])
def test_bad_documents_are_set_aside_and_every_good_one_is_stored(mongo_db, positions):
    names = list(BAD)
    batch, bad_urls = [], {}
    for n in range(10):
        if n in positions:
            name = names[(n + len(positions)) % len(names)]
            fields, reason = BAD[name]
            doc = article(n, **fields)
            batch.append(doc)
            bad_urls[article(n)["url"]] = reason
        else:
            batch.append(article(n))
    rejects = []
    counts = mongo_db.store.upsert_batch(batch, NOW, rejects=rejects)
    good = {article(n)["url"] for n in range(10) if n not in positions}
    assert stored_urls(mongo_db.store) == good
    assert counts["inserted"] == len(good) and counts["rejected"] == len(positions)
    assert sorted(reason for _, reason, _ in rejects) == sorted(bad_urls.values())


@pytest.mark.parametrize("name", list(BAD))
def test_each_class_of_bad_document_is_named(name):
    fields, reason = BAD[name]
    if reason == "invalid_document":
        with pytest.raises(ValueError):
            to_document(article(1, **fields), NOW)
        return
    assert check_document(to_document(article(1, **fields), NOW))[0] == reason
    assert check_document(to_document(article(1), NOW)) is None


def test_documents_the_server_refuses_are_found_by_halving_the_batch(mongo_db, monkeypatch):
    # Without the check before the write, FerretDB itself refuses "$" and "." keys: the batch is
    # halved until each refused document is alone; the others are all stored.
    monkeypatch.setattr("newscrawl.article.document.check_document", lambda doc: None)
    bad = {2: {"$where": "1"}, 7: {"a.b": 1}, 8: {"$gt": 0}}
    batch = [article(n, published_at_source=bad[n]) if n in bad else article(n) for n in range(12)]
    rejects = []
    counts = mongo_db.store.upsert_batch(batch, NOW, rejects=rejects)
    assert stored_urls(mongo_db.store) == {article(n)["url"] for n in range(12) if n not in bad}
    assert sorted(d["url"] for d, _, _ in rejects) == sorted(article(n)["url"] for n in bad)
    assert {reason for _, reason, _ in rejects} == {"invalid_key"} and counts["rejected"] == 3
    # The keys of the stored articles are there too (the next batch finds them).
    assert mongo_db.store.upsert_batch([article(n) for n in range(12) if n not in bad], NOW)["unchanged"] == 9


def mongo_pipeline(mongo_db, tmp_path, **settings):
    from newscrawl.pipelines import MongoPipeline

    project = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    crawler = get_crawler(Spider, {**project, **mongo_db.settings, "MONGODB_BUFFER_SIZE": 1000,
                                   "MONGODB_FLUSH_SECONDS": 3600, "MONGODB_SPOOL_DIR": str(tmp_path / "spool"),
                                   **settings})
    crawler.spider = Spider(name="hostile")
    crawler.accepted, crawler.durable = [], [0]   # what the pipeline's signals said
    crawler.signals.connect(lambda item: crawler.accepted.append(item), signal=newscrawl_signals.article_accepted,
                            weak=False)
    crawler.signals.connect(lambda count: crawler.durable.append(count), signal=newscrawl_signals.articles_durable,
                            weak=False)
    return MongoPipeline.from_crawler(crawler), crawler


def run_pipeline(pipeline, items):
    import asyncio

    async def scenario():
        await pipeline.open_spider()
        for item in items:
            await pipeline.process_item(item)
        await pipeline.close_spider()

    asyncio.run(scenario())


def test_mongo_pipeline_counts_and_keeps_rejected_documents(mongo_db, tmp_path, caplog):
    bad = {1: "surrogate_title", 4: "dollar_key", 6: "int_over_64_bits"}
    items = [article(n, **BAD[bad[n]][0]) if n in bad else article(n) for n in range(8)]
    pipeline, crawler = mongo_pipeline(mongo_db, tmp_path)
    with caplog.at_level(logging.WARNING):
        run_pipeline(pipeline, items)
    stats = crawler.stats.get_stats()
    assert stored_urls(mongo_db.store) == {article(n)["url"] for n in range(8) if n not in bad}
    assert stats["newscrawl/mongodb/inserted"] == 5 and stats["newscrawl/mongodb/rejected"] == 3
    assert stats["newscrawl/mongodb/rejected/invalid_string"] == 1
    assert stats["newscrawl/mongodb/rejected/invalid_key"] == 1
    assert stats["newscrawl/mongodb/rejected/int_overflow"] == 1
    assert "newscrawl/mongodb/lost" not in stats and "newscrawl/mongodb/spooled" not in stats
    # Set aside is accounted for: acked in distributed mode.
    assert crawler.durable[-1] == len(crawler.accepted) == 8
    lines = [json.loads(line) for line in pipeline.writer.spool.rejects_path.read_text().splitlines()]
    assert sorted((e["url"], e["reason"]) for e in lines) == sorted(
        (article(n)["url"], BAD[bad[n]][1]) for n in bad)
    assert all(e["document"]["url"] == e["url"] for e in lines)   # kept for inspection
    assert spool_files(tmp_path / "spool") == []                    # never replayed
    logged = [r.getMessage() for r in caplog.records if "set aside" in r.getMessage()]
    assert len(logged) == 3 and not any("sleep" in m or "\ud800" in m for m in logged)


def test_bad_documents_are_set_aside_when_the_store_is_down_and_the_rest_spooled(tmp_path):
    # The spool line of a lone surrogate could not be written as UTF-8: the whole batch was lost.
    store = ArticleStore(f"mongodb://127.0.0.1:{free_port()}", "x", "articles", server_timeout_ms=100)
    spool = Spool(tmp_path, spider="article")
    rejects = []
    items = [article(1), article(2, title="Cut \udc80"), article(3, published_at_source={"$x": 1}), article(4)]
    try:
        assert write_with_retry(store, items, attempts=1, backoff_s=0, spool=spool, rejects=rejects) is None
    finally:
        store.close()
    assert sorted(r for _, r, _ in rejects) == ["invalid_key", "invalid_string"]
    assert [decode(line)["url"] for line in spool.path.read_text().splitlines()] == \
        [article(1)["url"], article(4)["url"]]


def test_mongodb_rejected_through_a_real_crawl(http_site, tmp_path, mongo_db):
    good = [http_site.add(f"/hs-good/{n}.html", article_html(f"Harbour ferry report {n}", published="2026-11-20T10:00:00Z",
                                                             paragraphs=[f"Ferry line {n} opened on Monday after "
                                                                         f"{n + 3} years of planning, the harbour "
                                                                         f"authority said, with boats every {n + 1} "
                                                                         f"hours in summer and fewer in winter."]))
            for n in range(4)]
    markers = ["poison-surrogate", "poison-dollar-key", "poison-deep", "poison-big-int"]
    bad = [http_site.add(f"/{m}/a.html", article_html(f"Council vote {m}", published="2026-11-20T10:00:00Z",
                                                      paragraphs=[f"The council voted on {m} rules on Tuesday, "
                                                                  f"after a long debate about the {len(m)} new "
                                                                  f"bus lines, the cost of the depot and the "
                                                                  f"timetable that drivers will work to next year."]))
           for m in markers]
    pipelines_setting = {**project_settings.ITEM_PIPELINES, "tests.storage.storage_faults.PoisonPipeline": 850}
    settings = {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2, "MONGODB_SPOOL_DIR": str(tmp_path / "spool"),
                "ITEM_PIPELINES": json.dumps(pipelines_setting)}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(good + bad)}, settings)
    assert stored_urls(mongo_db.store) == set(good), log[-3000:]
    assert stats["newscrawl/mongodb/rejected"] == 4
    assert {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newscrawl/mongodb/rejected/")} == \
        {"invalid_string": 1, "invalid_key": 1, "too_deep": 1, "int_overflow": 1}
    assert "newscrawl/mongodb/lost" not in stats and "sleep(1000)" not in log
    assert rc == 5   # degraded: articles set aside, the rest stored (contract with the outcome part)


# ---- one content hash ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Café ﬁnal ①", "ＦＵＬＬ width\u00a0text", "A  b\n\nC", "Straße"])
def test_content_hash_has_one_definition(text):
    # The dedupe pipeline's hashes are the article's, and the stored document's are the same.
    assert pipelines.content_hash is hashing.content_hash and pipelines.title_hash is hashing.title_hash
    doc = to_document({"url": "https://example.org/a", "title": text, "body": text}, NOW)
    assert doc["content_hash"] == hashing.content_hash(text) == hashing.text_hash(text)
    assert doc["title_hash"] == hashing.title_hash(text)


def test_stored_hash_does_not_depend_on_the_dedupe_pipeline_or_the_item(mongo_db):
    body = "The ﬁrst ﬂoor of the Café reopened on Monday, ① year after the ﬁre."
    with_dedupe = article(1, body=body, content_hash=content_hash(body))
    without = article(2, body=body)
    forged = article(3, body="Entirely different text of another story.", content_hash=content_hash(body))
    mongo_db.store.upsert_batch([with_dedupe, without, forged], NOW)
    docs = {d["url"]: d for d in mongo_db.store.articles.find({})}
    assert docs[with_dedupe["url"]]["content_hash"] == content_hash(body)
    # The copy under another URL is an alias of the first, whichever computed the hash ...
    assert without["url"] not in docs and without["url"] in docs[with_dedupe["url"]]["aliases"]
    # ... and a hash that does not match the body never aliases an article onto another one.
    assert docs[forged["url"]]["content_hash"] == content_hash(forged["body"])


# ---- every pipeline stage: one item's failure costs that item only --------------------------------

BODY = ("The regional parliament approved the new budget on Thursday after a long night of debate, with the "
        "opposition abstaining on most of the chapters about schools and hospitals.\n\n"
        "The finance minister said the plan would cut the deficit by half within three years, officials of item-{n} said.")
SECRET = "page text that must not be logged"


def _item(n):
    return Article(url=f"https://news.example/a{n}", title=f"Budget approved item-{n}", body=BODY.format(n=n),
                   summary=None, authors=[], published_at=None, crawled_at="2026-11-20T12:00:00Z",
                   published_at_source=None, modified_at=None, declared_language="en", source="news.example",
                   source_name="News", fetched_url=f"https://news.example/a{n}", image=None, section=[], tags=[],
                   is_paywalled=False)


def _raise_for(n, real):
    def fake(*args, **kwargs):
        if any(f"item-{n} " in f"{a} " or f"item-{n}'" in str(a) for a in args):
            raise KeyError(SECRET)
        return real(*args, **kwargs)
    return fake


@pytest.mark.parametrize("stage", ["validate", "dedupe", "language", "store"])
def test_a_failing_stage_drops_only_its_item_and_records_it(stage, monkeypatch, mongo_db, tmp_path, caplog):
    import asyncio

    if stage == "validate":
        monkeypatch.setattr(pipelines, "clean_paragraph_text", _raise_for(3, pipelines.clean_paragraph_text))
    elif stage == "dedupe":
        monkeypatch.setattr(pipelines, "title_hash", _raise_for(3, pipelines.title_hash))
    elif stage == "language":
        monkeypatch.setattr(pipelines.language, "detect", _raise_for(3, pipelines.language.detect))
    else:
        monkeypatch.setattr(pipelines.BatchWriter, "take", _raise_for(3, pipelines.BatchWriter.take))
    project = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    crawler = get_crawler(Spider, {**project, **mongo_db.settings, "MONGODB_SPOOL_DIR": str(tmp_path)})
    crawler.spider = Spider(name="guarded")
    chain = [pipelines.ValidatePipeline.from_crawler(crawler), pipelines.DedupePipeline.from_crawler(crawler),
             pipelines.LanguagePipeline.from_crawler(crawler), pipelines.MongoPipeline.from_crawler(crawler)]
    passed, dropped = [], []

    async def scenario():
        for p in chain:
            if hasattr(p, "open_spider"):
                result = p.open_spider()
                if asyncio.iscoroutine(result):
                    await result
        for n in range(6):
            item = _item(n)
            try:
                for p in chain:
                    item = p.process_item(item)
                    if asyncio.iscoroutine(item):
                        item = await item
            except DropItem as exc:
                dropped.append((n, str(exc)))
            else:
                passed.append(n)
        await chain[-1].close_spider()

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert passed == [0, 1, 2, 4, 5] and [n for n, _ in dropped] == [3]
    assert dropped[0][1].startswith("pipeline_error: https://news.example/a3")
    stats = crawler.stats.get_stats()
    assert stats[f"newscrawl/pipeline/errors/{stage}"] == 1 and stats["newscrawl/pipeline/errors"] == 1
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "https://news.example/a3" in errors[0] and "KeyError" in errors[0]
    assert SECRET not in caplog.text
    assert stored_urls(mongo_db.store) == {f"https://news.example/a{n}" for n in passed}


# ---- the spool survives a full disk ----------------------------------------------------------------

def test_a_spool_write_that_fails_midway_leaves_nothing_and_the_next_batch_is_whole(tmp_path, monkeypatch, mongo_db):
    spool = Spool(tmp_path / "spool", spider="article")
    spool.write([article(1), article(2)], NOW)
    real_write = os.write
    calls = {"n": 0}

    def full_disk(fd, data):
        calls["n"] += 1
        if calls["n"] == 1:     # part of the batch goes to disk, then the disk is full
            real_write(fd, bytes(data[:len(data) // 2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(spool_mod.os, "write", full_disk)
    with pytest.raises(SpoolError) as failed:
        spool.write([article(3), article(4)], NOW)
    assert failed.value.errno == errno.ENOSPC
    monkeypatch.setattr(spool_mod.os, "write", real_write)
    lines = spool.path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and [decode(x.decode())["url"] for x in lines[:-1]] == [article(1)["url"], article(2)["url"]]
    spool.write([article(5)], NOW)     # reported as spooled: must be replayable
    counts = replay(mongo_db.store, tmp_path / "spool", now=NOW)
    assert counts["bad_lines"] == 0 and counts["inserted"] == 3
    assert stored_urls(mongo_db.store) == {article(n)["url"] for n in (1, 2, 5)}


def test_a_torn_line_from_a_killed_writer_never_swallows_the_next_batch(tmp_path, mongo_db):
    spool = Spool(tmp_path / "spool", spider="article")
    spool.write([article(1)], NOW)
    with open(spool.path, "ab") as fh:     # a writer killed mid-line
        fh.write(b'{"url": "https://news.example.org/2026/11/01/story-9.ht')
    spool.write([article(2), article(3)], NOW)
    counts = replay(mongo_db.store, tmp_path / "spool", now=NOW)
    assert counts["bad_lines"] == 1 and counts["inserted"] == 3
    assert stored_urls(mongo_db.store) == {article(n)["url"] for n in (1, 2, 3)}
    assert "story-9.ht" in Path(counts["quarantine"]).read_text()


@pytest.fixture
def small_disk(tmp_path):
    """A real 256 KiB filesystem (tmpfs; needs root)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_spool_on_a_really_full_disk_keeps_whole_batches_only(small_disk, mongo_db):
    spool = Spool(small_disk, spider="article")
    body = "Words of a long article body. " * 2000       # ~60 KB a document
    written, failed = [], 0
    for n in range(12):
        try:
            spool.write([article(n, body=f"{n} {body}")], NOW)
            written.append(n)
        except SpoolError as exc:
            assert exc.errno == errno.ENOSPC
            failed += 1
    assert written and failed
    # Every line on disk is a whole document: those reported as spooled, no more, no less.
    urls = [decode(line)["url"] for line in spool.path.read_text().splitlines()]
    assert urls == [article(n)["url"] for n in written]
    counts = replay(mongo_db.store, small_disk, now=NOW)
    assert counts["bad_lines"] == 0 and counts["inserted"] == len(written)


def test_replay_quarantines_what_it_cannot_read_and_never_unpickles(tmp_path, mongo_db):
    spool_dir = tmp_path / "spool"
    spool = Spool(spool_dir, spider="article")
    spool.write([article(1)], NOW)
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    hostile = [pickle.dumps(Payload()), b"[1, 2, 3]", b'"just a string"', b"[" * 100_000 + b"]" * 100_000,
               b'{"$date": 0}', b"\xff\xfe not utf-8", b'{"title": "no url"}',
               json.dumps({"url": "https://x.example/a", "title": "t", "body": "b",
                           "published_at_source": {"$where": "1"}}).encode()]
    with open(spool.path, "ab") as fh:
        for line in hostile:
            fh.write(line.replace(b"\n", b" ") + b"\n")
    spool.write([article(2)], NOW)
    outside = tmp_path / "outside.jsonl"          # a symbolic link planted in the spool directory
    outside.write_text(json.dumps({"url": "https://planted.example/", "title": "t", "body": "b"}) + "\n")
    (spool_dir / "spool-planted-1.jsonl").symlink_to(outside)
    proc = subprocess.run([sys.executable, "-m", "newscrawl.storage", "replay", "--spool", str(spool_dir),
                           "--uri", mongo_db.uri, "--database", mongo_db.name], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "rejected=2" in proc.stdout and "bad_lines=6" in proc.stdout
    assert not marker.exists()
    assert stored_urls(mongo_db.store) == {article(1)["url"], article(2)["url"]}
    quarantined = (spool_dir / "quarantine" / f"{spool.path.name}.bad").read_bytes().split(b"\n")
    assert len([q for q in quarantined if q]) == 6
    rejected = [json.loads(line) for p in spool_dir.glob("rejects-*.jsonl") for line in p.read_text().splitlines()]
    assert sorted(e["reason"] for e in rejected) == ["invalid_document", "invalid_key"]
    assert (spool_dir / "spool-planted-1.jsonl").is_symlink()       # not read, not moved


# ---- MongoDB unreachable at start; store and spool both failing ------------------------------------

def test_unreachable_mongodb_closes_the_spider_at_once(http_site, tmp_path):
    url = http_site.add("/unreachable/a.html", article_html("Unreachable store", published="2026-11-20T10:00:00Z"))
    settings = {"MONGODB_ENABLED": True, "MONGODB_URI": f"mongodb://127.0.0.1:{free_port()}",
                "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": url}, settings)
    assert stats["finish_reason"] == "mongodb_unreachable"
    # One ERROR line from the storage side (the outcome's own verdict lines are the outcome part's).
    errors = [line for line in log.splitlines() if "] ERROR:" in line and "[newscrawl.runs.health]" not in line]
    assert len(errors) == 1 and "MONGODB_ENABLED=false" in errors[0] and "tools.mongo_server" in errors[0]
    assert "Traceback" not in log
    assert "newscrawl/mongodb/retries" not in stats and "retry 1/" not in log
    assert http_site.requests("/unreachable/") == [] and items == []
    assert rc == 3    # failed (contract with the outcome part)


def test_store_and_spool_both_failing_stop_the_crawl(http_site, tmp_path):
    n_pages = 40
    urls = [http_site.add(f"/nostore/a{n}.html", article_html(f"County harbour report {n}", published="2026-11-20T10:00:00Z",
                                                            paragraphs=[f"Report {n}: the county board voted {n} times "
                                                                        f"on the harbour plan before approving line "
                                                                        f"{n * 13}, officials said on day {n}.",
                                                                        f"Opponents of plan {n} said the {n + 40} "
                                                                        f"million cost was too high for a county of "
                                                                        f"{n * 1000 + 7} residents and will appeal."]))
            for n in range(n_pages)]
    server = EmbeddedServer(tmp_path / "db").start()
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings = {"MONGODB_ENABLED": True, "MONGODB_URI": server.uri, "MONGODB_DATABASE": "nostore",
                "MONGODB_BUFFER_SIZE": 2, "MONGODB_FLUSH_SECONDS": 0.2, "MONGODB_RETRY_ATTEMPTS": 1,
                "MONGODB_SERVER_TIMEOUT_MS": 500, "MONGODB_SPOOL_DIR": str(blocker / "spool"),
                "CONCURRENT_REQUESTS": 1, "DOWNLOAD_DELAY": 0.1}
    client = MongoClient(server.uri, serverSelectionTimeoutMS=2000)
    try:
        crawl = subprocess.Popen([sys.executable, "-c", _RUNNER, str(tmp_path), ",".join(urls), repr(settings)], cwd=REPO)
        deadline = time.time() + 60
        while client.nostore.articles.count_documents({}) < 2:
            assert time.time() < deadline and crawl.poll() is None, "crawl ended before the kill"
            time.sleep(0.1)
        server.process.kill()
        server.process.wait()
        assert crawl.wait(timeout=180) is not None
    finally:
        client.close()
        server.stop()
    stats = json.loads((tmp_path / "stats.json").read_text())
    log = (tmp_path / "crawl.log").read_text()
    assert stats["finish_reason"] == "storage_unavailable"
    assert stats["newscrawl/mongodb/lost"] >= 1
    assert len(http_site.requests("/nostore/")) < n_pages          # stopped fetching
    assert sum("storage_unavailable" in line and "ERROR" in line and "[newscrawl.runs.health]" not in line
               for line in log.splitlines()) == 1
    assert crawl.returncode == 3


_RUNNER = """
import sys, ast, json, pathlib
sys.path.insert(0, "tests")
from conftest import run_crawl
items, stats, rc, log = run_crawl(pathlib.Path(sys.argv[1]), "article", {"urls": sys.argv[2]}, ast.literal_eval(sys.argv[3]))
pathlib.Path(sys.argv[1], "stats.json").write_text(json.dumps(stats, default=str))
sys.exit(rc)
"""


# ---- every article accounted for: aliases and stories across runs ------------------------------------

SAME = [("The river authority said on Friday that the old stone bridge will close for repairs in spring, "
         "after inspectors found cracks in two of its arches during the winter survey."),
        ("Traffic will be sent over the new bridge downstream, and the ferry will run every half hour "
         "while the work lasts, the authority said.")]


def test_every_fetched_url_is_a_document_or_an_alias_on_one_after_any_runs(http_site, tmp_path, mongo_db):
    page = article_html("Old bridge to close for repairs", published="2026-11-20T10:00:00Z", paragraphs=SAME)
    url = {name: http_site.add(f"/alias/{name}.html", page) for name in "ABCDEF"}
    settings = {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2, "CONCURRENT_REQUESTS": 1,
                "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    fetched: set[str] = set()
    # Run 2's first copy (B) is stored as an alias of run 1's A; run 3's first copy (C) too.
    for run in ("A", "BCDA", "CEFB"):
        items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(url[n] for n in run)}, settings)
        assert rc == 0, log[-3000:]
        fetched |= {url[n] for n in run}
        docs = list(mongo_db.store.articles.find({}, {"url": 1, "aliases": 1}))
        holders = {u: [d["url"] for d in docs if d["url"] == u or u in (d.get("aliases") or [])] for u in fetched}
        assert all(len(h) == 1 for h in holders.values()), (run, holders)
        assert "newscrawl/mongodb/alias_errors" not in stats
    assert [d["url"] for d in docs] == [url["A"]] and sorted(docs[0]["aliases"]) == sorted(url[n] for n in "BCDEF")


def test_a_revision_keeps_its_story_across_runs(http_site, tmp_path, mongo_db):
    path = "/revised/story.html"
    v1 = article_html("Bridge closure", published="2026-11-20T10:00:00Z", paragraphs=SAME)
    light = article_html("Bridge closure", published="2026-11-20T10:00:00Z",
                         paragraphs=[SAME[0], SAME[1].replace("half hour", "twenty minutes")])
    rewrite = article_html("Bridge closure", published="2026-11-20T10:00:00Z",
                           paragraphs=["An entirely new text about the election results in the northern "
                                       "districts, where turnout rose sharply compared with four years ago, and "
                                       "where the two largest parties both claimed victory before the count ended."])
    settings = {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2, "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    stories = []
    for n, page in enumerate((v1, light, rewrite)):
        url = http_site.add(path, page)
        items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": url}, settings)
        assert rc == 0, log[-3000:]
        doc = mongo_db.store.articles.find_one({"url": url})
        assert doc["revision"] == n + 1
        stories.append(doc["story_id"])
        if n == 1:    # the pipeline found its stored version: the item says the same story
            assert items[0]["story_id"] == stories[0]
    assert stories == [stories[0]] * 3
