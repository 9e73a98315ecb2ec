"""The pure parts of `bench extraction` (tools/bench/extraction_scores.py, extraction.py's loop,
fundus_runner.py's decoding and publisher lookup): body precision and recall, summaries, the pages under
a threshold, per-source grouping, recognising per-publisher tables and leaving one entry out."""

from types import SimpleNamespace

import pytest
import scoring

from tools.bench import extraction_scores as sc
from tools.bench.extraction import timed_loop, without_metadata
from tools.bench.fundus_runner import decode, publisher_of

ARTICLE = ("The council said on Tuesday that the new rail line would open next spring after years of delay, "
           "and residents welcomed the plan although critics warned that the costs had doubled.")
NAVIGATION = "Home News Sport Weather Contact Subscribe Newsletter Login Search Menu Archive Imprint Privacy " * 3


def case(case_id="a1", publisher="de/Test", body=ARTICLE, published="2024-05-03 15:47:42+00:00", title="Rail line"):
    return {"id": case_id, "publisher": publisher, "url": f"https://www.example.de/{case_id}",
            "expected": {"title": title, "body": body, "published": published, "authors": ["A. Writer"]}}


def test_body_precision_falls_with_navigation_taken_as_body_and_recall_stays():
    precision, recall, f1 = scoring.body_scores(NAVIGATION + " " + ARTICLE, ARTICLE)
    assert recall == 1.0
    assert precision < 0.6
    assert f1 == scoring.body_f1(NAVIGATION + " " + ARTICLE, ARTICLE)


def test_body_recall_falls_when_the_body_is_cut_and_precision_stays():
    half = " ".join(ARTICLE.split()[:12])
    precision, recall, _ = scoring.body_scores(half, ARTICLE)
    assert precision == 1.0
    assert recall < 0.5


def test_body_scores_of_nothing_against_an_article_are_zero():
    assert scoring.body_scores(None, ARTICLE) == (0.0, 0.0, 0.0)


def test_a_page_without_output_scores_zero_and_counts_as_no_item():
    row = sc.score_page(case(), None)
    assert row["item"] is False
    assert (row["body_f1"], row["title"], row["timestamp"]) == (0.0, False, False)
    assert row["expected_words"] == len(ARTICLE.split())


def test_summary_counts_timestamps_only_over_pages_with_a_time_of_day_and_cpu_over_timed_pages():
    right = {"title": "Rail line", "body": ARTICLE, "published_at": "2024-05-03T15:47:42+00:00",
             "authors": ["A. Writer"]}
    rows = [sc.score_page(case("a1"), right, cpu_s=0.010),
            # A bare date (naive midnight) cannot be matched by an instant: left out of `timestamp`.
            sc.score_page(case("a2", published="2024-05-03 00:00:00"), right, cpu_s=0.030),
            sc.score_page(case("a3"), None)]
    s = sc.summarise(rows)
    assert s["pages"] == 3 and s["items"] == 2
    assert s["timestamp"] == 0.5                 # a1 right, a3 missed; a2 not counted
    assert s["timestamp_all"] == pytest.approx(1 / 3)
    assert s["cpu_ms"] == pytest.approx(20.0)
    assert s["cpu_ms_median"] == pytest.approx(20.0)
    assert s["body_f1"] == pytest.approx(2 / 3)


def test_summary_of_no_rows_has_no_timestamp_or_cpu_figure():
    s = sc.summarise([])
    assert s["pages"] == 0 and s["timestamp"] is None and s["cpu_ms"] is None


def test_pages_under_a_threshold_are_listed_worst_first_and_the_threshold_itself_is_not_under():
    rows = [{"id": "x", "body_f1": 0.8}, {"id": "y", "body_f1": 0.1}, {"id": "z", "body_f1": 0.79}]
    assert [r["id"] for r in sc.under(rows, 0.8)] == ["y", "z"]


def test_per_source_table_summarises_each_extractor_on_that_sources_pages_only():
    good = {"title": "Rail line", "body": ARTICLE, "published_at": None, "authors": []}
    rows = {"ours": [sc.score_page(case("a1"), good), sc.score_page(case("a2"), None),
                     sc.score_page(case("a3"), good)],
            "theirs": [sc.score_page(case("a1"), None)]}
    table = sc.per_source({"a1": "alpha", "a2": "beta"}, rows)
    assert set(table) == {"alpha", "beta"}
    assert table["alpha"]["ours"]["pages"] == 1 and table["alpha"]["ours"]["body_f1"] == 1.0
    assert table["beta"]["ours"]["body_f1"] == 0.0
    assert table["beta"]["theirs"]["pages"] == 0


def test_items_differ_only_in_scored_fields():
    a = {"title": "T", "body": "B", "published_at": None, "authors": [], "fetched_at": "now"}
    assert not sc.diff_items(a, {**a, "fetched_at": "later"})
    assert sc.diff_items(a, {**a, "title": "T2"})
    assert sc.diff_items(a, None) and not sc.diff_items(None, None)


@pytest.mark.parametrize("value", [
    frozenset({"n-tv.de", "bbc.co.uk", "businessinsider.com"}),
    {"reuters.com": "America/New_York"},
    ("example.org",),
])
def test_tables_keyed_by_domain_names_are_per_publisher_tables(value):
    assert sorted(sc.domain_keys(value)) == sorted(value)


@pytest.mark.parametrize("value", [
    frozenset({"html", "body", "article"}),          # tag names
    {"de": "Europe/Berlin", "de-at": "Europe/Vienna"},   # country and language codes
    frozenset({"n-tv.de", "utm_source"}),            # not all domains
    frozenset(), "bbc.co.uk", {1: "x"}, None,
])
def test_other_collections_are_not_per_publisher_tables(value):
    assert sc.domain_keys(value) is None


def test_a_table_without_an_entry_keeps_its_type_and_the_other_entries():
    table = frozenset({"a.com", "b.de"})
    assert sc.without(table, "a.com") == frozenset({"b.de"})
    assert isinstance(sc.without(table, "a.com"), frozenset)
    assert sc.without({"a.com": 1, "b.de": 2}, "b.de") == {"a.com": 1}
    assert sc.without(("a.com", "b.de"), "x.org") == ("a.com", "b.de")


def test_an_entry_covers_its_domain_and_subdomains_but_not_a_lookalike():
    assert sc.entry_applies("n-tv.de", "https://www.n-tv.de/politik/x.html")
    assert sc.entry_applies("wdr.de", "https://www1.wdr.de/nachrichten/x.html")
    assert not sc.entry_applies("n-tv.de", "https://fun-tv.de/a")
    assert not sc.entry_applies("tv.de", "https://www.n-tv.de/a")
    assert not sc.entry_applies("n-tv.de", "https://example.com/?u=n-tv.de")


def test_timed_loop_keeps_the_warm_up_outputs_and_a_raising_page_costs_no_other():
    calls = []

    def extract(c, body):
        calls.append(c["id"])
        if c["id"] == "bad":
            raise ValueError("junk page")
        return {"body": body.decode()}
    cases = [case("ok1"), case("bad"), case("ok2")]
    pages = {"ok1": b"one", "bad": b"\xff", "ok2": b"two"}
    run = timed_loop(cases, pages, extract, rounds=2)
    assert run["items"] == {"ok1": {"body": "one"}, "bad": None, "ok2": {"body": "two"}}
    assert run["errors"] == {"bad": "ValueError: junk page"}
    assert len(calls) == 3 * 3                  # a warm-up pass and two timed passes
    assert set(run["cpu_s"]) == {"ok1", "bad", "ok2"} and all(v >= 0 for v in run["cpu_s"].values())


def test_fundus_runner_decodes_utf8_then_the_declared_charset_then_cp1252():
    assert decode("Grüße".encode()) == "Grüße"
    latin = '<meta charset="iso-8859-1"><p>Grüße</p>'.encode("latin-1")
    assert "Grüße" in decode(latin)
    assert "Gr" in decode(b'<meta charset="no-such-codec"><p>Gr\xfc\xdfe</p>')


def test_fundus_runner_finds_a_publisher_by_the_case_key_and_nothing_for_unknown_keys():
    collection = SimpleNamespace(de=SimpleNamespace(FAZ="faz-publisher"))
    assert publisher_of(collection, "de/FAZ") == "faz-publisher"
    assert publisher_of(collection, "de/RBB24") is None
    assert publisher_of(collection, "xx/FAZ") is None
    assert publisher_of(collection, "") is None


def test_bare_pages_lose_their_metadata_and_keep_their_shown_text():
    page = ('<html><head><meta charset="windows-1252"><title>Rail line</title>'
            '<meta property="og:title" content="SEO title"><script type="application/ld+json">{"headline": "x"}'
            '</script></head><body><h1 itemprop="headline">Rail line \xe9</h1><time datetime="2024-05-03T10:00:00Z">'
            '3 May 2024</time><p>' + ARTICLE + '</p></body></html>').encode("cp1252")
    bare = without_metadata(page).decode("utf-8")
    assert "og:title" not in bare and "ld+json" not in bare and "datetime=" not in bare and "itemprop" not in bare
    assert "<title>Rail line</title>" in bare and "Rail line \xe9</h1>" in bare and "3 May 2024" in bare
    assert ARTICLE in bare
