"""Benchmarks, run from the repository root:

    python -m tools.bench extraction [--rounds 3] [--out FILE] [--show-worst K]
    python -m tools.bench warc-memory [--size-mb 1024] [--compare-mb 64]
    python -m tools.bench dedupe | language
    python -m tools.bench dedupe-memory [--articles 4000] [--window 2000]   (tools/bench/memory.py)
    python -m tools.bench pipeline [--pages 3000]
    python -m tools.bench render [--pages 500]       (tools/bench/render.py)
    python -m tools.bench soak [--pages 3000]        (tools/bench/soak.py)
    python -m tools.bench scale [--pages 10000] [--out FILE]   (tools/bench/scale.py)
    python -m tools.bench discovery [--small 10000] [--large 300000]   (tools/bench/discovery.py)

`extraction` builds a WARC from ../shared/realpages (the pages `--rounds` times over), runs the real
`warc` spider over it (extraction only: no item pipelines, no database), runs trafilatura alone
(`extract(..., with_metadata=True)`) over the same pages as many times in the same process, and
prints per set and overall: items/pages, body F1, title, timestamp and same-day accuracy, authors,
and ms per page.

`warc-memory` writes a ~1 GB gzipped WARC (binary records of a few MB, a few hundred small article
pages spread through it) and a 64 MB one into a temporary directory, runs `scrapy crawl warc` over
each in a subprocess while sampling its RSS from /proc every 0.2 s, and prints peak RSS, RSS after
the first 10% of the file and at the end, items, records and seconds; it exits 1 unless the large
run's peak is within 20% of the small one's.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tools.paths import ROOT

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


def extraction(args) -> int:
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


def _originals() -> tuple[list[tuple[str, str]], str]:
    if realpages.available():
        cases = realpages.load_cases()
        return [(c["expected"]["title"], c["expected"]["body"]) for c in cases if c["expected"]["body"]], "realpages"
    from tools.demo import FIXTURES, PAGES
    from newscrawl.pages.base import ArticlePage

    items = [ArticlePage(url, (FIXTURES / name).read_bytes()).to_item() for name, (url, _, _) in PAGES.items()
             if name != "index-page.html"]
    return [(i["title"], i["body"]) for i in items], "demo fixtures"


def dedupe_bench(args) -> int:
    from newscrawl import settings
    from tools.bench import dedupe as dd

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
    from newscrawl.pages import page_for

    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    cases = realpages.load_cases()
    items = {}
    for c in cases:
        try:
            items[c["id"]] = page_for(c["url"], realpages.page_bytes(c)).to_item()
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


# --- warc-memory: the warc spider streams (flat RSS however large the file) -------------------------

_BENCH_WORDS = ("the council said on tuesday that a new rail line would open next spring after years of "
                "delay residents welcomed the plan although critics warned that costs had doubled since "
                "the first estimate the minister told reporters budget was approved river bridge station "
                "engineers tunnel traffic region report found water levels fell sharply during summer "
                "farmers asked for support agency announced measures schools hospitals court judge ruled "
                "company shares rose market investors").split()


def _bench_article(i: int) -> bytes:
    """A small, distinct English news article page (so extraction and dedupe treat each as new)."""
    import random

    r = random.Random(i)

    def words(n: int) -> str:
        return " ".join(r.choice(_BENCH_WORDS) for _ in range(n))

    title = f"{words(7).capitalize()} ({i})"
    day = 1 + i % 28
    paras = "\n".join(f"<p>{words(r.randint(40, 90)).capitalize()}.</p>" for _ in range(6))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Bench Herald</title>'
            f'<meta property="og:site_name" content="Bench Herald">'
            f'<meta property="article:published_time" content="2026-10-{day:02d}T08:30:00Z"></head>'
            f'<body><nav><a href="/">Home</a> <a href="/news/">News</a></nav><article><h1>{title}</h1>'
            f'<p class="byline">By Alex Morgan</p><time datetime="2026-10-{day:02d}T08:30:00Z">'
            f'October {day}, 2026</time>\n{paras}</article><footer>Bench Herald</footer></body></html>'
            ).encode()


def _warc_member(url: str, date: str, ctype: str, payload: bytes, level: int) -> bytes:
    """One response record as one gzip member. Level 0 for random binary: what any gzip writer
    produces for incompressible data (stored blocks), at memcpy speed instead of 40 MB/s."""
    import uuid
    import zlib

    http = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) + len(payload)}\r\n\r\n").encode()
    z = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join((z.compress(head), z.compress(http), z.compress(payload), z.compress(b"\r\n\r\n"), z.flush()))


def build_memory_warc(path: Path, size_mb: int, html_per_gb: int = 300, seed: int = 7) -> dict:
    """~size_mb MB gzipped WARC: random binary records of 2-6 MB (images, PDFs, video), a few HTML
    pages over NEWSCRAWL_MAX_PAGE_BYTES, and small article pages spread evenly through the file."""
    import random

    r = random.Random(seed)
    pool = r.randbytes(16 << 20)
    target = size_mb << 20
    n_html = max(10, round(html_per_gb * size_mb / 1024))
    every = target // n_html
    huge = b"<html><body><p>" + pool[:5 << 20].hex().encode() + b"</p></body></html>"   # 10 MB
    counts = {"binary": 0, "html": 0, "html_oversized": 0}
    written = next_html = 0
    with open(path, "wb") as out:
        while written < target:
            if written >= next_html:
                i = counts["html"]
                member = _warc_member(f"https://www.bench-herald.example/news/2026/10/{i}.html",
                                      f"2026-10-{1 + i % 28:02d}T09:00:00Z", "text/html; charset=utf-8",
                                      _bench_article(i), 6)
                counts["html"] += 1
                next_html += every
            elif counts["binary"] % 97 == 50:      # now and then an HTML page too large to parse
                member = _warc_member(f"https://www.bench-herald.example/huge/{counts['binary']}.html",
                                      "2026-10-01T09:00:00Z", "text/html", huge, 1)
                counts["html_oversized"] += 1
                counts["binary"] += 1
            else:
                n = r.randint(2 << 20, 6 << 20)
                start = r.randrange(len(pool) - n)
                ctype = r.choice(("image/jpeg", "application/pdf", "video/mp4", "application/octet-stream"))
                member = _warc_member(f"https://cdn.bench-herald.example/media/{counts['binary']}",
                                      "2026-10-01T09:00:00Z", ctype, pool[start:start + n], 0)
                counts["binary"] += 1
            out.write(member)
            written += len(member)
    counts["records"] = counts["binary"] + counts["html"]
    counts["bytes"] = written
    return counts


def _proc_status(pid: int) -> dict:
    """VmRSS and VmHWM of `pid` in KiB (empty once the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in f)
                    if k in ("VmRSS", "VmHWM")}
    except (OSError, ValueError):
        return {}


def _read_position(pid: int, path: Path) -> int | None:
    """Furthest file offset any descriptor of `pid` has reached in `path` (the scan's progress)."""
    best = None
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != str(path):
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                pos = int(f.readline().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        best = pos if best is None else max(best, pos)
    return best


def _final_stats(log_text: str) -> dict:
    """Integer stats from the last "Dumping Scrapy stats" block of a crawl log."""
    import re

    block = log_text.rsplit("Dumping Scrapy stats:", 1)[-1]
    return {k: int(v) for k, v in re.findall(r"^\s*'([^']+)': (\d+),?$", block, flags=re.M)}


def measure_warc_crawl(warc: Path, workdir: Path, interval: float = 0.2) -> dict:
    """Run `scrapy crawl warc` over `warc` in a subprocess, sampling its RSS every `interval` s."""
    import subprocess

    items, log = workdir / "items.jsonl", workdir / "crawl.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={warc}", "-O", str(items),
           "-s", "MONGODB_ENABLED=false", "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=INFO",
           "-s", "TELNETCONSOLE_ENABLED=false"]
    size = warc.stat().st_size
    samples = []  # (seconds, rss_kib, file position)
    hwm = 0
    t0 = time.perf_counter()
    err_path = workdir / "stderr.txt"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    while proc.poll() is None:
        status = _proc_status(proc.pid)
        if status:
            hwm = max(hwm, status.get("VmHWM", 0))
            samples.append((time.perf_counter() - t0, status.get("VmRSS", 0), _read_position(proc.pid, warc)))
        time.sleep(interval)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed ({proc.returncode}): {err_path.read_text(errors='replace')[-2000:]}")
    stats = _final_stats(log.read_text(encoding="utf-8", errors="replace"))
    rss = [s[1] for s in samples if s[1]]
    # RSS once the scan has passed 10% of the file (by time if positions were not readable).
    early = next((s[1] for s in samples if s[2] is not None and s[2] >= size / 10), None)
    if early is None:
        early = next((s[1] for s in samples if s[0] >= seconds / 10), rss[0] if rss else 0)
    return {"seconds": seconds, "samples": len(samples), "peak_kib": max(rss, default=0), "hwm_kib": hwm,
            "rss10_kib": early, "rss_end_kib": rss[-1] if rss else 0,
            "items": sum(1 for line in items.open(encoding="utf-8") if line.strip()) if items.exists() else 0,
            "stats": stats}


def warc_memory(args) -> int:
    sizes = sorted({args.compare_mb, args.size_mb})
    rows = []
    for size_mb in sizes:
        with tempfile.TemporaryDirectory(prefix="warc-memory-", dir=args.dir) as tmp:
            warc = Path(tmp) / f"bench-{size_mb}mb.warc.gz"
            t = time.perf_counter()
            built = build_memory_warc(warc, size_mb)
            build_s = time.perf_counter() - t
            print(f"{size_mb} MB: wrote {built['bytes'] / 2**20:.0f} MiB, {built['records']} records "
                  f"({built['html']} article pages, {built['binary']} binary incl. {built['html_oversized']} "
                  f"oversized HTML) in {build_s:.1f}s; crawling...", flush=True)
            run = measure_warc_crawl(warc, Path(tmp))
            run.update(size_mb=size_mb, file_mib=built["bytes"] / 2**20, built=built)
            rows.append(run)
    mib = 1024
    print(f"\n{'WARC':>8} {'records':>8} {'items':>6} {'invalid':>7} {'seconds':>8} {'MiB/s':>6} "
          f"{'RSS@10%':>8} {'RSS end':>8} {'peak RSS':>9} {'VmHWM':>7}")
    for r in rows:
        s = r["stats"]
        print(f"{r['file_mib']:>5.0f}MiB {s.get('newscrawl/warc/records', 0):>8} {r['items']:>6} "
              f"{s.get('newscrawl/warc/invalid_records', 0):>7} {r['seconds']:>8.1f} "
              f"{r['file_mib'] / r['seconds']:>6.1f} {r['rss10_kib'] / mib:>6.0f}MB {r['rss_end_kib'] / mib:>6.0f}MB "
              f"{r['peak_kib'] / mib:>7.0f}MB {r['hwm_kib'] / mib:>5.0f}MB")
    for r in rows:
        skipped = {k.rsplit("/", 1)[-1]: v for k, v in r["stats"].items() if k.startswith("newscrawl/warc/skipped/")}
        print(f"  {r['size_mb']} MB: html records {r['built']['html']}, articles {r['items']}, skipped {skipped}, "
              f"RSS samples {r['samples']}")
    if len(rows) < 2:
        return 0
    small, big = rows[0], rows[-1]
    ratio = big["hwm_kib"] / small["hwm_kib"] if small["hwm_kib"] else float("inf")
    flat = ratio <= 1.2
    print(f"\npeak RSS (VmHWM) {big['size_mb']} MB / {small['size_mb']} MB = {ratio:.2f} -> "
          f"{'flat' if flat else 'NOT flat'} (limit 1.20); RSS growth over the {big['size_mb']} MB crawl "
          f"after the first 10%: {(big['rss_end_kib'] - big['rss10_kib']) / mib:+.0f} MB")
    return 0 if flat else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extraction", help="extraction quality and speed on ../shared/realpages")
    ex.add_argument("--out", help="write the full results as JSON")
    ex.add_argument("--show-worst", type=int, default=0, metavar="K", help="list the K worst pages")
    ex.add_argument("--publisher", help="only these publishers (comma-separated keys)")
    ex.add_argument("--rounds", type=int, default=3, help="passes over the pages for the timings (default 3)")
    ex.set_defaults(func=extraction)
    dd = sub.add_parser("dedupe", help="near-duplicate detection: precision and recall of copy detection")
    dd.add_argument("--threshold", type=float, default=None, help="Jaccard threshold (default: the setting)")
    dd.set_defaults(func=dedupe_bench)
    dm = sub.add_parser("dedupe-memory", help="bytes DedupePipeline keeps per article (tracemalloc, synthetic "
                                              "articles): while its window fills and once it is full")
    dm.add_argument("--articles", type=int, default=4000, help="distinct articles to feed (default 4000)")
    dm.add_argument("--window", type=int, default=2000, help="NEWSCRAWL_DEDUPE_MEMORY_ARTICLES (default 2000)")
    dm.set_defaults(func=lambda a: __import__("tools.bench.memory", fromlist=["main"]).main(a.articles, a.window))
    lg = sub.add_parser("language", help="language detection accuracy and cost on ../shared/realpages")
    lg.set_defaults(func=language_bench)
    wm = sub.add_parser("warc-memory", help="the warc spider's RSS on a ~1 GB WARC vs a small one (streaming)")
    wm.add_argument("--size-mb", type=int, default=1024, help="size of the large WARC (default 1024)")
    wm.add_argument("--compare-mb", type=int, default=64, help="size of the comparison WARC (default 64)")
    wm.add_argument("--dir", help="parent directory for the temporary WARCs (default: system temp)")
    wm.set_defaults(func=warc_memory)
    pl = sub.add_parser("pipeline", help="end-to-end WARC ingestion into MongoDB vs a plain extraction loop")
    pl.add_argument("--pages", type=int, default=3000, help="pages to ingest (development pages repeated)")
    pl.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    pl.set_defaults(func=lambda a: __import__("tools.bench.pipeline", fromlist=["main"]).main(a.pages, a.uri))
    rd = sub.add_parser("render", help="a JS-rendering source crawl: peak RSS of crawl + Chromium, pages/s")
    rd.add_argument("--pages", type=int, default=500, help="JS-rendered pages to crawl (default 500)")
    rd.add_argument("--concurrency", type=int, default=8, help="concurrent requests (default 8)")
    rd.set_defaults(func=lambda a: __import__("tools.bench.render", fromlist=["run"]).run(a.pages,
                                                                                             concurrency=a.concurrency))
    sk = sub.add_parser("soak", help="crawl N local pages, 10%% faulty (500, reset, truncated, stall): pages/s, "
                                     "every good article stored")
    sk.add_argument("--pages", type=int, default=3000, help="pages to serve and crawl (default 3000)")
    sk.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    sk.set_defaults(func=lambda a: __import__("tools.bench.soak", fromlist=["run"]).run(a.pages, a.uri))
    sc = sub.add_parser("scale", help="10,000 articles from a local replay site: one process vs a plain loop, two "
                                      "workers vs one, peak RSS and growth, news-please and Fundus vs ours")
    sc.add_argument("--pages", type=int, default=10000, help="articles to serve and crawl (default 10000)")
    sc.add_argument("--out", default=None, help="results as JSON (default bench-results/scale.json; the report "
                                                "goes beside it as .txt)")
    sc.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    sc.add_argument("--passes", type=int, default=3, help="timed passes over the pages for news-please/Fundus/ours")
    sc.add_argument("--no-others", action="store_true", help="skip news-please and Fundus")
    sc.set_defaults(func=lambda a: __import__("tools.bench.scale", fromlist=["run"]).run(
        a.pages, a.out, a.uri, passes=a.passes, others=not a.no_others))
    sl = sub.add_parser("story-lookup", help="near-duplicate story lookups against a large store: the lsh_bands "
                                             "index query vs the scan of the signatures (FerretDB)")
    sl.add_argument("--stored", type=int, default=5000, help="synthetic articles stored first (default 5000)")
    sl.add_argument("--uri", default=None, help="MongoDB URI (default: start the embedded server)")
    sl.add_argument("--out", default=None, help="report file (default bench-results/story-lookup.txt)")
    sl.set_defaults(func=lambda a: __import__("tools.bench.storylookup", fromlist=["run"]).run(
        a.stored, a.uri, a.out))
    dv = sub.add_parser("discovery", help="peak RSS of the article spider over a 10k vs a 300k URL sitemap "
                                          "(report in bench-results/discovery.txt)")
    dv.add_argument("--small", type=int, default=10_000, help="URLs in the small sitemap (default 10000)")
    dv.add_argument("--large", type=int, default=300_000, help="URLs in the large sitemap (default 300000)")
    dv.add_argument("--pages", type=int, default=3000, help="responses before each crawl stops (default 3000)")
    dv.add_argument("--out", default=None, help="report file (default bench-results/discovery.txt)")
    dv.set_defaults(func=lambda a: __import__("tools.bench.discovery", fromlist=["run"]).run(
        a.small, a.large, a.pages, a.out))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
