"""Discovery memory: `python -m tools.bench discovery [--small 10000] [--large 300000] [--pages 3000]`.

A local server (127.0.0.1) serves one sitemap (urlset) of `small` URLs and one of `large` URLs,
each entry with a `<lastmod>` (dates spread over three years, in no order: the spider sorts them
newest first), and answers every article URL with a tiny 404, so only discovery costs memory. The
`article` spider crawls each sitemap in a subprocess, stopped after `pages` responses
(CLOSESPIDER_PAGECOUNT), while its VmHWM is read from /proc. The report (peak RSS of both, their
ratio, the crawl's discovery stats) goes to bench-results/discovery.txt. Exit code 0 when the large
sitemap's peak is within 1.3x of the small one's and under 500 MB.
"""

import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tools.paths import BENCH_RESULTS, ROOT

from .common import final_stats, proc_status


RATIO_TARGET = 1.3
PEAK_TARGET_MB = 500


def sitemap(base: str, n: int) -> bytes:
    start = date(2023, 1, 1)
    rows = "".join(f"<url><loc>{base}/a/{i}</loc><lastmod>{start + timedelta(days=i * 7919 % 1096)}</lastmod></url>"
                   for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{rows}</urlset>").encode()


def serve(sizes: list[int]):
    """A server for /sitemap-<n>.xml and /a/<i> (404); returns (server, base URL)."""
    bodies: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            body = bodies.get(self.path)
            status, ctype = (200, "application/xml") if body is not None else (404, "text/plain")
            body = body if body is not None else b"gone"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for n in sizes:
        bodies[f"/sitemap-{n}.xml"] = sitemap(base, n)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base, {n: len(bodies[f"/sitemap-{n}.xml"]) for n in sizes}


def measure(url: str, pages: int, workdir: Path, interval: float = 0.1) -> dict:
    log = workdir / "crawl.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"sitemap={url}"]
    settings = {"MONGODB_ENABLED": "false", "LOG_FILE": str(log), "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": "false",
                "ROBOTSTXT_OBEY": "false", "AUTOTHROTTLE_ENABLED": "false", "DOWNLOAD_DELAY": "0",
                "CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "RETRY_ENABLED": "false",
                "CLOSESPIDER_PAGECOUNT": str(pages), "NEWSCRAWL_HEALTH_ENABLED": "false"}
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    hwm = samples = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while proc.poll() is None:
        status = proc_status(proc.pid)
        if status:
            hwm, samples = max(hwm, status.get("VmHWM", 0)), samples + 1
        time.sleep(interval)
    seconds = time.perf_counter() - t0
    stderr = proc.stderr.read().decode(errors="replace")
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    stats = final_stats(text)
    if not stats:   # the exit code is the outcome of 404s only (nothing stored): not what is measured
        raise RuntimeError(f"crawl failed ({proc.returncode}): {(text + stderr)[-2000:]}")
    return {"seconds": seconds, "peak_kib": max(hwm, stats.get("memusage/max", 0) // 1024), "samples": samples,
            "stats": stats, "returncode": proc.returncode}


def run(small: int = 10_000, large: int = 300_000, pages: int = 3000, out: str | None = None) -> int:
    server, base, sizes = serve([small, large])
    results = {}
    try:
        for n in (small, large):
            with tempfile.TemporaryDirectory() as tmp:
                results[n] = measure(f"{base}/sitemap-{n}.xml", pages, Path(tmp))
    finally:
        server.shutdown()
    mib = 1024
    lines = [f"Discovery memory bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: `article` spider "
             f"over one local sitemap, article URLs answer 404, stopped after {pages} responses",
             f"{'URLs':>8} {'sitemap':>9} {'peak RSS':>9} {'fetched':>8} {'entries':>8} {'seconds':>8}"]
    for n, r in results.items():
        s = r["stats"]
        lines.append(f"{n:>8} {sizes[n] / 2**20:>7.1f}MB {r['peak_kib'] / mib:>7.0f}MB "
                     f"{s.get('downloader/response_count', 0):>8} {s.get('newscrawl/discovery/entries', 0):>8} "
                     f"{r['seconds']:>8.1f}")
    ratio = results[large]["peak_kib"] / max(1, results[small]["peak_kib"])
    peak_mb = results[large]["peak_kib"] / mib
    ok = ratio <= RATIO_TARGET and peak_mb < PEAK_TARGET_MB
    lines.append(f"peak RSS {large} / {small} URLs = {ratio:.2f} (target <= {RATIO_TARGET}); {large} URLs peak "
                 f"{peak_mb:.0f} MB (target < {PEAK_TARGET_MB} MB) -> {'MET' if ok else 'NOT MET'}")
    report = "\n".join(lines) + "\n"
    print(report, end="")
    path = Path(out) if out else BENCH_RESULTS / "discovery.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report)
    return 0 if ok else 1
