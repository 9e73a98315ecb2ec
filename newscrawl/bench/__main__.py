"""Benchmarks, run from the repository root:

    python -m newscrawl.bench extraction [--repeat N] [--out FILE] [--show-worst K]

`extraction` builds a WARC from ../shared/realpages, runs the real `warc` spider over it (no
database), runs trafilatura alone over the same pages in the same process, and prints per set and
overall: items/pages, body F1, title, timestamp and same-day accuracy, authors, and ms per page.
"""

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from . import metrics, realpages


def run_spider(spider: str, spider_args: dict, settings: dict) -> tuple[list[dict], float, dict]:
    """Run one crawl in this process; returns (items, seconds, stats)."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    project = get_project_settings()
    project.setdict({"LOG_LEVEL": "WARNING", "MONGODB_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
                     **settings}, priority="cmdline")
    project.set("LOG_INSTALL_ROOT_HANDLER", True)
    process = CrawlerProcess(project)
    crawler = process.create_crawler(spider)
    items, times = [], {}

    # Signal receivers are weak references: keep them as named locals.
    def on_item(item, **_):
        items.append(dict(item))

    def on_open(**_):
        times["start"] = time.perf_counter()

    def on_close(**_):
        times["end"] = time.perf_counter()

    crawler.signals.connect(on_item, signal=signals.item_scraped)
    crawler.signals.connect(on_open, signal=signals.spider_opened)
    crawler.signals.connect(on_close, signal=signals.spider_closed)
    process.crawl(crawler, **spider_args)
    process.start()
    return items, times["end"] - times["start"], crawler.stats.get_stats()


def run_trafilatura(cases) -> tuple[dict, float]:
    import trafilatura

    out = {}
    t0 = time.perf_counter()
    for case in cases:
        result = trafilatura.extract(realpages.page_bytes(case), url=case["url"], output_format="json",
                                     with_metadata=True, include_comments=False)
        data = json.loads(result) if result else {}
        data["author_list"] = [a.strip() for a in (data.get("author") or "").split(";") if a.strip()]
        out[case["url"]] = data
    return out, time.perf_counter() - t0


def score(cases, predicted: dict, fields) -> dict:
    """predicted: url -> dict with body/title/published_at/authors (our names)."""
    rows = []
    for case in cases:
        exp = case["expected"]
        got = predicted.get(case["url"])
        row = {"id": case["id"], "publisher": case["publisher"], "set": case.get("set", "dev"), "item": got is not None}
        got = got or {}
        row["body_f1"] = metrics.body_f1(got.get(fields["body"]), exp["body"])
        row["title"] = metrics.title_match(got.get(fields["title"]), exp["title"])
        row["has_time"] = metrics.has_time_of_day(exp["published"])
        row["timestamp"] = metrics.timestamp_match(got.get(fields["date"]), exp["published"],
                                                   utc_offset=(got.get("published_at_source") or {}).get("utc_offset"))
        row["same_day"] = metrics.same_day(got.get(fields["date"]), exp["published"],
                                           utc_offset=(got.get("published_at_source") or {}).get("utc_offset"))
        row["authors"] = metrics.authors_match(got.get(fields["authors"]), exp.get("authors"))
        rows.append(row)
    return rows


def summarise(rows) -> dict:
    n = len(rows) or 1
    return {"pages": len(rows), "items": sum(r["item"] for r in rows),
            "body_f1": sum(r["body_f1"] for r in rows) / n,
            "title": sum(r["title"] for r in rows) / n,
            # Over pages whose expected value has a time of day (a bare date cannot be matched
            # by an instant); "timestamp_all" counts every page.
            "timestamp": sum(r["timestamp"] for r in rows if r["has_time"]) / (sum(r["has_time"] for r in rows) or 1),
            "timestamp_all": sum(r["timestamp"] for r in rows) / n,
            "same_day": sum(r["same_day"] for r in rows) / n,
            "authors": sum(r["authors"] for r in rows) / n}


def extraction(args) -> int:
    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    cases = realpages.load_cases()
    if args.publisher:
        cases = [c for c in cases if c["publisher"] in args.publisher.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "realpages.warc.gz"
        realpages.build_warc(warc, cases)
        items, seconds, stats = run_spider("warc", {"path": str(warc)}, {})
    ours = {i["fetched_url"]: i for i in items}
    traf, traf_seconds = run_trafilatura(cases)
    our_rows = score(cases, ours, {"body": "body", "title": "title", "date": "published_at", "authors": "authors"})
    traf_rows = score(cases, traf, {"body": "text", "title": "title", "date": "date", "authors": "author_list"})
    by_set = defaultdict(list)
    for row in our_rows:
        by_set[row["set"]].append(row)
    result = {"newscrawl": {"overall": summarise(our_rows), **{s: summarise(r) for s, r in by_set.items()},
                            "ms_per_page": 1000 * seconds / len(cases)},
              "trafilatura": {"overall": summarise(traf_rows), "ms_per_page": 1000 * traf_seconds / len(cases)},
              "dropped": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")}}
    print_table(result)
    if args.show_worst:
        print("\nworst pages (newscrawl):")
        for row in sorted(our_rows, key=lambda r: (r["body_f1"] + r["title"] + r["timestamp"]))[:args.show_worst]:
            print(f"  {row['id']} {row['publisher']:<28} f1={row['body_f1']:.3f} title={int(row['title'])} "
                  f"ts={int(row['timestamp'])} authors={int(row['authors'])} item={int(row['item'])}")
    if args.out:
        Path(args.out).write_text(json.dumps({"result": result, "rows": our_rows}, indent=1))
    return 0


def print_table(result) -> None:
    cols = ("pages", "items", "body_f1", "title", "timestamp", "ts_all", "same_day", "authors")
    print(f"{'extractor / set':<26}" + "".join(f"{c:>10}" for c in cols) + f"{'ms/page':>10}")
    cols = tuple("timestamp_all" if c == "ts_all" else c for c in cols)
    for name in ("newscrawl", "trafilatura"):
        for set_name, summary in result[name].items():
            if set_name == "ms_per_page":
                continue
            print(f"{name + ' / ' + set_name:<26}" + "".join(
                f"{summary[c]:>10.3f}" if isinstance(summary[c], float) else f"{summary[c]:>10}" for c in cols)
                + f"{result[name]['ms_per_page']:>10.1f}")
    if result.get("dropped"):
        print("dropped:", result["dropped"])


def _originals() -> tuple[list[tuple[str, str]], str]:
    if realpages.available():
        cases = realpages.load_cases()
        return [(c["expected"]["title"], c["expected"]["body"]) for c in cases if c["expected"]["body"]], "realpages"
    from newscrawl.demo import FIXTURES, PAGES
    from newscrawl.pages.base import ArticlePage

    items = [ArticlePage(url, (FIXTURES / name).read_bytes()).to_item() for name, (url, _, _) in PAGES.items()
             if name != "index-page.html"]
    return [(i["title"], i["body"]) for i in items], "demo fixtures"


def dedupe_bench(args) -> int:
    from newscrawl import settings
    from newscrawl.bench import dedupe as dd

    originals, origin = _originals()
    threshold = args.threshold or settings.NEWSCRAWL_DEDUPE_THRESHOLD
    result = dd.run(dd.build_corpus(originals), threshold, settings.NEWSCRAWL_DEDUPE_NUM_PERM)
    print(f"dedupe corpus: {result['docs']} documents from {result['originals']} originals ({origin}); "
          f"threshold {threshold}, LSH {result['bands']} bands x {result['rows']} rows")
    print(f"  precision (same-story pairs)        {result['precision']:.4f}")
    print(f"  recall, copies with <= 10% edited    {result['recall_le10']:.4f}")
    print(f"  different stories merged             {result['merged_different_stories']}")
    print(f"  ms per document (signature + lookup) {result['ms_per_doc']:.2f}")
    for kind, recall in result["recall_by_kind"].items():
        print(f"    recall {kind:<18} {recall:.3f}")
    return 0


def language_bench(args) -> int:
    """LanguagePipeline's rule on the pages as extracted (title, body, declared language)."""
    from newscrawl import language, settings
    from newscrawl.pages import page_class_for

    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    cases = realpages.load_cases()
    items = {}
    for c in cases:
        try:
            items[c["id"]] = page_class_for(c["url"])(c["url"], realpages.page_bytes(c)).to_item()
        except Exception:  # a page without item counts as wrong below
            pass
    language.warm_up()
    right, wrong, t0 = 0, [], time.perf_counter()
    for c in cases:
        item = items.get(c["id"])
        lang = None
        if item:
            lang, conf, method = language.detect(f"{item['title']}\n{item['body']}", item["declared_language"],
                                                 min_confidence=settings.NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE,
                                                 max_chars=settings.NEWSCRAWL_LANGUAGE_MAX_CHARS)
        if lang == c["expected"]["language"]:
            right += 1
        else:
            wrong.append((c["publisher"], c["expected"]["language"], lang, item and item["declared_language"]))
    ms = 1000 * (time.perf_counter() - t0) / len(cases)
    print(f"language: {right}/{len(cases)} right ({right / len(cases):.3f}), {ms:.1f} ms per article "
          f"(title + body capped at {settings.NEWSCRAWL_LANGUAGE_MAX_CHARS} chars, with the declared language)")
    for w in wrong:
        print("  wrong: %s expected %s got %s (declared %s)" % w)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extraction", help="extraction quality and speed on ../shared/realpages")
    ex.add_argument("--out", help="write the full results as JSON")
    ex.add_argument("--show-worst", type=int, default=0, metavar="K", help="list the K worst pages")
    ex.add_argument("--publisher", help="only these publishers (comma-separated keys)")
    ex.set_defaults(func=extraction)
    dd = sub.add_parser("dedupe", help="near-duplicate detection: precision and recall of copy detection")
    dd.add_argument("--threshold", type=float, default=None, help="Jaccard threshold (default: the setting)")
    dd.set_defaults(func=dedupe_bench)
    lg = sub.add_parser("language", help="language detection accuracy and cost on ../shared/realpages")
    lg.set_defaults(func=language_bench)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
