"""The dedupe benchmark's corpus and scoring (tools/bench/dedupe.py) on three texts."""

from stories import OTHER, SAME_TOPIC, STORY

from tools.bench.dedupe import build_corpus, run


def test_benchmark_corpus_merges_no_different_stories_and_finds_every_copy():
    result = run(build_corpus([("Bridge to close", STORY), ("Bridge stays open", SAME_TOPIC),
                               ("Orchestra season", OTHER)]), threshold=0.3)
    assert result["merged_different_stories"] == 0
    assert result["recall_le10"] == 1.0
    assert result["precision"] == 1.0
