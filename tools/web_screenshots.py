"""Screenshots of the web front over the demo data, for docs/web.md (docs/img/web-*.png).

By default it starts a throw-away embedded server (FerretDB, or mongod when on PATH) in a
temporary directory on a free port, crawls samples/demo.warc.gz into it with the real `warc` spider
(as `make demo` does), serves `newscrawl.web` on a free loopback port and photographs the pages in
headless Chromium. `--uri` uses an existing server and database instead (nothing is crawled).

    python -m tools.web_screenshots [--uri mongodb://127.0.0.1:27017] [--out docs/img]
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tools.paths import ROOT

CHROMIUM = "/usr/lib/chromium/chromium"
SAMPLE = ROOT / "samples" / "demo.warc.gz"


def crawl_demo(uri: str, database: str) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={SAMPLE}", "-s", "MONGODB_ENABLED=true",
           "-s", f"MONGODB_DATABASE={database}", "-s", "LOG_LEVEL=WARNING"]
    subprocess.run(cmd, cwd=ROOT, env={**os.environ, "MONGODB_URI": uri}, check=True)


def shoot(base: str, out: Path, pages: dict[str, str], timezone_id: str = "Europe/Berlin") -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB",
                                          timezone_id=timezone_id, device_scale_factor=1)
            page = context.new_page()
            for name, path in pages.items():
                page.goto(base + path, wait_until="networkidle")
                target = out / f"web-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
        finally:
            browser.close()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.web_screenshots", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uri", help="an existing MongoDB with the demo data (default: a throw-away server)")
    parser.add_argument("--database", default="newscrawl")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # no request lines

    from newscrawl.web import create_app
    from tools.mongo_server import EmbeddedServer, free_port

    server = None
    with tempfile.TemporaryDirectory(prefix="newscrawl-shots-") as tmp:
        uri = args.uri
        if not uri:
            server = EmbeddedServer(Path(tmp) / "db", free_port()).start()
            uri = server.uri
            crawl_demo(uri, args.database)
        try:
            app = create_app(uri, args.database)
            reader = app.extensions["newscrawl"]["reader"]
            days = reader.days()
            if not days:
                print(f"error: no articles in {args.database} at {uri}: run `make demo` first", file=sys.stderr)
                return 1
            # The day and article pages of the newest French article (the demo's), else of the newest day.
            article = reader.articles.find_one({"language": "fr", "published_date": {"$type": "string"}},
                                               {"published_date": 1}, sort=[("published_at", -1)]) \
                or reader.day(_date(days[0][0]), limit=1)[0][0]
            day = article["published_date"]
            web = make_server("127.0.0.1", 0, app, threaded=True)
            thread = threading.Thread(target=web.serve_forever, daemon=True)
            thread.start()
            try:
                pages = {"days": "/", "day": f"/day/{day}", "article": f"/article/{article['_id']}",
                         "health": "/health"}
                for path in shoot(f"http://127.0.0.1:{web.port}", args.out, pages):
                    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            finally:
                web.shutdown()
        finally:
            if server is not None:
                server.stop()
    return 0


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


if __name__ == "__main__":
    sys.exit(main())
