"""`python -m tools.bench render [--pages 500]`: memory and speed of a rendering source crawl.

A local threaded HTTP server serves a news sitemap of N distinct JavaScript-rendered article pages:
each page holds only its headline and lede; a script fetches the body from a JSON endpoint after a
short delay (one page in four instead waits for a click on "Read more"). Each page also references an
image, a web font and a tracker script, which the crawl must not fetch. One source with `render=True`
(declared through NEWSCRAWL_EXTRA_SOURCES) is crawled with `scrapy crawl` in a subprocess, while the
RSS of the crawl process and all its descendants (Playwright's driver, Chromium's browser, renderer,
GPU/utility processes) is summed from /proc every 0.25 s; PSS (proportional set size, which counts
pages Chromium's processes share once) is summed too. Printed: peak RSS and PSS, RSS after the first
100 rendered pages and at the end, pages/s, the render and Playwright stats, and whether memory
stayed flat (end within 20% of the value after 100 pages; exit 1 otherwise).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tools.paths import ROOT

from .common import final_stats

WAIT, CLICK = "article[data-complete]", "button.read-more"
_WORDS = ("council budget harbour bridge railway station museum orchestra election storm forest river school "
          "hospital court judge minister report agency farmers market shares investors engineers tunnel traffic "
          "region summer winter water levels plan residents critics costs estimate approved announced measures "
          "support company village library teachers pupils valley mountain night trains service passengers").split()


def _words(r: random.Random, n: int) -> str:
    return " ".join(r.choice(_WORDS) for _ in range(n))


def page_html(i: int) -> bytes:
    r = random.Random(i)
    title = f"{_words(r, 6).capitalize()} ({i})"
    click = i % 4 == 3
    trigger = ("document.querySelector('button.read-more').addEventListener('click', load);" if click
               else f"setTimeout(load, {20 + (i % 5) * 20});")
    button = '<button class="read-more" type="button">Read more</button>' if click else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Script Bench</title>'
            f'<meta property="og:site_name" content="Script Bench">'
            f'<meta property="article:published_time" content="2026-10-{1 + i % 28:02d}T08:30:00Z">'
            f'<style>@font-face {{ font-family: Bench; src: url("/static/bench.woff2"); }} body {{ font-family: Bench; }}'
            f'</style><script async src="https://www.google-analytics.com/analytics.js"></script></head>'
            f'<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>'
            f'<img src="/img/{i}.jpg" width="800" height="450" alt="photo">'
            f'<p class="lede">{_words(r, 30).capitalize()}.</p><div class="article-body"></div>{button}</article>'
            f'<script>function load() {{ fetch("/api/{i}.json").then(r => r.json()).then(d => {{'
            f'  const body = document.querySelector(".article-body");'
            f'  for (const t of d.paragraphs) {{ const p = document.createElement("p"); p.textContent = t; body.appendChild(p); }}'
            f'  const b = document.querySelector("button.read-more"); if (b) b.remove();'
            f'  document.querySelector("article").setAttribute("data-complete", "1"); }}); }}'
            f'{trigger}</script></body></html>').encode()


def body_json(i: int) -> bytes:
    r = random.Random(10_000 + i)
    return json.dumps({"paragraphs": [f"{_words(r, r.randint(40, 80)).capitalize()}." for _ in range(6)]}).encode()


class BenchSite:
    def __init__(self, pages: int):
        self.pages = pages
        self.counts = {"page": 0, "api": 0, "img": 0, "font": 0, "other": 0}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                status, ctype, body, kind = site.route(self.path)
                with site.lock:
                    site.counts[kind] += 1
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, path: str):
        if path == "/news-sitemap.xml":
            urls = "".join(f"<url><loc>{self.base}/news/{i}.html</loc><news:news><news:publication_date>"
                           f"2026-10-{1 + i % 28:02d}T08:30:00Z</news:publication_date></news:news></url>"
                           for i in range(self.pages))
            return (200, "application/xml", ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls
                    + "</urlset>").encode(), "other")
        name = path.rsplit("/", 1)[-1].split(".")[0]
        if path.startswith("/news/") and name.isdigit():
            return 200, "text/html; charset=utf-8", page_html(int(name)), "page"
        if path.startswith("/api/") and name.isdigit():
            return 200, "application/json", body_json(int(name)), "api"
        if path.startswith("/img/"):
            return 200, "image/jpeg", b"\xff\xd8" + b"\0" * 50_000, "img"
        if path.startswith("/static/"):
            return 200, "font/woff2", b"\0" * 30_000, "font"
        return 404, "text/plain", b"not found", "other"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def tree_memory(root: int) -> tuple[int, int, int]:
    """(RSS KiB, PSS KiB, processes) summed over `root` and all its descendants."""
    tree, todo, rss, pss, n = _children(), [root], 0, 0, 0
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, ()))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                key, _, value = line.partition(":")
                if key == "Rss":
                    rss += int(value.split()[0])
                elif key == "Pss":
                    pss += int(value.split()[0])
            n += 1
        except (OSError, ValueError):
            continue
    return rss, pss, n


def run(pages: int = 500, interval: float = 0.25, concurrency: int = 8) -> int:
    site = BenchSite(pages)
    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        tmp = Path(tmp)
        sources = tmp / "sources.json"
        sources.write_text(json.dumps([{
            "slug": "benchjs", "name": "Script Bench", "domains": ["127.0.0.1"], "language": "en",
            "timezone": "UTC", "feeds": [{"kind": "news_sitemap", "url": f"{site.base}/news-sitemap.xml"}],
            "article_url": r"/news/\d+\.html$", "concurrency": concurrency, "delay": 0, "render": True,
            "render_wait_selector": WAIT, "render_click_selector": CLICK, "render_timeout_ms": 15000,
            "render_fallback": False}]))
        items, log = tmp / "items.jsonl", tmp / "crawl.log"
        cmd = [sys.executable, "-m", "scrapy", "crawl", "benchjs", "-O", str(items)]
        for key, value in {"MONGODB_ENABLED": "false", "LOG_FILE": str(log), "LOG_LEVEL": "INFO",
                           "TELNETCONSOLE_ENABLED": "false", "ROBOTSTXT_OBEY": "false", "AUTOTHROTTLE_ENABLED": "false",
                           "NEWSCRAWL_HEALTH_ENABLED": "false", "NEWSCRAWL_CRAWL_RUNS_ENABLED": "false",
                           "CONCURRENT_REQUESTS": concurrency}.items():
            cmd += ["-s", f"{key}={value}"]
        env = {**os.environ, "NEWSCRAWL_EXTRA_SOURCES": str(sources)}
        print(f"render bench: {pages} JS-rendered pages on {site.base}, Chromium "
              f"{env.get('NEWSCRAWL_CHROMIUM') or '(settings default)'}; crawling...", flush=True)
        samples = []   # (seconds, rss KiB, pss KiB, processes, rendered pages so far)
        t0 = time.perf_counter()
        with open(tmp / "stderr.txt", "wb") as err:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
            while proc.poll() is None:
                rss, pss, n = tree_memory(proc.pid)
                with site.lock:
                    done = site.counts["api"]
                if n:
                    samples.append((time.perf_counter() - t0, rss, pss, n, done))
                time.sleep(interval)
        seconds = time.perf_counter() - t0
        site.close()
        log_text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if proc.returncode != 0:
            print((tmp / "stderr.txt").read_text(errors="replace")[-3000:] or log_text[-3000:], file=sys.stderr)
            print(f"crawl failed with exit code {proc.returncode}", file=sys.stderr)
            return 2
        stats = final_stats(log_text)
        n_items = sum(1 for line in items.open(encoding="utf-8") if line.strip()) if items.exists() else 0
        full = sum(1 for line in items.open(encoding="utf-8") if line.strip()
                   and len(json.loads(line)["body"].split()) > 150) if items.exists() else 0

    mib = 1024
    first_page = next((s[0] for s in samples if s[4] >= 1), 0.0)
    last_page = next((s[0] for s in samples if s[4] >= pages), samples[-1][0] if samples else seconds)
    at100 = next((s for s in samples if s[4] >= min(100, pages)), None)
    # "End": the last sample taken while pages were still being rendered (before shutdown frees memory).
    rendering = [s for s in samples if s[4] < pages] or samples
    end = rendering[-1]
    peak_rss = max(samples, key=lambda s: s[1])
    peak_pss = max(s[2] for s in samples)
    rate = stats.get("newscrawl/render/rendered", 0) / max(last_page - first_page, 1e-9)
    print(f"\nitems {n_items}/{pages} (full body: {full}); rendered {stats.get('newscrawl/render/rendered', 0)}, "
          f"retried {stats.get('newscrawl/render/retried', 0)}, failed {stats.get('newscrawl/render/failed', 0)}")
    print(f"served: pages {site.counts['page']}, body API {site.counts['api']}, images {site.counts['img']}, "
          f"fonts {site.counts['font']}; aborted in the browser {stats.get('playwright/request_count/aborted', 0)}")
    print(f"playwright: pages opened {stats.get('playwright/page_count', 0)}, closed "
          f"{stats.get('playwright/page_count/closed', 0)}, max concurrent pages "
          f"{stats.get('playwright/page_count/max_concurrent', 0)}, contexts {stats.get('playwright/context_count', 0)}")
    print(f"time: {seconds:.1f} s in all, {last_page - first_page:.1f} s from first to last rendered page: "
          f"{rate:.1f} pages/s ({pages / seconds:.1f} pages/s including start and shutdown)")
    print(f"memory (crawl process + Playwright driver + Chromium, {len(samples)} samples, up to "
          f"{max(s[3] for s in samples)} processes):")
    print(f"  peak RSS {peak_rss[1] / mib:.0f} MiB (at {peak_rss[4]} pages), peak PSS {peak_pss / mib:.0f} MiB")
    if at100:
        print(f"  after {at100[4]} pages: RSS {at100[1] / mib:.0f} MiB, PSS {at100[2] / mib:.0f} MiB")
    print(f"  at the end ({end[4]} pages): RSS {end[1] / mib:.0f} MiB, PSS {end[2] / mib:.0f} MiB")
    if not at100:
        return 0
    growth = end[1] / at100[1] - 1
    flat = growth <= 0.20
    print(f"  RSS growth from page {at100[4]} to page {end[4]}: {growth:+.0%} -> {'flat' if flat else 'NOT flat'} "
          f"(limit +20%)")
    return 0 if flat and n_items == pages else 1


if __name__ == "__main__":
    sys.exit(run(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
