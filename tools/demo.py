"""The README's main job, offline: ingest the shipped sample WARC (samples/demo.warc.gz, built from
pages written for this project in tests/fixtures/demo/) through the real `warc` spider and its
pipelines into MongoDB (database `newscrawl`, collection `articles`), then summarise this run. The
crawl's log goes to var/demo/crawl.log; its closing lines, warnings and errors are printed.

MongoDB: $MONGODB_URI when set; else the local server of `python -m tools.mongo_server` on
mongodb://127.0.0.1:27017, started (detached, data in var/ferretdb/) when it is not running, and left
running so the data can be queried afterwards (`make db-stop` stops it). The summary counts this
run only (its crawl run, by run id): articles an earlier demo stored are "already stored".

    python -m tools.demo                 run the demo
    python -m tools.demo --no-db         extract only (items to var/demo/items.jsonl), no MongoDB
    python -m tools.demo --serve         the demo pages as a news site on http://127.0.0.1:8765
                                         (/sitemap.xml, /rss.xml, /robots.txt) until Ctrl-C
    python -m tools.demo --build-sample  rebuild samples/demo.warc.gz from the fixture pages
"""

import argparse
import json
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from tools.paths import ROOT

SAMPLE = ROOT / "samples" / "demo.warc.gz"
FIXTURES = ROOT / "tests" / "fixtures" / "demo"
DEFAULT_OUT = ROOT / "var" / "demo" / "items.jsonl"
SITE_PORT = 8765

# fixture file -> (URL it is archived under, WARC-Date, Content-Type header)
PAGES = {
    "lemonde-climat.html": ("https://www.journal-demo.fr/planete/2026/11/20/la-seine-retrouve-ses-poissons-migrateurs_42.html?utm_source=rss",
                            "2026-11-20T10:05:00Z", "text/html; charset=utf-8"),
    "zeitung-bahn.html": ("https://www.demo-zeitung.de/wirtschaft/bahn-nachtzuege-italien-a-1234",
                          "2026-11-21T07:00:00Z", "text/html"),
    "diario-lluvia.html": ("https://www.diariodemo.es/sociedad/lluvias-otono-sequia.html",
                           "2026-11-19T19:00:00Z", "text/html; charset=utf-8"),
    "tokyo-train.html": ("https://www.demo-shimbun.jp/articles/20261122-shinkansen",
                         "2026-11-22T02:00:00Z", "text/html; charset=utf-8"),
    "index-page.html": ("https://www.demotimes.co.uk/", "2026-11-22T08:00:00Z", "text/html; charset=utf-8"),
}
INDEX_PAGES = {"index-page.html"}   # served, but not listed in the sitemap and feed: not an article


def build_sample(path: Path = SAMPLE) -> int:
    from newscrawl.warc import write_warc

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_warc(str(path), ((url, (FIXTURES / name).read_bytes(), date, ctype)
                                  for name, (url, date, ctype) in PAGES.items()))


# Lines of the crawl log shown on the terminal: the closing summary and outcome, warnings and errors.
_SHOWN_LOG = re.compile(r"\] (WARNING|ERROR|CRITICAL): |INFO: (At close: |Crawl outcome of )")


def run_crawl(out: Path, extra_args=(), env=None) -> int:
    """`scrapy crawl warc` of the sample into the feed `out`; its log goes to crawl.log beside `out`,
    of which the closing lines, warnings and errors are printed (else its tail when the crawl failed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    log = out.parent / "crawl.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={_shown(SAMPLE)}", "-O", _shown(out),
           *extra_args]
    print("$ scrapy", " ".join(cmd[3:]), flush=True)
    rc = subprocess.call([*cmd, "-s", f"LOG_FILE={log}", "-s", "LOG_FILE_APPEND=false"], cwd=ROOT, env=env)
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    shown = [line for line in lines if _SHOWN_LOG.search(line)] or (lines[-15:] if rc else [])
    for line in shown:
        print(f"  {line}")
    print(f"  (the crawl's whole log: {_shown(log)})", flush=True)
    return rc


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_items(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def show(items: list[dict], out: Path) -> None:
    print(f"\n{len(items)} articles extracted -> {_shown(out)}\n")
    for item in items:
        body = item["body"]
        print(f"[{item['source']}] {item['title']}")
        print(f"  Source: {item['source_name']} | published {item['published_at']} "
              f"({item['published_at_source']['method'] if item['published_at_source'] else '-'}) "
              f"| lang {item['declared_language']} | authors {', '.join(item['authors']) or '-'}")
        print(f"  {item['url']}")
        print(f"  {' '.join(body[:160].split())}{'…' if len(body) > 160 else ''}\n")   # paragraphs on one line


# ---- the run's own summary ------------------------------------------------------------------------

def run_summary(uri: str, run_id: str, items: list[dict]) -> dict:
    """This run only: its crawl_runs document (by run id) and, for each article it extracted, what the
    store did with it in this run: `new` (first stored now), `updated` (a new revision now),
    `already stored` (stored before, unchanged), or `not stored` (e.g. spooled: `storage replay`)."""
    from pymongo import MongoClient

    from newscrawl import settings

    client = MongoClient(uri, serverSelectionTimeoutMS=5000, tz_aware=True)
    try:
        db = client[settings.MONGODB_DATABASE]
        run = db["crawl_runs"].find_one({"run_id": run_id})
        if run is None:
            raise LookupError(f"no crawl run {run_id} in {settings.MONGODB_DATABASE}.crawl_runs")
        urls = [item["url"] for item in items]
        docs = {}
        for doc in db[settings.MONGODB_COLLECTION].find(
                {"$or": [{"url": {"$in": urls}}, {"aliases": {"$in": urls}}]},
                {"url": 1, "aliases": 1, "first_seen_at": 1, "updated_at": 1, "last_seen_at": 1}):
            for url in [doc["url"], *(doc.get("aliases") or [])]:
                docs[url] = doc
        total = db[settings.MONGODB_COLLECTION].count_documents({})
    finally:
        client.close()
    started = run["started_at"]
    articles = []
    for item in items:
        doc = docs.get(item["url"])
        if doc is None or (doc.get("last_seen_at") or started) < started:
            state = "not stored"
        elif doc["url"] != item["url"]:
            state = "alias"
        elif doc["first_seen_at"] >= started:
            state = "new"
        elif (doc.get("updated_at") or started) >= started:
            state = "updated"
        else:
            state = "already stored"
        articles.append({"source": item["source"], "language": item.get("language"), "url": item["url"],
                         "state": state})
    return {"run": run, "articles": articles, "collection_total": total}


def print_summary(summary: dict) -> None:
    from newscrawl import settings

    run, items = summary["run"], summary["run"]["items"]
    aliased = (run.get("stats") or {}).get("newscrawl/mongodb/aliased", items.get("aliased", 0))
    dropped = ", ".join(f"{k} {v}" for k, v in sorted((run.get("dropped") or {}).items())) or "none"
    print(f"\nThis run ({run['spider']}, run id {run['run_id']}, {run['status']}"
          f"{', ' + run['outcome'] if run.get('outcome') else ''}) into "
          f"{settings.MONGODB_DATABASE}.{settings.MONGODB_COLLECTION}:")
    print(f"  {len(summary['articles'])} articles extracted: {items['stored']} new, {items['updated']} updated, "
          f"{items['unchanged']} already stored (unchanged), {aliased} aliases of stored articles, "
          f"{items['duplicate']} duplicates dropped, {items['spooled']} spooled; pages dropped: {dropped}")
    for article in summary["articles"]:
        print(f"  {article['source']:<18} {article['language'] or '-':<3} {article['state']:<15} {article['url']}")


def print_access(uri: str, collection_total: int | None, local: bool) -> None:
    from newscrawl import settings
    from newscrawl.storage.client import mask_uri

    where = f"{settings.MONGODB_DATABASE}.{settings.MONGODB_COLLECTION}"
    print(f"\nThe data ({where}{f', {collection_total} articles from all runs so far' if collection_total is not None else ''}):")
    shell_uri = f"{uri.rstrip('/')}/{settings.MONGODB_DATABASE}" if "?" not in uri and uri.count("/") == 2 else uri
    print(f"  MongoDB URI   {mask_uri(uri)}")
    print(f"  mongosh       bin/mongosh {mask_uri(shell_uri)}")
    from tools.mongo_server import DEFAULT_PORT

    # The web front's default is the local server's URI (or $MONGODB_URI, which this shell may not export).
    web_uri = "" if uri.rstrip("/") == f"mongodb://127.0.0.1:{DEFAULT_PORT}" else f" --uri {mask_uri(uri)}"
    print(f"  web front     .venv/bin/python -m newscrawl.web{web_uri}   (open http://127.0.0.1:8080)")
    if local:
        print("  stop the server when done: make db-stop   (data stays in var/ferretdb/)")


def _local_server() -> tuple[str | None, str, bool]:
    """(URI, what to print, whether it is the server of `make db`): the local server, started when not
    running; a MongoDB already answering on its port (the crawls' default URI) is used as it is.
    (None, error, False) when neither."""
    from tools.mongo_server import LocalServer, ping, server_version

    server = LocalServer()
    code, message = server.status()
    if code == 0:
        return server.uri(server.running()[1]["port"]), f"using the local {message}", True
    if code != 3:
        return None, f"error: {message}", False
    if ping(server.uri(), 500):
        return server.uri(), (f"using the {server_version(server.uri()) or 'MongoDB'} server answering at "
                              f"{server.uri()} (not started by `make db`)"), False
    code, message = server.start()
    if code != 0:
        return None, f"{message}\n(run with --no-db to skip storage, or set MONGODB_URI to another server)", False
    return server.uri(), f"started the local {message}; it stays running (make db-stop stops it)", True


# ---- the demo site --------------------------------------------------------------------------------

def _title(html: bytes) -> str:
    found = re.search(rb"<title>(.*?)</title>", html, re.S | re.I)
    text = found.group(1).decode("utf-8", "replace") if found else ""
    return re.split(r"\s+[|｜—-]\s+|｜", text)[0].strip()


def site_routes(base: str) -> dict[str, tuple[str, bytes]]:
    """URL path -> (Content-Type, body) of the demo site at `base` (http://host:port): each fixture
    page under the path of the URL it is archived under, /sitemap.xml (a Google News sitemap with
    lastmod), /rss.xml and a /robots.txt that allows everything."""
    routes: dict[str, tuple[str, bytes]] = {}
    entries = []
    for name, (url, date, ctype) in PAGES.items():
        body = (FIXTURES / name).read_bytes()
        path = urlsplit(url).path or "/"
        routes[path] = (ctype, body)
        if name not in INDEX_PAGES:
            entries.append((base + path, date, _title(body)))
    urls = "".join(
        f"<url><loc>{escape(loc)}</loc><lastmod>{date}</lastmod><news:news><news:publication>"
        f"<news:name>newscrawl demo</news:name><news:language>und</news:language></news:publication>"
        f"<news:publication_date>{date}</news:publication_date><news:title>{escape(title)}</news:title>"
        f"</news:news></url>" for loc, date, title in entries)
    routes["/sitemap.xml"] = ("application/xml; charset=utf-8", (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>\n").encode())
    rss_items = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(loc)}</link><guid>{escape(loc)}</guid>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(date.replace('Z', '+00:00')))}</pubDate></item>"
        for loc, date, title in entries)
    routes["/rss.xml"] = ("application/rss+xml; charset=utf-8", (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>newscrawl demo</title>'
        f"<link>{escape(base)}/</link><description>The demo pages of newscrawl</description>"
        + rss_items + "</channel></rss>\n").encode())
    routes["/robots.txt"] = ("text/plain; charset=utf-8",
                             f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode())
    return routes


def make_site(port: int = SITE_PORT, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """The demo site's HTTP server, bound (port 0: any free port); serve_forever() serves it."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self, head=False):
            ctype, body = self.server.routes.get(urlsplit(self.path).path, (None, None))
            if body is None:
                ctype, body = "text/plain; charset=utf-8", b"not found\n"
                self.send_response(404)
            else:
                self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET(head=True)

        def log_message(self, fmt, *args):
            sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.routes = site_routes(f"http://{host}:{server.server_address[1]}")
    return server


def serve(port: int) -> int:
    try:
        server = make_site(port)
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}): choose another --port",
              file=sys.stderr)
        return 1
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"demo site on {base}: {base}/sitemap.xml, {base}/rss.xml; Ctrl-C stops it\n"
          f"crawl it:  scrapy crawl article -a sitemap={base}/sitemap.xml -s MONGODB_ENABLED=false "
          f"-O var/demo/site.jsonl", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


# ---- main -----------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-sample", action="store_true", help="rebuild the sample WARC and exit")
    parser.add_argument("--no-db", action="store_true", help="run without MongoDB (items to the feed only)")
    parser.add_argument("--serve", action="store_true", help="serve the demo site until Ctrl-C")
    parser.add_argument("--port", type=int, default=SITE_PORT, help="--serve: port (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="items feed (default: var/demo/items.jsonl)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for the crawl (repeatable)")
    args = parser.parse_args(argv)
    if args.build_sample:
        print(f"wrote {build_sample()} records to {_shown(SAMPLE)}")
        return 0
    if args.serve:
        return serve(args.port)
    extra = [arg for setting in args.settings for arg in ("-s", setting)]
    if args.no_db:
        rc = run_crawl(args.out, ["-s", "MONGODB_ENABLED=false", *extra])
        if rc == 0:
            show(read_items(args.out), args.out)
        return rc
    uri = os.environ.get("MONGODB_URI")
    local = False
    if not uri:
        uri, message, local = _local_server()
        print(message, file=sys.stdout if uri else sys.stderr, flush=True)
        if uri is None:
            return 1
    # The crawl run's id (crawl_runs.run_id): set here so the summary finds this run and no other.
    run_id = f"demo-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "MONGODB_URI": uri, "SCRAPY_JOB": run_id}
    rc = run_crawl(args.out, ["-s", "MONGODB_ENABLED=true", *extra], env=env)
    if rc != 0:
        print(f"crawl failed with exit code {rc} (run id {run_id})", file=sys.stderr)
        return rc
    items = read_items(args.out)
    show(items, args.out)
    try:
        summary = run_summary(uri, run_id, items)
    except Exception as exc:  # noqa: BLE001 - the crawl is done; say why the summary is missing
        print(f"error: could not read this run back from MongoDB: {exc}", file=sys.stderr)
        return 1
    print_summary(summary)
    print_access(uri, summary["collection_total"], local)
    return 0


if __name__ == "__main__":
    sys.exit(main())
