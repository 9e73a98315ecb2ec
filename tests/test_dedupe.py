import asyncio
import random

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl.bench.dedupe import build_corpus, edit_words, run
from newscrawl.dedupe import Signer, content_hash
from newscrawl.items import Article
from newscrawl.pipelines import DedupePipeline

STORY = ("The city council voted on Tuesday to close the old harbour bridge to cars from next spring, after "
         "engineers found corrosion in two of its steel supports. Buses, cyclists and pedestrians will still be "
         "allowed to cross while repairs are planned. The mayor said the decision was difficult but necessary, "
         "and promised that a temporary ferry service would run every fifteen minutes during rush hours. "
         "Shop owners near the bridge warned that fewer visitors would reach the old town, and asked the council "
         "for help with rents while the works last. A final repair plan is expected before the summer.")
# Same topic and vocabulary, different story.
SAME_TOPIC = ("Engineers inspecting the old harbour bridge on Monday reported that its steel supports were in better "
              "condition than feared, and the council postponed any decision on closing it to cars. The mayor "
              "said a full survey of the bridge would be commissioned this winter. Ferry operators had offered to "
              "run extra boats in case of a closure, but shop owners in the old town welcomed the delay, saying the "
              "busy summer season was crucial for them. Cyclists' groups asked for a separate lane on the bridge.")
OTHER = ("The national orchestra announced its new season on Wednesday, with a cycle of Beethoven symphonies, three "
         "premieres by young composers and a tour of five cities in the north. Tickets go on sale next month, and "
         "students will get half-price seats for all weekday concerts, the director said at a press conference.")


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


def test_benchmark_corpus_scores():
    result = run(build_corpus([("Bridge to close", STORY), ("Bridge stays open", SAME_TOPIC),
                               ("Orchestra season", OTHER)]), threshold=0.3)
    assert result["merged_different_stories"] == 0
    assert result["recall_le10"] == 1.0
    assert result["precision"] == 1.0


def _item(url, title, body):
    return Article(url=url, title=title, body=body, declared_language="en")


@pytest.fixture
def pipeline():
    crawler = get_crawler(settings_dict={"MONGODB_ENABLED": False, "NEWSCRAWL_DEDUPE_ENABLED": True,
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
