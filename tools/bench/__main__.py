"""Benchmarks, run from the repository root (one module each, in tools/bench/):

    python -m tools.bench extraction [--rounds 3] [--out FILE] [--show-worst K] [--no-fundus]  (extraction.py)
    python -m tools.bench warc-memory [--size-mb 1024] [--compare-mb 64]        (warcmemory.py)
    python -m tools.bench dedupe | language                                     (dedupe.py, language.py)
    python -m tools.bench dedupe-memory [--articles 4000] [--window 2000]       (memory.py)
    python -m tools.bench pipeline [--pages 3000]                               (pipeline.py)
    python -m tools.bench render [--pages 500]                                  (render.py)
    python -m tools.bench soak [--pages 3000]                                   (soak.py)
    python -m tools.bench scale [--pages 10000] [--out FILE]                    (scale.py)
    python -m tools.bench story-lookup [--stored 5000]                          (storylookup.py)
    python -m tools.bench discovery [--small 10000] [--large 300000]            (discovery.py)
    python -m tools.bench fields [--out FILE]                                   (fields.py)

What each measures is in its module's docstring and docs/benchmarks.md; shared helpers are in
common.py, the development pages in realpages.py; the scores are the tests' (tests/scoring.py).
"""

import argparse
import importlib
import sys


def _bench(name: str):
    """A benchmark's module, imported only when it runs (some pull in Scrapy, pymongo or Redis)."""
    return importlib.import_module(f"tools.bench.{name}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extraction", help="extraction quality and speed on ../shared/realpages")
    ex.add_argument("--out", help="write the full results (per-page rows included) as JSON")
    ex.add_argument("--json", help="the same as --out")
    ex.add_argument("--no-fundus", action="store_true", help="skip Fundus (its venv in var/bench-venvs/fundus)")
    ex.add_argument("--show-worst", type=int, default=0, metavar="K", help="list the K worst pages")
    ex.add_argument("--publisher", help="only these publishers (comma-separated keys)")
    ex.add_argument("--rounds", type=int, default=3, help="timed passes over the pages (default 3)")
    ex.set_defaults(func=lambda a: _bench("extraction").main(a))
    fd = sub.add_parser("fields", help="every field of every item on ../shared/realpages, and its sha256")
    fd.add_argument("--out", default="var/fields.json", help="where to write the items (default: %(default)s)")
    fd.set_defaults(func=lambda a: _bench("fields").main(a))
    dd = sub.add_parser("dedupe", help="near-duplicate detection: precision and recall of copy detection")
    dd.add_argument("--threshold", type=float, default=None, help="Jaccard threshold (default: the setting)")
    dd.set_defaults(func=lambda a: _bench("dedupe").main(a))
    dm = sub.add_parser("dedupe-memory", help="bytes DedupePipeline keeps per article (tracemalloc, synthetic "
                                              "articles): while its window fills and once it is full")
    dm.add_argument("--articles", type=int, default=4000, help="distinct articles to feed (default 4000)")
    dm.add_argument("--window", type=int, default=2000, help="NEWSCRAWL_DEDUPE_MEMORY_ARTICLES (default 2000)")
    dm.set_defaults(func=lambda a: _bench("memory").main(a.articles, a.window))
    lg = sub.add_parser("language", help="language detection accuracy and cost on ../shared/realpages")
    lg.set_defaults(func=lambda a: _bench("language").main(a))
    wm = sub.add_parser("warc-memory", help="the warc spider's RSS on a ~1 GB WARC vs a small one (streaming)")
    wm.add_argument("--size-mb", type=int, default=1024, help="size of the large WARC (default 1024)")
    wm.add_argument("--compare-mb", type=int, default=64, help="size of the comparison WARC (default 64)")
    wm.add_argument("--dir", help="parent directory for the temporary WARCs (default: system temp)")
    wm.set_defaults(func=lambda a: _bench("warcmemory").main(a))
    pl = sub.add_parser("pipeline", help="end-to-end WARC ingestion into MongoDB vs a plain extraction loop")
    pl.add_argument("--pages", type=int, default=3000, help="pages to ingest (development pages repeated)")
    pl.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    pl.set_defaults(func=lambda a: _bench("pipeline").main(a.pages, a.uri))
    rd = sub.add_parser("render", help="a JS-rendering source crawl: peak RSS of crawl + Chromium, pages/s")
    rd.add_argument("--pages", type=int, default=500, help="JS-rendered pages to crawl (default 500)")
    rd.add_argument("--concurrency", type=int, default=8, help="concurrent requests (default 8)")
    rd.set_defaults(func=lambda a: _bench("render").run(a.pages,
                                                                                             concurrency=a.concurrency))
    sk = sub.add_parser("soak", help="crawl N local pages, 10%% faulty (500, reset, truncated, stall): pages/s, "
                                     "every good article stored")
    sk.add_argument("--pages", type=int, default=3000, help="pages to serve and crawl (default 3000)")
    sk.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    sk.set_defaults(func=lambda a: _bench("soak").run(a.pages, a.uri))
    sc = sub.add_parser("scale", help="10,000 articles from a local replay site: one process vs a plain loop, two "
                                      "workers vs one, peak RSS and growth, news-please and Fundus vs ours")
    sc.add_argument("--pages", type=int, default=10000, help="articles to serve and crawl (default 10000)")
    sc.add_argument("--out", default=None, help="results as JSON (default bench-results/scale.json; the report "
                                                "goes beside it as .txt)")
    sc.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    sc.add_argument("--passes", type=int, default=3, help="timed passes over the pages for news-please/Fundus/ours")
    sc.add_argument("--no-others", action="store_true", help="skip news-please and Fundus")
    sc.set_defaults(func=lambda a: _bench("scale").run(
        a.pages, a.out, a.uri, passes=a.passes, others=not a.no_others))
    sl = sub.add_parser("story-lookup", help="near-duplicate story lookups against a large store: the lsh_bands "
                                             "index query vs the scan of the signatures (FerretDB)")
    sl.add_argument("--stored", type=int, default=5000, help="synthetic articles stored first (default 5000)")
    sl.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    sl.add_argument("--out", default=None, help="report file (default bench-results/story-lookup.txt)")
    sl.set_defaults(func=lambda a: _bench("storylookup").run(
        a.stored, a.uri, a.out))
    dv = sub.add_parser("discovery", help="peak RSS of the article spider over a 10k vs a 300k URL sitemap "
                                          "(report in bench-results/discovery.txt)")
    dv.add_argument("--small", type=int, default=10_000, help="URLs in the small sitemap (default 10000)")
    dv.add_argument("--large", type=int, default=300_000, help="URLs in the large sitemap (default 300000)")
    dv.add_argument("--pages", type=int, default=3000, help="responses before each crawl stops (default 3000)")
    dv.add_argument("--out", default=None, help="report file (default bench-results/discovery.txt)")
    dv.set_defaults(func=lambda a: _bench("discovery").run(
        a.small, a.large, a.pages, a.out))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
