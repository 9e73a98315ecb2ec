import asyncio
import random

import numpy as np
import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl import settings as project_settings
from newscrawl.article.hashing import content_hash
from newscrawl.dedupe import MicroBatcher, Signer, StoryIndex, UrlSet
from newscrawl.items import Article
from newscrawl.pipelines import DedupePipeline
from stories import OTHER, SAME_TOPIC, STORY, edit_words


def test_signer_similarity_orders_copies_above_other_stories():
    signer = Signer(0.3)
    rng = random.Random(1)
    base = signer.signature(STORY)
    assert signer.similarity(base, signer.signature(edit_words(STORY, 0.05, rng))) > 0.5
    assert signer.similarity(base, signer.signature(SAME_TOPIC)) < 0.15
    assert signer.similarity(base, signer.signature(OTHER)) < 0.05


def test_content_hash_ignores_case_and_whitespace_only():
    assert content_hash("A  b\n\nC") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")


# The project's dedupe and MongoDB settings (settings.py states the defaults, the pipeline none).
PROJECT = {k: getattr(project_settings, k) for k in dir(project_settings)
           if k.startswith(("NEWSCRAWL_DEDUPE_", "MONGODB_"))}


def _item(url, title, body):
    return Article(url=url, title=title, body=body, declared_language="en")


@pytest.fixture
def pipeline():
    crawler = get_crawler(settings_dict={**PROJECT, "MONGODB_ENABLED": False, "NEWSCRAWL_DEDUPE_ENABLED": True,
                                         "NEWSCRAWL_DEDUPE_THRESHOLD": 0.3, "NEWSCRAWL_DEDUPE_NUM_PERM": 128})
    p = DedupePipeline.from_crawler(crawler)
    p.open_spider()
    return p, crawler.stats


def _process(p, item):
    return asyncio.run(p.process_item(item))


def test_pipeline_url_exact_and_near_duplicates(pipeline):
    p, stats = pipeline
    first = _process(p, _item("https://a.example/1", "Bridge to close", STORY))
    with pytest.raises(DropItem):
        _process(p, _item("https://a.example/1", "Bridge to close", STORY))
    exact = _process(p, _item("https://amp.a.example/1", "Bridge to close (AMP)", STORY))
    near = _process(p, _item("https://b.example/x", "Harbour bridge shut to cars",
                             edit_words(STORY, 0.08, random.Random(3))))
    other = _process(p, _item("https://c.example/y", "Bridge stays open", SAME_TOPIC))
    assert exact["duplicate_of"] == "https://a.example/1" and exact["story_id"] == first["story_id"]
    assert near["story_id"] == first["story_id"] and near["duplicate_of"] is None
    assert other["story_id"] != first["story_id"]
    assert stats.get_value("newscrawl/dropped/duplicate_url") == 1
    assert stats.get_value("newscrawl/dedupe/exact_duplicates") == 1
    assert stats.get_value("newscrawl/dedupe/near_duplicates") == 1
    assert len(first["minhash"]) == 128 * 4 and first["lsh_bands"]


# ---- cross-run lookups, micro-batched ----------------------------------------------------------

class _FakeStories:
    """A story lookup (storage/stories.py) over a list of stored articles; records the size of every query."""

    def __init__(self, stored=()):
        self.stored = list(stored)
        self.queries: list[int] = []

    def candidates_many(self, band_lists, limit=50):
        self.queries.append(len(band_lists))
        return [[{"url": d["url"], "story_id": d["story_id"], "minhash": d["minhash"]}
                 for d in self.stored if set(d["lsh_bands"]) & set(bands)][:limit] for bands in band_lists]


def _pipeline(batch, wait_ms=50, stories=None):
    crawler = get_crawler(settings_dict={**PROJECT, "MONGODB_ENABLED": False, "NEWSCRAWL_DEDUPE_ENABLED": True,
                                         "NEWSCRAWL_DEDUPE_THRESHOLD": 0.3, "NEWSCRAWL_DEDUPE_NUM_PERM": 128,
                                         "NEWSCRAWL_DEDUPE_LOOKUP_BATCH": batch,
                                         "NEWSCRAWL_DEDUPE_LOOKUP_WAIT_MS": wait_ms})
    p = DedupePipeline.from_crawler(crawler)
    p.open_spider()
    p.assigner.stories = stories   # as open_spider does with MongoDB
    return p, crawler.stats


def _concurrently(p, items):
    async def go():
        return await asyncio.gather(*(p.process_item(item) for item in items))
    return asyncio.run(go())


def _copies(n, seed=5):
    rng = random.Random(seed)
    return [_item(f"https://site{i}.example/bridge", f"Bridge to close ({i})", edit_words(STORY, 0.05, rng))
            for i in range(n)]


@pytest.mark.parametrize("n,batch", [(7, 3), (10, 100), (12, 1)])
def test_concurrent_copies_share_one_story_with_few_lookups(n, batch):
    store = _FakeStories()
    p, stats = _pipeline(batch, stories=store)
    items = _copies(n) + [_item("https://amp.site0.example/bridge", "AMP", _copies(1)[0]["body"]),
                          _item("https://c.example/orchestra", "Orchestra season", OTHER)]
    out = _concurrently(p, items)
    first = out[0]
    # All waited for a lookup (none matched in memory when it arrived), then were decided in order.
    assert sum(store.queries) == n + 2 and len(store.queries) <= -(-(n + 2) // batch)
    assert stats.get_value("newscrawl/dedupe/lookups") == len(store.queries)
    assert first["story_id"] == "s" + first["content_hash"][:20]  # deterministic: the first one's hash
    assert {o["story_id"] for o in out[:n + 1]} == {first["story_id"]}
    assert out[n]["duplicate_of"] == first["url"] and all(o["duplicate_of"] is None for o in out[:n])
    assert out[-1]["story_id"] != first["story_id"]
    assert stats.get_value("newscrawl/dedupe/near_duplicates") == n - 1
    assert stats.get_value("newscrawl/dedupe/exact_duplicates") == 1


def test_stored_story_is_joined_across_runs_with_one_query():
    signer = Signer(0.3)
    sig = signer.signature("Bridge to close\n" + STORY)
    old = {"url": "https://old.example/bridge", "story_id": "s-from-last-week", "minhash": Signer.to_bytes(sig),
           "lsh_bands": signer.band_keys(sig)}
    store = _FakeStories([old])
    p, stats = _pipeline(50, stories=store)
    out = _concurrently(p, _copies(6) + [_item("https://c.example/orchestra", "Orchestra season", OTHER)])
    assert store.queries == [7]
    assert [o["story_id"] for o in out[:6]] == ["s-from-last-week"] * 6
    assert out[6]["story_id"] == "s" + out[6]["content_hash"][:20]
    # Items arriving one by one, each after the previous was decided: the in-memory index answers
    # the copies, only the first needed the store.
    p, _ = _pipeline(50, wait_ms=1, stories=store)
    store.queries.clear()
    out = [_process(p, item) for item in _copies(4, seed=9)]
    assert store.queries == [1] and {o["story_id"] for o in out} == {"s-from-last-week"}


def test_lookup_errors_make_new_stories():
    class Down:
        def candidates_many(self, band_lists, limit=50):
            raise ConnectionError("down")

    p, stats = _pipeline(10, stories=Down())
    out = _concurrently(p, _copies(3))
    assert {o["story_id"] for o in out} == {out[0]["story_id"]} and out[0]["story_id"].startswith("s")
    assert stats.get_value("newscrawl/dedupe/lookup_errors") == 3


def test_micro_batcher_batches_by_size_and_time_in_arrival_order():
    calls, decided = [], []

    def fetch(requests):
        calls.append(list(requests))
        return [r * 10 for r in requests]

    async def go():
        b = MicroBatcher(fetch, max_items=4, max_wait_s=0.05)
        first = await asyncio.gather(*(b.submit(i, lambda r, i=i: decided.append(i) or r + 1) for i in range(10)))
        t0 = asyncio.get_running_loop().time()
        alone = await b.submit(7, lambda r: r)  # fewer than max_items: sent after max_wait_s
        return first, alone, asyncio.get_running_loop().time() - t0

    first, alone, waited = asyncio.run(go())
    assert first == [i * 10 + 1 for i in range(10)] and alone == 70
    assert calls == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [7]]
    assert decided == list(range(10))
    assert 0.04 <= waited < 1.0


def test_copies_join_a_story_stored_in_the_real_store_with_one_lookup(mongo_db):
    first, _ = _pipeline(50, stories=mongo_db.store.stories)
    stored = _concurrently(first, [_item("https://old.example/bridge", "Bridge to close", STORY)])[0]
    mongo_db.store.upsert_batch([dict(stored)])
    p, stats = _pipeline(50, stories=mongo_db.store.stories)
    out = _concurrently(p, _copies(5, seed=11))
    assert {o["story_id"] for o in out} == {stored["story_id"]}
    assert stats.get_value("newscrawl/dedupe/lookups") == 1


def test_in_memory_index_is_bounded_and_older_articles_come_from_the_store():
    store = _FakeStories()
    p, stats = _pipeline(1, wait_ms=1, stories=store)
    p.assigner.index.capacity = 2            # open_spider sets NEWSCRAWL_DEDUPE_MEMORY_ARTICLES when there is a store
    bridge = _process(p, _item("https://a.example/bridge", "Bridge to close", STORY))
    store.stored.append({k: bridge[k] for k in ("url", "story_id", "minhash", "lsh_bands")})   # written by now
    _process(p, _item("https://c.example/orchestra", "Orchestra season", OTHER))
    _process(p, _item("https://d.example/survey", "Bridge survey", SAME_TOPIC))
    assert len(p.assigner.index) == 2 and len(p.assigner.hashes) == 2
    assert bridge["url"] not in [url for url, _ in p.assigner.index.entries()]
    store.queries.clear()
    copy = _process(p, _copies(1, seed=3)[0])
    assert store.queries == [1] and copy["story_id"] == bridge["story_id"]
    # Many more articles: the index holds the newest `capacity` only.
    for n in range(30):
        _process(p, _item(f"https://e.example/{n}", f"Story {n}", " ".join(f"w{n}x{k}" for k in range(80))))
    assert len(p.assigner.index) == 2 and len(p.assigner.hashes) == len(p.assigner.hash_order) == 2
    assert [url for url, _ in p.assigner.index.entries()] == ["https://e.example/28", "https://e.example/29"]
    assert p.assigner.index._sigs.shape[1] == 2   # the signature matrix never grows past the window
    # The window's entries are the ones the exact-copy map holds (one tuple for both).
    assert all(p.assigner.hashes[k] is e for k, e in zip(p.assigner.hash_order, p.assigner.index.entries()))


def test_index_is_bounded_only_with_a_store(mongo_db):
    dedupe_settings = {"NEWSCRAWL_DEDUPE_ENABLED": True, "NEWSCRAWL_DEDUPE_THRESHOLD": 0.3,
                       "NEWSCRAWL_DEDUPE_NUM_PERM": 128, "NEWSCRAWL_DEDUPE_MEMORY_ARTICLES": 7}
    crawler = get_crawler(settings_dict={**PROJECT, **mongo_db.settings, "MONGODB_ENABLED": True, **dedupe_settings})
    p = DedupePipeline.from_crawler(crawler)
    p.open_spider()
    assert p.assigner.stories is not None and p.assigner.index.capacity == 7
    p.close_spider()
    crawler = get_crawler(settings_dict={**PROJECT, "MONGODB_ENABLED": False, **dedupe_settings})
    p = DedupePipeline.from_crawler(crawler)
    p.open_spider()
    assert p.assigner.stories is None and p.assigner.index.capacity == 0


# ---- compact in-memory state: same decisions as a dict of band keys ----------------------------

class _BandKeyIndex:
    """The former StoryIndex (dict band key -> entries, oldest first): the reference for ties."""

    def __init__(self, signer, capacity):
        self.signer, self.capacity, self.buckets, self.order = signer, capacity, {}, {}

    def best_match(self, sig, exclude_url=None):
        best, best_sim, seen = None, 0.0, set()
        for key in self.signer.band_keys(sig):
            for url, story_id, other in self.buckets.get(key, ()):
                if url not in seen and url != exclude_url:
                    seen.add(url)
                    sim = self.signer.similarity(sig, other)
                    if sim > best_sim:
                        best, best_sim = (url, story_id), sim
        return (best, best_sim) if best_sim >= self.signer.threshold else (None, best_sim)

    def add(self, url, story_id, sig):
        keys = self.signer.band_keys(sig)
        for key in keys:
            self.buckets.setdefault(key, []).append((url, story_id, sig))
        self.order[url] = keys
        while self.capacity and len(self.order) > self.capacity:
            old = next(iter(self.order))
            for key in self.order.pop(old):
                self.buckets[key] = [e for e in self.buckets[key] if e[0] != old]


@pytest.mark.parametrize("alphabet,capacity", [(3, 0), (4, 7), (2, 3), (1 << 32, 0)])
def test_story_index_decides_as_a_dict_of_band_keys(alphabet, capacity):
    """Signatures over a tiny alphabet share many bands and tie often; eviction included."""
    signer = Signer(0.3)
    rng = np.random.default_rng(alphabet + capacity)
    ref, index = _BandKeyIndex(signer, capacity), StoryIndex(signer, capacity)
    base = rng.integers(0, alphabet, 128, dtype=np.uint64).astype(np.uint32)
    matches = 0
    for i in range(300):
        sig = base.copy()
        changed = rng.random(128) < rng.random()
        sig[changed] = rng.integers(0, alphabet, int(changed.sum()), dtype=np.uint64).astype(np.uint32)
        exclude = f"u{rng.integers(0, i + 1)}" if rng.random() < 0.3 else None
        expected = ref.best_match(sig, exclude_url=exclude)
        assert index.best_match(sig, exclude_url=exclude) == expected
        matches += expected[0] is not None
        story = expected[0][1] if expected[0] else f"s{i}"
        ref.add(f"u{i}", story, sig)
        index.add(f"u{i}", story, sig)
        assert [url for url, _ in index.entries()] == list(ref.order)
    assert matches > 50


def test_near_duplicates_found_in_a_full_window():
    """Copies are still joined once the window has wrapped around (ring buffer) many times."""
    signer = Signer(0.3)
    index = StoryIndex(signer, capacity=50)
    rng = random.Random(4)
    for n in range(175):
        index.add(f"https://f.example/{n}", f"s{n}", signer.signature(" ".join(f"w{n}x{k}" for k in range(80))))
    story = signer.signature("Bridge to close\n" + STORY)
    index.add("https://a.example/bridge", "s-bridge", story)
    for n in range(175, 200):
        index.add(f"https://f.example/{n}", f"s{n}", signer.signature(" ".join(f"w{n}x{k}" for k in range(80))))
    copy = signer.signature("Bridge to close\n" + edit_words(STORY, 0.05, rng))
    match, sim = index.best_match(copy)
    assert match == ("https://a.example/bridge", "s-bridge") and sim > 0.5
    assert index.best_match(copy, exclude_url="https://a.example/bridge")[0] is None
    assert index.best_match(signer.signature(SAME_TOPIC))[0] is None
    for n in range(200, 250):   # 50 newer articles: the bridge leaves the window
        index.add(f"https://f.example/{n}", f"s{n}", signer.signature(" ".join(f"w{n}x{k}" for k in range(80))))
    assert len(index) == 50 and index.best_match(copy)[0] is None


def test_repeated_urls_dropped_across_url_set_merges(pipeline):
    p, stats = pipeline
    p.urls = UrlSet(buffer=4)
    urls = [f"https://g.example/{n}" for n in range(11)]
    for n, url in enumerate(urls):
        _process(p, _item(url, f"Story {n}", " ".join(f"w{n}y{k}" for k in range(80))))
    for url in urls:
        with pytest.raises(DropItem):
            _process(p, _item(url, "Again", STORY))
    assert stats.get_value("newscrawl/dropped/duplicate_url") == len(urls) and len(p.urls) == len(urls)
    assert "https://g.example/11" not in p.urls


def test_shingles_and_signatures_stay_those_of_the_stored_articles():
    """Stored minhashes are compared with new ones: the shingles and the signature of a text must not
    change between versions (the value pinned is the one of the first stored signatures)."""
    import hashlib

    from newscrawl import dedupe

    assert dedupe.shingles("The cat sat on the mat") == {b"the cat sat", b"cat sat on", b"sat on the", b"on the mat"}
    assert dedupe.shingles("Über die Straße", n=2) == {"über die".encode(), "die straße".encode()}
    assert dedupe.shingles("two words") == {b"two words"}
    sig = dedupe.Signer().signature("Bridge to close for repairs\nThe old river bridge closes on Monday for three "
                                    "weeks of repairs, the council said.")
    assert hashlib.sha1(dedupe.Signer.to_bytes(sig)).hexdigest() == "002933ab33dd3dd2360888118cc1cb7ec39119e0"
