"""Soak test: `python -m tools.bench soak [--pages 3000] [--uri URI]`.

Serves `pages` distinct article pages from a local server (127.0.0.1) of which 10% misbehave:
one in five of those each answers 500 forever, resets the connection, sends a truncated body,
stalls past the download timeout, or answers 503 once and then the page (transient: a good page).
Crawls them all with the `article` spider (retries on, MongoDB storage into the embedded server
unless --uri) in a subprocess and reports pages/s and whether every good article was stored once.
Exit code 0 when it was.
"""

import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tools.paths import ROOT

from .common import bench_article, final_stats

FAULTS = ("e500", "reset", "truncated", "stall", "transient")
DOWNLOAD_TIMEOUT = 3


def plan(pages: int) -> dict[int, str]:
    """Page number -> kind ("good" or a fault): every tenth page is faulty, kinds in turn."""
    return {i: (FAULTS[(i // 10) % len(FAULTS)] if i % 10 == 9 else "good") for i in range(pages)}


def _server(kinds: dict[int, str]):
    seen: dict[int, int] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes, length: int | None = None):
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            try:
                n = int(self.path.rsplit("/", 1)[-1].split(".")[0])
                kind = kinds[n]
            except (ValueError, KeyError):
                return self._send(404, b"not found")
            with lock:
                seen[n] = seen.get(n, 0) + 1
                attempt = seen[n]
            try:
                if kind == "good" or (kind == "transient" and attempt > 1):
                    self._send(200, bench_article(n))
                elif kind in ("e500", "transient"):
                    self._send(500 if kind == "e500" else 503, b"server error")
                elif kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                elif kind == "truncated":
                    body = bench_article(n)
                    self._send(200, body[:len(body) // 3], length=len(body))
                    self.close_connection = True
                elif kind == "stall":
                    time.sleep(DOWNLOAD_TIMEOUT + 1)
                    self.close_connection = True
            except OSError:
                self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server




def run(pages: int = 3000, uri: str | None = None) -> int:
    from pymongo import MongoClient

    from tools.mongo_server import EmbeddedServer

    kinds = plan(pages)
    good = {i for i, k in kinds.items() if k in ("good", "transient")}
    server = _server(kinds)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    database = f"soak_{os.getpid()}"
    db_server = None
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        tmp = Path(tmp)
        try:
            if not uri:
                db_server = EmbeddedServer(tmp / "db").start()
                uri = db_server.uri
            urls_file = tmp / "urls.txt"
            urls_file.write_text("".join(f"{base}/news/2026/10/{i}.html\n" for i in range(pages)))
            log = tmp / "crawl.log"
            settings = {"MONGODB_ENABLED": "true", "MONGODB_URI": uri, "MONGODB_DATABASE": database,
                        "ROBOTSTXT_OBEY": "false", "AUTOTHROTTLE_ENABLED": "false", "DOWNLOAD_DELAY": "0",
                        "CONCURRENT_REQUESTS": "32", "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
                        "RETRY_TIMES": "2", "DOWNLOAD_TIMEOUT": str(DOWNLOAD_TIMEOUT), "TELNETCONSOLE_ENABLED": "false",
                        "NEWSCRAWL_HEALTH_ENABLED": "false", "LOG_LEVEL": "INFO", "LOG_FILE": str(log)}
            cmd = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"urls_file={urls_file}"]
            for key, value in settings.items():
                cmd += ["-s", f"{key}={value}"]
            print(f"soak: {pages} pages ({len(good)} good incl. {sum(k == 'transient' for k in kinds.values())} "
                  f"transient 503s; {pages - len(good)} faulty: 500, reset, truncated, stall), crawling...",
                  flush=True)
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - t0
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            if proc.returncode != 0:
                print(f"crawl failed ({proc.returncode}):\n{text[-2000:]}{proc.stderr[-2000:]}")
                return 1
            stats = final_stats(text)
            client = MongoClient(uri)
            try:
                stored_urls = [d["url"] for d in client[database].articles.find({}, {"url": 1})]
                client.drop_database(database)
            finally:
                client.close()
        finally:
            server.shutdown()
            if db_server:
                db_server.stop()
    stored = {int(u.rsplit("/", 1)[-1].split(".")[0]) for u in stored_urls}
    missing, wrong = good - stored, stored - good
    exc = {k.rsplit("/", 1)[-1].rsplit(".", 1)[-1]: v for k, v in stats.items()
           if k.startswith("downloader/exception_type_count/")}
    print(f"\n{'pages':>6} {'seconds':>8} {'pages/s':>8} {'requests':>9} {'retries':>8} {'good':>6} "
          f"{'stored':>7} {'missing':>8} {'twice':>6} {'faulty stored':>14}")
    print(f"{pages:>6} {seconds:>8.1f} {pages / seconds:>8.1f} {stats.get('downloader/request_count', 0):>9} "
          f"{stats.get('retry/count', 0):>8} {len(good):>6} {len(stored_urls):>7} {len(missing):>8} "
          f"{len(stored_urls) - len(stored):>6} {len(wrong):>14}")
    print(f"  download errors: {exc}; gave up: {stats.get('retry/max_reached', 0)}; "
          f"HTTP 500 ignored: {stats.get('httperror/response_ignored_status_count/500', 0)}")
    ok = not missing and not wrong and len(stored_urls) == len(stored)
    print("every good article stored exactly once" if ok else f"FAILED: missing {sorted(missing)[:10]}")
    return 0 if ok else 1
