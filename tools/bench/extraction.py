"""`python -m tools.bench extraction` builds a WARC from ../shared/realpages (the pages `--rounds`
times over), runs the real `warc` spider over it (extraction only: no item pipelines, no database), runs trafilatura alone
(`extract(..., with_metadata=True)`) over the same pages as many times in the same process, and
prints per set and overall: items/pages, body F1, title, timestamp and same-day accuracy, authors,
and ms per page.
"""

import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tests import scoring as metrics

from . import realpages


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
        row["source"] = got.get("source")
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
            "timestamp": (sum(r["timestamp"] for r in rows if r["has_time"]) / sum(r["has_time"] for r in rows)
                          if any(r["has_time"] for r in rows) else "-"),
            "timestamp_all": sum(r["timestamp"] for r in rows) / n,
            "same_day": sum(r["same_day"] for r in rows) / n,
            "authors": sum(r["authors"] for r in rows) / n}


def main(args) -> int:
    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    cases = realpages.load_cases()
    if args.publisher:
        cases = [c for c in cases if c["publisher"] in args.publisher.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "realpages.warc.gz"
        # The pages three times over (copies under other URLs) amortise process start; extraction
        # only (no item pipelines: dedupe, language and storage are measured by `pipeline`).
        realpages.build_warc(warc, cases, repeat=args.rounds)
        items, seconds, stats = run_spider("warc", {"path": str(warc)}, {"ITEM_PIPELINES": {}})
    originals = {c["url"] for c in cases}
    ours = {i["fetched_url"]: i for i in items if i["fetched_url"] in originals}
    traf_seconds = 0.0
    for _ in range(args.rounds):
        traf, seconds_one = run_trafilatura(cases)
        traf_seconds += seconds_one
    our_rows = score(cases, ours, {"body": "body", "title": "title", "date": "published_at", "authors": "authors"})
    traf_rows = score(cases, traf, {"body": "text", "title": "title", "date": "date", "authors": "author_list"})
    by_set = defaultdict(list)
    for row in our_rows:
        by_set[row["set"]].append(row)
    result = {"newscrawl": {"overall": summarise(our_rows), **{s: summarise(r) for s, r in by_set.items()},
                            "ms_per_page": 1000 * seconds / (len(cases) * args.rounds)},
              "trafilatura": {"overall": summarise(traf_rows), "ms_per_page": 1000 * traf_seconds / (len(cases) * args.rounds)},
              "dropped": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")}}
    from newscrawl.extract.urls import is_bare_domain

    names = realpages.publisher_names()
    if names:
        got = [(ours.get(c["url"]) or {}).get("source_name") or "" for c in cases]
        same = sum(g.casefold() == names.get(c["publisher"], "").casefold() for g, c in zip(got, cases))
        bare = sum(is_bare_domain(g) for g in got)
        result["source_name"] = {"as_publishers_json": same, "bare_domain": bare, "pages": len(cases)}
    print_table(result)
    if names:
        print(f"\nsource_name: {same} of {len(cases)} pages name the publisher as ../shared/publishers.json does "
              f"(case aside); {bare} give a bare domain")
    print_sources(our_rows)
    if args.show_worst:
        print("\nworst pages (newscrawl):")
        for row in sorted(our_rows, key=lambda r: (r["body_f1"] + r["title"] + r["timestamp"]))[:args.show_worst]:
            print(f"  {row['id']} {row['publisher']:<28} f1={row['body_f1']:.3f} title={int(row['title'])} "
                  f"ts={int(row['timestamp'])} authors={int(row['authors'])} item={int(row['item'])}")
    if args.out:
        Path(args.out).write_text(json.dumps({"result": result, "rows": our_rows}, indent=1))
    return 0


def print_sources(rows) -> None:
    """Per source of the source table (pages routed to a page module)."""
    from newscrawl.sources import SOURCES

    by_source = defaultdict(list)
    for row in rows:
        if row.get("source") in SOURCES:
            by_source[row["source"]].append(row)
    if not by_source:
        return
    cols = ("pages", "items", "body_f1", "title", "timestamp", "authors")
    print(f"\nper source ({len(by_source)} table sources with development pages; timestamp over pages with a time of day)")
    print(f"{'source':<16}" + "".join(f"{c:>10}" for c in cols))
    for slug in sorted(by_source):
        summary = summarise(by_source[slug])
        print(f"{slug:<16}" + "".join(f"{summary[c]:>10.3f}" if isinstance(summary[c], float) else f"{summary[c]:>10}"
                                      for c in cols))


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
