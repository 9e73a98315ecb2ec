"""End-to-end ingestion benchmark: the development pages, repeated to N pages with distinct URLs and
bodies, through the real `warc` spider and every pipeline into a real MongoDB-compatible server,
beside the same pages through extraction and language detection alone in a plain loop; plus bulk
upsert throughput against raw insert_many on the same server.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from tools.paths import ROOT

from . import realpages
from .common import BODY_WORD, point_page_at


def variant(case: dict, html: bytes, i: int) -> tuple[str, bytes]:
    """Copy i of a page: its own URL (canonical and og:url rewritten) and a body that differs in
    one word, so it is stored as its own article (a near-duplicate of the original's story)."""
    if i == 0:
        return case["url"], html
    url = f"{case['url']}{'&' if '?' in case['url'] else '?'}copy={i}"
    text = html.decode("utf-8", "replace")
    text = point_page_at(text, url)
    words = BODY_WORD.findall(case["expected"]["body"])
    if words:
        word = words[len(words) // 2]
        text = text.replace(word, f"{word}{i}")
    return url, text.encode("utf-8")


def build_warc(path: Path, cases: list[dict], pages: int) -> int:
    from newscrawl.warc import write_warc

    def gen():
        n = 0
        i = 0
        while n < pages:
            for case in cases:
                if n >= pages:
                    return
                url, body = variant(case, realpages.page_bytes(case), i)
                yield url, body, realpages.warc_date(case), "text/html"
                n += 1
            i += 1
    return write_warc(str(path), gen())


def sample_rss(pid: int, out: list, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        out.append(int(line.split()[1]) / 1024)
        except OSError:
            return
        stop.wait(0.2)


def crawl(warc: Path, uri: str, database: str) -> dict:
    env = {**os.environ, "MONGODB_URI": uri}
    log = warc.parent / "crawl.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={warc}", "-s", "LOG_LEVEL=INFO",
           "-s", f"LOG_FILE={log}", "-s", "MONGODB_SPOOL_DIR=" + str(warc.parent / "spool"),
           "-s", f"MONGODB_DATABASE={database}", "-s", "MONGODB_ENABLED=true"]
    rss: list[float] = []
    stop = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    sampler = threading.Thread(target=sample_rss, args=(proc.pid, rss, stop), daemon=True)
    sampler.start()
    rc = proc.wait()
    seconds = time.perf_counter() - t0
    stop.set()
    return {"rc": rc, "seconds": seconds, "peak_rss_mb": max(rss) if rss else None, "log": log}


def plain_loop(cases: list[dict], pages: int) -> float:
    """Extraction + language detection only, in this process; returns seconds."""
    from newscrawl import language, settings
    from newscrawl.pages import NotAnArticle, page_for

    language.warm_up()
    t0 = time.perf_counter()
    n = i = 0
    while n < pages:
        for case in cases:
            if n >= pages:
                break
            url, body = variant(case, realpages.page_bytes(case), i)
            try:
                item = page_for(url, body).to_item()
            except NotAnArticle:
                n += 1
                continue
            language.detect(f"{item['title']}\n{item['body']}", item["declared_language"],
                            min_confidence=settings.NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE,
                            max_chars=settings.NEWSCRAWL_LANGUAGE_MAX_CHARS)
            n += 1
        i += 1
    return time.perf_counter() - t0


def upsert_vs_insert(uri: str, database: str, docs: int = 5000) -> dict:
    from pymongo import MongoClient

    from newscrawl.article.document import to_document
    from newscrawl.storage.articles import ArticleStore

    now = datetime.now(timezone.utc)
    base = {"source": "bench", "source_name": "Bench", "title": "t", "summary": None, "authors": ["A B"],
            "published_at": "2026-11-01T10:00:00Z", "crawled_at": "2026-11-01T11:00:00Z",
            "declared_language": "en", "language": "en", "section": [], "tags": [], "is_paywalled": False}
    batch = [to_document({**base, "url": f"https://bench.example/{i}", "fetched_url": f"https://bench.example/{i}",
                          "title": f"Title {i}", "body": f"Body of article {i}. " * 60}, now) for i in range(docs)]
    store = ArticleStore(uri, database, "bench_upsert", server_timeout_ms=5000)
    store.ensure_indexes()
    t0 = time.perf_counter()
    for k in range(0, docs, 200):
        store.upsert_batch(batch[k:k + 200], now)
    upsert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for k in range(0, docs, 200):  # second pass: every document unchanged (idempotent path)
        store.upsert_batch(batch[k:k + 200], now)
    rerun_s = time.perf_counter() - t0
    store.close()
    client = MongoClient(uri)
    coll = client[database]["bench_insert"]
    coll.create_index("url", unique=True)
    raw = [{k: v for k, v in d.items()} for d in batch]
    t0 = time.perf_counter()
    for k in range(0, docs, 200):
        coll.insert_many(raw[k:k + 200], ordered=False)
    insert_s = time.perf_counter() - t0
    client.close()
    return {"docs": docs, "upsert_per_s": docs / upsert_s, "rerun_per_s": docs / rerun_s, "insert_many_per_s": docs / insert_s}


def main(pages: int, uri: str | None) -> int:
    from pymongo import MongoClient

    from tools.mongo_server import EmbeddedServer

    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    cases = realpages.load_cases()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        warc = tmp / "pages.warc.gz"
        build_warc(warc, cases, pages)
        server = None
        if not uri:
            server = EmbeddedServer(tmp / "db").start()
            uri = server.uri
            kind = server.kind
        else:
            kind = "given MONGODB_URI"
        database = f"bench{int(time.time())}"
        try:
            result = crawl(warc, uri, database)
            client = MongoClient(uri)
            stored = client[database]["articles"].count_documents({})
            run = client[database]["crawl_runs"].find_one({}, sort=[("started_at", -1)]) or {}
            client.close()
            loop_s = plain_loop(cases, pages)
            bulk = upsert_vs_insert(uri, database)
        finally:
            if server:
                server.stop()
    # The crawl's own duration (spider opened -> closed, the last flush included), from crawl_runs;
    # process start (imports, server connection) is reported apart.
    crawl_s = run.get("duration_s") or result["seconds"]
    crawl_pps = pages / crawl_s
    loop_pps = pages / loop_s
    print(f"pipeline benchmark: {pages} pages ({len(cases)} development pages repeated, distinct URLs), server: {kind}")
    print(f"  whole pipeline (scrapy crawl warc -> MongoDB)  {crawl_pps:7.1f} pages/s  "
          f"({crawl_s:.1f} s crawling, {result['seconds']:.1f} s with process start; peak RSS "
          f"{result['peak_rss_mb']:.0f} MB)")
    print(f"  plain loop (extraction + language only)       {loop_pps:7.1f} pages/s  ({loop_s:.1f} s)")
    print(f"  ratio pipeline / plain loop                   {crawl_pps / loop_pps:7.2f}   (target >= 0.8)")
    print(f"  stored articles {stored}; crawl_runs: {run.get('items')} dropped {run.get('dropped')}")
    print(f"  bulk upsert {bulk['upsert_per_s']:.0f} docs/s (re-run, all unchanged: {bulk['rerun_per_s']:.0f} docs/s) "
          f"vs raw insert_many {bulk['insert_many_per_s']:.0f} docs/s ({bulk['docs']} docs, batches of 200)")
    return 0 if result["rc"] == 0 else 1
