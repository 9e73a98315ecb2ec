"""The story-lookup benchmark (tools/bench/storylookup.py) on a small store."""

from tools.bench.storylookup import run


def test_story_lookups_by_scan_and_by_index_agree_on_real_signatures(mongo_server, tmp_path):
    # The story-lookup benchmark on a small store: MinHash signatures of 200 texts, asked for
    # edited copies and new texts; it fails unless both modes return the same candidates.
    assert run(stored=200, uri=mongo_server.uri, out=str(tmp_path / "report.txt")) == 0
    report = (tmp_path / "report.txt").read_text()
    assert "same candidates in both modes: yes" in report
    assert report.splitlines()[-2].split()[-1] == "50"     # the 50 edited copies found their originals
