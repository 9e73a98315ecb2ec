"""Scale benchmark (issue 7): `python -m tools.bench scale [--pages 10000] [--out FILE]`.

One run measures, on a local replay site serving the development pages (../shared/realpages)
repeated to `--pages` articles with distinct URLs:

1. Run 1: one `scrapy crawl article -a urls_file=...` process, the whole pipeline (validate,
   dedupe, language, MongoDB store) into a fresh database on the embedded server (FerretDB 1.24 on
   SQLite, or `--uri`); wall-clock pages/s, against a plain loop in one process doing only what
   the spider and the LanguagePipeline do per page (`page_for(...).to_item()` + `language.detect`)
   on the same served bytes, its first half timed before the crawl and its second half after
   (A-B-A: the machine's drift weighs on both figures alike). Target: ratio >= 0.8.
2. Run 2: two worker processes of the same crawl in distributed mode (-s NEWSCRAWL_DISTRIBUTED=redis,
   a redis-server started on a free loopback port), a fresh database, seeded as distributed crawls
   are (docs/distributed.md, 'Seeding'): `-a sitemap=` the replay site's /sitemap.xml (every page), read by the
   first worker to ask for it; wall-clock pages/s of the pair against run 1. Target: >= 1.7.
3. Run 1's RSS, sampled from /proc every 0.2 s beside the replay server's count of pages served:
   peak, and the RSS while the first and while the last 1000 pages were fetched. Target: peak
   under 500 MB, no growth.
4. news-please's and Fundus's extraction (installed from PyPI into `.bench-venv/`, git-ignored, not
   a project dependency) in a plain loop over the development pages, against ours on the same
   pages: pages per CPU-second (one core), plus title exact match and body F1 when cheap.
   Target: faster than both.

Both runs are checked: every article stored exactly once (and every URL fetched once); the exit
code is 1 when one is missing or stored twice. Results go to `--out` (JSON, default
bench-results/scale.json) and the printed report beside it (same name, .txt).

The replay server runs in its own process (pre-built page templates in memory; a page is two
bytes.replace calls). Each copy differs from the others: its canonical/og:url point at its own URL
(so the 136 canonical URLs do not collapse the copies into 136 articles), and one word of its body
gets the copy number appended (as `bench pipeline` does), so dedupe stores each copy as its own
article (a near-duplicate of the original's story, not an exact copy).
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.paths import BENCH_RESULTS, ROOT

from . import realpages
from .common import BODY_WORD, cpu_seconds, final_stats, point_page_at, proc_status

BENCH_VENV = ROOT / ".bench-venv"
# Pinned: the versions this benchmark was run with. Fundus 0.5.7 fails to import with curl_cffi
# >= 0.16 (ImportError: normalize_browser_type), hence the curl_cffi pin.
OTHERS_REQUIREMENTS = ["news-please==1.6.16", "fundus==0.5.7", "curl_cffi==0.15.0"]
URL_SLOT, COPY_SLOT = "\x00U", "\x00N"
_PATH = re.compile(r"^/a/(\d+)/([0-9A-Za-z_-]+)\.html$")
SITEMAP_PATH = "/sitemap.xml"
# Crawl settings (operator settings, the same for both runs). A single-host replay site: no politeness
# delay/throttle, 32 connections to the one host (an operator crawling their own site, or many sites
# at 4 each, gets the same parallelism). Store batches of 500, flushed every 30 s: on FerretDB 1.24
# every query scans the whole collection (~0.4 ms per stored article here), and each batch costs one
# such read, so the default 2 s flush (batches of ~40 at this rate: 250 scans of up to 10,000
# articles) makes the database the bottleneck; an operator on FerretDB batches like this. At most 2
# batches in flight keeps the unwritten articles (500 x 3) within NEWSCRAWL_DEDUPE_MEMORY_ARTICLES.
CRAWL_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "false", "CONCURRENT_REQUESTS": "32",
                  "CONCURRENT_REQUESTS_PER_DOMAIN": "32", "MONGODB_BUFFER_SIZE": "500", "MONGODB_FLUSH_SECONDS": "30",
                  "MONGODB_MAX_PENDING_BATCHES": "2", "NEWSCRAWL_HEALTH_ENABLED": "false",
                  "TELNETCONSOLE_ENABLED": "false", "LOG_LEVEL": "INFO"}
GROWTH_TOLERANCE_MB = 10   # "no growth": within the RSS noise of parsing one large page


# --- pages --------------------------------------------------------------------------------------

def local_url(base: str, n: int, case_id: str) -> str:
    return f"{base}/a/{n}/{case_id}.html"


def build_templates(cases: list[dict]) -> tuple[list[bytes], list[str | None]]:
    """Per case: the page with URL_SLOT in its canonical/og:url and COPY_SLOT after one body word
    (a word of our own extracted body that occurs in the HTML), and that word (None: no item)."""
    from newscrawl.pages import NotAnArticle, page_for

    templates, words = [], []
    for case in cases:
        raw = realpages.page_bytes(case)
        text = raw.decode("latin-1")        # byte-exact round trip, whatever the page's charset
        text = point_page_at(text, URL_SLOT)
        word = None
        try:
            item = page_for(local_url("http://127.0.0.1:9", 0, case["id"]), raw, content_type="text/html").to_item()
            candidates = [w for w in BODY_WORD.findall(item["body"]) if w.encode("utf-8") in raw]
            if candidates:
                word = candidates[len(candidates) // 2]
        except NotAnArticle:
            pass
        if word:
            w = word.encode("utf-8").decode("latin-1")
            text = text.replace(w, w + COPY_SLOT)
        templates.append(text.encode("latin-1"))
        words.append(word)
    return templates, words


def render(template: bytes, url: str, copy: int) -> bytes:
    return template.replace(URL_SLOT.encode(), url.encode()).replace(COPY_SLOT.encode(),
                                                                      str(copy).encode() if copy else b"")


# --- replay server (own process) ------------------------------------------------------------------

def _serve(templates, ids, pages, port_value, served, fetched, ready) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    k = len(ids)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            m = _PATH.match(self.path)
            n = int(m.group(1)) if m else -1
            content_type = "text/html"
            if self.path == SITEMAP_PATH:
                body, status, content_type, n = sitemap(), 200, "application/xml", -1
            elif not m or n >= pages or ids[n % k] != m.group(2):
                body, status = b"not found", 404
            else:
                body, status = render(templates[n % k], base + self.path, n // k), 200
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                self.close_connection = True
                return
            if status == 200 and n >= 0:
                with lock:
                    fetched[n] += 1
                    served.value += 1

    @functools.cache
    def sitemap() -> bytes:
        """Every page of the site, in order: how distributed workers are seeded (run 2)."""
        locs = "".join(f"<url><loc>{local_url(base, n, ids[n % k])}</loc></url>" for n in range(pages))
        return (f'<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>').encode()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    port_value.value = server.server_address[1]
    ready.set()
    server.serve_forever()


class ReplaySite:
    def __init__(self, cases: list[dict], templates: list[bytes], pages: int):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self.pages = pages
        self.ids = [c["id"] for c in cases]
        self.served = ctx.Value("q", 0, lock=False)
        self.fetched = ctx.Array("i", pages, lock=False)
        port = ctx.Value("i", 0, lock=False)
        ready = ctx.Event()
        self.process = ctx.Process(target=_serve, args=(templates, self.ids, pages, port, self.served,
                                                        self.fetched, ready), daemon=True)
        self.process.start()
        if not ready.wait(30):
            raise RuntimeError("replay server did not start")
        self.base = f"http://127.0.0.1:{port.value}"

    def url(self, n: int) -> str:
        return local_url(self.base, n, self.ids[n % len(self.ids)])

    def reset(self) -> None:
        self.served.value = 0
        for n in range(self.pages):
            self.fetched[n] = 0

    def fetch_counts(self) -> list[int]:
        return list(self.fetched)

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


# --- processes: RSS and CPU from /proc --------------------------------------------------------------

class Sampler:
    """Every `interval` s: the RSS of each crawler pid and the pages served so far."""

    def __init__(self, pids: list[int], site: ReplaySite, interval: float = 0.2):
        self.pids, self.site, self.interval = pids, site, interval
        self.samples: list[tuple[float, int, list[int]]] = []   # (s, served, [rss KiB per pid])
        self.hwm = {pid: 0 for pid in pids}
        self.cpu_last: dict[int, float] = {}
        self.stop_event = threading.Event()
        self.t0 = time.perf_counter()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop_event.is_set():
            rss = []
            for pid in self.pids:
                st = proc_status(pid)
                rss.append(st.get("VmRSS", 0))
                if st.get("VmHWM"):
                    self.hwm[pid] = max(self.hwm[pid], st["VmHWM"])
                cpu = cpu_seconds(pid)
                if cpu is not None:
                    self.cpu_last[pid] = cpu
            self.samples.append((time.perf_counter() - self.t0, self.site.served.value, rss))
            self.stop_event.wait(self.interval)

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join()


# --- crawls -----------------------------------------------------------------------------------------

def crawl_cmd(start: Path | str, log: Path, spool: Path, extra: dict | None = None) -> list[str]:
    """`start`: a URL file (run 1) or a sitemap URL (run 2: read by one worker, docs/distributed.md 'Seeding')."""
    settings = {**CRAWL_SETTINGS, "LOG_FILE": str(log), "MONGODB_SPOOL_DIR": str(spool), **(extra or {})}
    arg = f"sitemap={start}" if isinstance(start, str) else f"urls_file={start}"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", arg]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run_crawls(n_workers: int, site: ReplaySite, start: Path | str, workdir: Path, uri: str, database: str,
               others: dict[str, int | None], env_extra: dict | None = None, extra: dict | None = None) -> dict:
    """Start `n_workers` crawl processes at once; wait for all; RSS/CPU samples and logs."""
    env = {**os.environ, "MONGODB_URI": uri, **(env_extra or {})}
    extra = {"MONGODB_DATABASE": database, "MONGODB_ENABLED": "true", **(extra or {})}
    site.reset()
    procs, logs = [], []
    cpu0 = {name: cpu_seconds(pid) for name, pid in others.items()}
    t0 = time.perf_counter()
    for w in range(n_workers):
        log = workdir / f"{database}-w{w + 1}.log"
        logs.append(log)
        err = open(workdir / f"{database}-w{w + 1}.stderr", "wb")
        procs.append(subprocess.Popen(crawl_cmd(start, log, workdir / f"spool-{database}-{w + 1}", extra),
                                      cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err))
        err.close()
    sampler = Sampler([p.pid for p in procs], site)
    rcs = [p.wait() for p in procs]
    seconds = time.perf_counter() - t0
    sampler.stop()
    cpu = {f"worker {w + 1}" if n_workers > 1 else "crawler": sampler.cpu_last.get(p.pid)
           for w, p in enumerate(procs)}
    for name, pid in others.items():
        end = cpu_seconds(pid)
        cpu[name] = end - cpu0[name] if end is not None and cpu0[name] is not None else None
    workers = []
    for w, (p, log) in enumerate(zip(procs, logs)):
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        stats = final_stats(text)
        if rcs[w] != 0:
            stderr = (workdir / f"{database}-w{w + 1}.stderr").read_text(errors="replace")
            print(f"crawl worker {w + 1} exited {rcs[w]}:\n{text[-3000:]}\n{stderr[-3000:]}", file=sys.stderr)
        workers.append({"rc": rcs[w], "hwm_kib": sampler.hwm[p.pid],
                        "peak_rss_kib": max((s[2][w] for s in sampler.samples), default=0),
                        "articles": stats.get("newscrawl/articles", 0), "items": stats.get("item_scraped_count", 0),
                        "pages": stats.get("newscrawl/pages", 0),
                        "requests": stats.get("downloader/request_count", 0),
                        "dropped": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")},
                        "stored": stats.get("newscrawl/mongodb/inserted", 0),
                        "spooled": stats.get("newscrawl/mongodb/spooled", 0)})
    # From the last page served to the last process exit: pipelines drained, last batch stored,
    # (distributed) acks and idle wait.
    last_page = next((t for t, served, _ in sampler.samples if served >= site.pages), None)
    return {"workers": workers, "seconds": seconds, "tail_s": seconds - last_page if last_page else None,
            "samples": sampler.samples, "cpu_s": cpu,
            "fetch_counts": site.fetch_counts()}


def check_store(uri: str, database: str, expected: set[str]) -> dict:
    from pymongo import MongoClient

    client = MongoClient(uri)
    try:
        db = client[database]
        urls = [d["url"] for d in db.articles.find({}, {"_id": 0, "url": 1})]
        aliases = sum(len(d.get("aliases") or []) for d in db.articles.find({"aliases.0": {"$exists": True}},
                                                                             {"_id": 0, "aliases": 1}))
        runs = list(db.crawl_runs.find({}, {"_id": 0, "duration_s": 1, "items": 1, "started_at": 1,
                                            "finished_at": 1}))
    finally:
        client.close()
    stored = set(urls)
    return {"documents": len(urls), "distinct": len(stored), "twice": len(urls) - len(stored),
            "missing": len(expected - stored), "unexpected": len(stored - expected), "aliases": aliases,
            "missing_examples": sorted(expected - stored)[:5], "runs": runs}


def rss_windows(samples, pages: int, index: int = 0, window: int = 1000) -> dict:
    """Max and median RSS (MB) while the first / the last `window` pages were being fetched."""
    import statistics

    first = [s[2][index] for s in samples if s[1] <= window and s[2][index]]
    last = [s[2][index] for s in samples if s[1] >= pages - window and s[2][index]]
    out = {}
    for name, values in (("first", first), ("last", last)):
        out[name] = {"max_mb": max(values) / 1024 if values else None,
                     "median_mb": statistics.median(values) / 1024 if values else None, "samples": len(values)}
    return out


def rates_per_1000(samples, pages: int) -> list[float]:
    """Pages/s of a crawl over each 1000 pages served."""
    out, prev = [], None
    for mark in range(0, pages + 1, 1000):
        hit = next((s for s in samples if s[1] >= mark), None)
        if hit is None:
            break
        if prev is not None and hit[0] > prev[0]:
            out.append(round((hit[1] - prev[1]) / (hit[0] - prev[0]), 1))
        prev = hit
    return out


def rss_medians_per_1000(samples, pages: int, index: int = 0) -> list[int]:
    """Median RSS (MB) of a crawl while each 1000 pages were fetched (where growth happens)."""
    import statistics

    out = []
    for start in range(0, pages, 1000):
        values = [s[2][index] for s in samples if start <= s[1] < start + 1000 and s[2][index]]
        if values:
            out.append(round(statistics.median(values) / 1024))
    return out


# --- plain loop -------------------------------------------------------------------------------------

def plain_loop(cases, templates, site_base: str, pages: range) -> dict:
    """What the spider and LanguagePipeline do per page, on the bytes the site serves, in one
    process; only those calls are timed. ``pages``: the page numbers (a part of the crawl's)."""
    from datetime import datetime, timezone

    from newscrawl import language, settings
    from newscrawl.pages import NotAnArticle, page_for

    language.warm_up()
    k = len(cases)
    wall = cpu = 0.0
    items: dict[str, str] = {}   # url -> body of the article the pipeline would store
    not_articles = 0
    chunks = []                  # seconds per 1000 pages (is the loop steady?)
    for n in pages:
        if (n - pages.start) % 1000 == 0:
            chunks.append(0.0)
        case = cases[n % k]
        url = local_url(site_base, n, case["id"])
        body = render(templates[n % k], url, n // k)
        t, c = time.perf_counter(), time.process_time()
        try:
            item = page_for(url, body, content_type="text/html", crawled_at=datetime.now(timezone.utc)).to_item(
                min_body_words=settings.NEWSCRAWL_MIN_BODY_WORDS)
        except NotAnArticle:
            item = None
        if item:
            language.detect(f"{item['title']}\n{item['body']}", item["declared_language"],
                            min_confidence=settings.NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE,
                            max_chars=settings.NEWSCRAWL_LANGUAGE_MAX_CHARS)
        dt = time.perf_counter() - t
        wall += dt
        chunks[-1] += dt
        cpu += time.process_time() - c
        if item:
            items[item["url"]] = item["body"]
        else:
            not_articles += 1
    return {"pages": len(pages), "seconds": wall, "cpu_s": cpu, "items": items, "not_articles": not_articles,
            "pages_per_s_per_1000": [round(1000 / c, 1) for c in chunks if c]}


def merge_plain(parts: list[dict]) -> dict:
    """The plain loop's figures over its parts (timed before and after run 1: the machine's drift
    during the crawl then weighs on both figures alike), and the articles every run must store."""
    from newscrawl.article.hashing import content_hash

    items: dict[str, str] = {}
    for part in parts:
        items.update(part["items"])
    hashes = {}
    for url, body in items.items():
        hashes.setdefault(content_hash(body), []).append(url)
    # An exact copy of an earlier body is stored as an alias, not an article: not expected.
    expected = {urls[0] for urls in hashes.values()}
    pages, wall = sum(p["pages"] for p in parts), sum(p["seconds"] for p in parts)
    return {"pages": pages, "seconds": wall, "cpu_s": sum(p["cpu_s"] for p in parts), "pages_per_s": pages / wall,
            "parts_pages_per_s": [p["pages"] / p["seconds"] for p in parts], "items": len(items),
            "not_articles": sum(p["not_articles"] for p in parts), "exact_copies": len(items) - len(expected),
            "expected": expected, "pages_per_s_per_1000": [r for p in parts for r in p["pages_per_s_per_1000"]]}


# --- news-please and Fundus (tools/bench/others.py, in the bench venv) ---------------------------

def bench_venv(log) -> tuple[Path | None, str | None]:
    """The benchmark's own venv with news-please and Fundus; (python, error)."""
    python = BENCH_VENV / "bin" / "python"
    check = [str(python), "-c", "import newsplease, fundus"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, None
    log(f"installing {' '.join(OTHERS_REQUIREMENTS)} into {BENCH_VENV.relative_to(ROOT)}/ ...")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    errors = []
    # One by one, so that one that cannot be installed does not keep the other out.
    for req in (OTHERS_REQUIREMENTS[:1], OTHERS_REQUIREMENTS[1:]):
        proc = subprocess.run([str(python), "-m", "pip", "install", "-q", *req], capture_output=True, text=True)
        if proc.returncode != 0:
            errors.append(f"pip install {' '.join(req)} failed:\n{proc.stderr.strip()[-2000:]}")
    return python, "\n".join(errors) or None


def ours_on_realpages(cases, passes: int) -> dict:
    """Our extraction (page_for on the original URL: per-source page modules where we have one)
    and language detection over the development pages, timed apart, one core."""
    from datetime import datetime

    from newscrawl import language, settings
    from newscrawl.pages import NotAnArticle, page_for

    language.warm_up()
    pages = {c["id"]: realpages.page_bytes(c) for c in cases}
    ex_cpu = lang_cpu = ex_wall = lang_wall = 0.0
    outputs = {}
    for p in range(passes + 1):            # pass 0 warms up (lazy imports, caches), untimed
        for c in cases:
            crawled = datetime.fromisoformat(c["crawl_date"][:19]) if c.get("crawl_date") else None
            t, cp = time.perf_counter(), time.process_time()
            try:
                item = page_for(c["url"], pages[c["id"]], content_type="text/html", crawled_at=crawled).to_item()
            except NotAnArticle:
                item = None
            t2, cp2 = time.perf_counter(), time.process_time()
            if item:
                language.detect(f"{item['title']}\n{item['body']}", item["declared_language"],
                                min_confidence=settings.NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE,
                                max_chars=settings.NEWSCRAWL_LANGUAGE_MAX_CHARS)
            t3, cp3 = time.perf_counter(), time.process_time()
            if p:
                ex_wall += t2 - t
                ex_cpu += cp2 - cp
                lang_wall += t3 - t2
                lang_cpu += cp3 - cp2
            if p == 1:
                outputs[c["id"]] = (item["title"], item["body"], item["published_at"]) if item else None
    return {"pages": len(cases), "passes": passes, "extract_cpu_s": ex_cpu, "extract_wall_s": ex_wall,
            "language_cpu_s": lang_cpu, "language_wall_s": lang_wall, "outputs": outputs}


def quality(cases_by_id: dict, outputs: dict, ids) -> dict:
    from tests import scoring as metrics

    ids = list(ids)
    titles = f1 = 0.0
    for i in ids:
        got = outputs.get(i) or (None, None, None)
        exp = cases_by_id[i]["expected"]
        titles += metrics.title_match(got[0], exp["title"])
        f1 += metrics.body_f1(got[1], exp["body"])
    n = len(ids) or 1
    return {"title": titles / n, "body_f1": f1 / n}


def others_vs_ours(cases, passes: int, log) -> dict:
    python, error = bench_venv(log)
    result: dict = {"install_error": error}
    if python and python.exists():
        with tempfile.TemporaryDirectory(prefix="bench-others-") as tmp:
            out = Path(tmp) / "others.json"
            # In the bench venv (news-please and Fundus, not newscrawl): tools/bench/others.py imports
            # neither newscrawl nor the other benchmarks.
            proc = subprocess.run([str(python), "-m", "tools.bench.others", str(realpages.REALPAGES), str(passes),
                                   str(out)], cwd=ROOT, capture_output=True, text=True)
            if proc.returncode != 0 or not out.exists():
                result["run_error"] = proc.stderr.strip()[-3000:]
            else:
                result.update(json.loads(out.read_text(encoding="utf-8")))
    result["ours"] = ours_on_realpages(cases, passes)
    return result


# --- facts ------------------------------------------------------------------------------------------

def machine_facts(db_kind: str, db_binary: str | None, redis_binary: str) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def ver(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    def first_line(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return None

    cpu_model = None
    try:
        cpu_model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                         None)
        mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem = 0
    db_version = None
    if db_binary:
        vt = Path(db_binary).parent / "version.txt"
        db_version = vt.read_text().strip() if vt.is_file() else first_line([db_binary, "--version"])
    facts = {"cpu_count": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)), "cpu_model": cpu_model,
             "mem_gib": round(mem / 2**20, 1), "python": platform.python_version(), "platform": platform.platform(),
             "scrapy": ver("scrapy"), "trafilatura": ver("trafilatura"), "lxml": ver("lxml"), "pymongo": ver("pymongo"),
             "scrapy-redis": ver("scrapy-redis"), "redis-py": ver("redis"), "langdetect": ver("langdetect"),
             "redis-server": first_line([redis_binary, "--version"]), "db": f"{db_kind} {db_version or ''}".strip()}
    bench_python = BENCH_VENV / "bin" / "python"
    if bench_python.exists():
        code = ("from importlib.metadata import version as v\nfor n in ('news-please','fundus','newspaper4k',"
                "'readability-lxml','lxml','curl_cffi'):\n  try: print(n, v(n))\n  except Exception: print(n, None)")
        out = subprocess.run([str(bench_python), "-c", code], capture_output=True, text=True).stdout
        for line in out.splitlines():
            name, _, value = line.partition(" ")
            facts[f"bench-venv {name}"] = None if value == "None" else value
    return facts


def start_redis(workdir: Path):
    import redis

    from tools.mongo_server import free_port

    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    (workdir / "redis").mkdir()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir / "redis")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(200):
            try:
                client.ping()
                return proc, url
            except redis.ConnectionError:
                if proc.poll() is not None:
                    raise RuntimeError("redis-server exited at start")
                time.sleep(0.05)
        raise RuntimeError("redis-server did not answer")
    finally:
        client.close()


# --- main -------------------------------------------------------------------------------------------

def run(pages: int = 10000, out: str | None = None, uri: str | None = None, passes: int = 3,
        others: bool = True, idle_seconds: float = 2) -> int:
    from tools.mongo_server import EmbeddedServer

    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    out_json = Path(out) if out else BENCH_RESULTS / "scale.json"
    out_txt = out_json.with_suffix(".txt")
    lines: list[str] = []

    def log(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    cases = realpages.load_cases()
    k = len(cases)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    t_all = time.perf_counter()
    templates, words = build_templates(cases)
    result: dict = {"pages": pages, "development_pages": k, "started": started}
    failed = False
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        tmp = Path(tmp)
        site = ReplaySite(cases, templates, pages)
        db_server = redis_proc = None
        try:
            if uri:
                db_kind, db_binary = "given --uri", None
            else:
                db_server = EmbeddedServer(tmp / "db").start()
                uri, db_kind, db_binary = db_server.uri, db_server.kind, db_server.binary
            redis_proc, redis_url = start_redis(tmp)
            facts = machine_facts(db_kind, db_binary, shutil.which("redis-server") or "/usr/bin/redis-server")
            result["machine"] = facts
            log(f"scale benchmark, {started}: {pages} pages ({k} development pages repeated, distinct URLs "
                f"and bodies) from a local replay server ({site.base}, its own process)")
            log("machine: " + ", ".join(f"{key} {value}" for key, value in facts.items()))
            urls_file = tmp / "urls.txt"
            urls_file.write_text("".join(site.url(n) + "\n" for n in range(pages)))
            service_pids = {"replay server": site.process.pid, "database": db_server.process.pid if db_server else None}

            # Run 1: one process, between the two halves of the plain loop (same served bytes, same
            # URLs; it also gives the articles every run must store). The machine's speed drifts by
            # tens of percent over minutes; timing the loop before and after the crawl (A-B-A)
            # gives both figures the same drift on average.
            half = pages // 2
            log("plain loop, first half: extraction + language detection only, one process ...")
            plain_a = plain_loop(cases, templates, site.base, range(half))
            log("\nrun 1: one `scrapy crawl article` process, whole pipeline into the store ...")
            r1 = run_crawls(1, site, urls_file, tmp, uri, f"scale1_{os.getpid()}", service_pids)
            log("plain loop, second half ...")
            plain = merge_plain([plain_a, plain_loop(cases, templates, site.base, range(half, pages))])
            expected = plain.pop("expected")
            r1["store"] = check_store(uri, f"scale1_{os.getpid()}", expected)

            # Run 2: two workers sharing a Redis frontier.
            # Seeded as a distributed crawl is (docs/distributed.md, 'Seeding'): the site's sitemap, read by the
            # first worker to ask for it; the other takes articles from the shared queue.
            log("run 2: two worker processes, -s NEWSCRAWL_DISTRIBUTED=redis, seeded from the site's sitemap ...")
            r2 = run_crawls(2, site, site.base + SITEMAP_PATH, tmp, uri, f"scale2_{os.getpid()}",
                            {**service_pids, "redis": redis_proc.pid},
                            env_extra={"REDIS_URL": redis_url},
                            extra={"NEWSCRAWL_DISTRIBUTED": "redis",
                                   "NEWSCRAWL_REDIS_IDLE_SECONDS": str(idle_seconds)})
            r2["store"] = check_store(uri, f"scale2_{os.getpid()}", expected)
            if db_server is None:
                from pymongo import MongoClient

                client = MongoClient(uri)
                for name in (f"scale1_{os.getpid()}", f"scale2_{os.getpid()}"):
                    client.drop_database(name)
                client.close()
        finally:
            site.stop()
            if redis_proc:
                redis_proc.terminate()
                redis_proc.wait(10)
            if db_server:
                db_server.stop()

    # --- report: runs ---
    pps1 = pages / r1["seconds"]
    pps2 = pages / r2["seconds"]
    w1 = r1["workers"][0]
    windows = rss_windows(r1["samples"], pages)
    peak_mb = max(w1["hwm_kib"], w1["peak_rss_kib"]) / 1024
    first_mb, last_mb = windows["first"]["max_mb"], windows["last"]["max_mb"]
    growth = (last_mb - first_mb) if first_mb and last_mb else None
    ratio1 = pps1 / plain["pages_per_s"]
    ratio2 = pps2 / pps1
    run1_dur = next((r.get("duration_s") for r in r1["store"]["runs"] if r.get("duration_s")), None)
    log(f"\n{'':<44}{'pages/s':>9}{'seconds':>9}  notes")
    log(f"{'plain loop (extraction + language only)':<44}{plain['pages_per_s']:>9.1f}{plain['seconds']:>9.1f}  "
        f"{plain['items']} articles, {plain['not_articles']} not articles, {plain['exact_copies']} exact copies; "
        f"halves before / after run 1: {' / '.join(f'{r:.1f}' for r in plain['parts_pages_per_s'])} pages/s")
    log(f"{'run 1: one process, whole pipeline':<44}{pps1:>9.1f}{r1['seconds']:>9.1f}  wall clock incl. process "
        f"start; spider open->close {run1_dur or 0:.1f} s; {r1['tail_s'] or 0:.1f} s after the last page")
    log(f"{'run 2: two workers (Redis frontier)':<44}{pps2:>9.1f}{r2['seconds']:>9.1f}  wall clock of the pair "
        f"(both started at once); {r2['tail_s'] or 0:.1f} s after the last page (last batch, acks, "
        f"{idle_seconds:g} s idle wait)")
    rates1 = rates_per_1000(r1["samples"], pages)
    log(f"  pages/s per 1000 pages: plain loop {plain['pages_per_s_per_1000']}; run 1 {rates1}")
    for name, r in (("run 1", r1), ("run 2", r2)):
        cpu = ", ".join(f"{p} {v:.0f}" for p, v in r["cpu_s"].items() if v is not None)
        log(f"  {name} CPU seconds: {cpu}  (of {r['seconds'] * (os.cpu_count() or 1):.0f} core-seconds)")
    for w, wk in enumerate(r2["workers"]):
        log(f"  run 2 worker {w + 1}: {wk['articles']} articles, {wk['requests']} requests, "
            f"peak RSS {wk['peak_rss_kib'] / 1024:.0f} MB")
    log(f"  ratio run 1 / plain loop   {ratio1:6.3f}   (target >= 0.8)  {'MET' if ratio1 >= 0.8 else 'NOT MET'}")
    log(f"  ratio run 2 / run 1        {ratio2:6.3f}   (target >= 1.7)  {'MET' if ratio2 >= 1.7 else 'NOT MET'}")
    steady = None
    if r1["tail_s"] is not None and r2["tail_s"] is not None:
        steady = (r1["seconds"] - r1["tail_s"]) / (r2["seconds"] - r2["tail_s"])
        log(f"    the same until the last page was fetched (without the drain after it): {steady:.3f}")
    log(f"  run 1 peak RSS             {peak_mb:6.0f} MB (target < 500 MB)  {'MET' if peak_mb < 500 else 'NOT MET'}")
    if growth is not None:
        log(f"  run 1 RSS while fetching the first 1000 pages: max {first_mb:.0f} MB (median "
            f"{windows['first']['median_mb']:.0f}); the last 1000: max {last_mb:.0f} MB (median "
            f"{windows['last']['median_mb']:.0f}); growth {growth:+.0f} MB (target: none)  "
            f"{'MET' if growth <= GROWTH_TOLERANCE_MB else 'NOT MET'} (tolerance {GROWTH_TOLERANCE_MB} MB)")
    medians = rss_medians_per_1000(r1["samples"], pages)
    log(f"  run 1 median RSS (MB) per 1000 pages: {medians}")
    for name, r in (("run 1", r1), ("run 2", r2)):
        st = r["store"]
        counts = r["fetch_counts"]
        fetched_twice = sum(1 for c in counts if c > 1)
        not_fetched = sum(1 for c in counts if c == 0)
        ok = st["missing"] == 0 and st["twice"] == 0 and st["unexpected"] == 0
        failed |= not ok or any(wk["rc"] != 0 for wk in r["workers"])
        dropped = {}
        for wk in r["workers"]:
            for reason, v in wk["dropped"].items():
                dropped[reason] = dropped.get(reason, 0) + v
        log(f"  {name}: stored {st['documents']} documents ({st['distinct']} distinct URLs) of {len(expected)} "
            f"expected articles: missing {st['missing']}, stored twice {st['twice']}, unexpected "
            f"{st['unexpected']}; URLs fetched twice {fetched_twice}, never {not_fetched}; dropped {dropped or '{}'}"
            f" -> {'every article stored exactly once' if ok else 'FAILED'}")
        if st["missing_examples"]:
            log(f"    missing e.g. {st['missing_examples']}")

    # --- news-please, Fundus ---
    if others:
        log(f"\nextraction in a plain loop on the {k} development pages ({passes} timed passes each), one core:")
        oth = others_vs_ours(cases, passes, log)
        result["others"] = {name: {kk: vv for kk, vv in v.items() if kk != "outputs"} if isinstance(v, dict) else v
                            for name, v in oth.items()}
        by_id = {c["id"]: c for c in cases}
        ours = oth["ours"]
        n_ours = ours["pages"] * passes
        ours_ex = n_ours / ours["extract_cpu_s"]
        ours_all = n_ours / (ours["extract_cpu_s"] + ours["language_cpu_s"])
        q_ours = quality(by_id, ours["outputs"], by_id)
        log(f"{'extractor':<48}{'pages':>6}{'pages/s/core':>13}{'ms/page':>9}{'title':>7}{'body_f1':>8}")
        log(f"{'newscrawl (extraction)':<48}{k:>6}{ours_ex:>13.1f}{1000 / ours_ex:>9.1f}"
            f"{q_ours['title']:>7.3f}{q_ours['body_f1']:>8.3f}")
        log(f"{'newscrawl (extraction + language detection)':<48}{k:>6}{ours_all:>13.1f}{1000 / ours_all:>9.1f}")
        verdicts = {}
        if oth.get("install_error"):
            log(f"  install error: {oth['install_error']}")
        if oth.get("run_error"):
            log(f"  the news-please/Fundus script failed: {oth['run_error']}")
        for name in ("news-please", "fundus"):
            o = oth.get(name)
            if not o:
                continue
            if "error" in o:
                log(f"  {name}: {o['error']}")
                continue
            pps = o["pages"] * o["passes"] / o["cpu_s"]
            ids = o.get("supported_ids") or list(by_id)
            q = quality(by_id, {i: v for i, v in o["outputs"].items() if v}, ids)
            label = f"{name} {o['version']}" + (f" ({o['publishers']} publishers)" if name == "fundus" else "")
            log(f"{label:<48}{o['pages']:>6}{pps:>13.1f}{1000 / pps:>9.1f}{q['title']:>7.3f}{q['body_f1']:>8.3f}"
                + (f"  {o['failed']} failed" if o["failed"] else ""))
            for err, err_ids in (o.get("errors") or {}).items():
                log(f"    {len(err_ids)} x {err}")
            # Ours on the same subset (Fundus supports only its publishers).
            if name == "fundus":
                sub_q = quality(by_id, ours["outputs"], ids)
                log(f"{'  newscrawl on the same ' + str(len(ids)) + ' pages':<48}{len(ids):>6}{'':>13}{'':>9}"
                    f"{sub_q['title']:>7.3f}{sub_q['body_f1']:>8.3f}")
            o["pages_per_s_core"] = pps
            o["quality"] = q
            # Conservative: ours with language detection against news-please (which detects the
            # language too); ours extraction-only against Fundus (its parse does not).
            mine = ours_all if name == "news-please" else ours_ex
            verdicts[name] = mine / pps
            log(f"  newscrawl / {name}: {mine / pps:.2f}x  (target > 1: {'MET' if mine > pps else 'NOT MET'})")
        result["others"]["ours"].update(pages_per_s_core_extraction=ours_ex, pages_per_s_core_with_language=ours_all,
                                        quality=q_ours)
        result["others_speedup"] = verdicts

    result.update(
        words=dict(zip((c["id"] for c in cases), words)),
        plain=plain,
        run1={kk: v for kk, v in r1.items() if kk not in ("samples", "fetch_counts")} | {
            "pages_per_s": pps1, "pages_per_s_per_1000": rates1, "rss_windows": windows,
            "rss_median_mb_per_1000": medians, "peak_rss_mb": peak_mb, "rss_growth_mb": growth,
            "rss_samples": [(round(t, 1), served, rss[0]) for t, served, rss in r1["samples"]]},
        run2={kk: v for kk, v in r2.items() if kk not in ("samples", "fetch_counts")} | {"pages_per_s": pps2},
        ratios={"run1_over_plain": ratio1, "run2_over_run1": ratio2, "run2_over_run1_until_last_page": steady},
        settings={**CRAWL_SETTINGS, "NEWSCRAWL_REDIS_IDLE_SECONDS (run 2)": idle_seconds},
        total_seconds=time.perf_counter() - t_all)
    log(f"\ntotal {result['total_seconds'] / 60:.1f} min; results: {out_json.relative_to(ROOT) if out_json.is_relative_to(ROOT) else out_json}")
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(result, indent=1, default=str))
    out_txt.write_text("\n".join(lines) + "\n")
    return 1 if failed else 0
