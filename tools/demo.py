"""The README's main job, offline: ingest the shipped sample WARC (samples/demo.warc.gz, built from
pages written for this project in tests/fixtures/demo/) through the real `warc` spider and its
pipelines into MongoDB, then print a summary read back from MongoDB.

Without MONGODB_URI in the environment it starts the embedded default (FerretDB, or mongod when on
PATH) with its data under var/ferretdb/, and stops it afterwards. `--no-db` skips storage.

    python -m tools.demo                 run the demo
    python -m tools.demo --build-sample  rebuild samples/demo.warc.gz from the fixture pages
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from tools.paths import ROOT

SAMPLE = ROOT / "samples" / "demo.warc.gz"
FIXTURES = ROOT / "tests" / "fixtures" / "demo"

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


def build_sample(path: Path = SAMPLE) -> int:
    from newscrawl.warc import write_warc

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_warc(str(path), ((url, (FIXTURES / name).read_bytes(), date, ctype)
                                  for name, (url, date, ctype) in PAGES.items()))


def run_crawl(out: Path, extra_args=(), env=None) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={SAMPLE}", "-O", str(out), *extra_args]
    print("$ scrapy", " ".join(cmd[3:]), flush=True)
    return subprocess.call(cmd, cwd=ROOT, env=env)


def summarise_db(uri: str) -> None:
    """Counts per source and language and one sample document, read back from MongoDB."""
    from pymongo import MongoClient

    from newscrawl import settings

    client = MongoClient(uri, serverSelectionTimeoutMS=5000, tz_aware=True)
    try:
        articles = client[settings.MONGODB_DATABASE][settings.MONGODB_COLLECTION]
        total = articles.count_documents({})
        print(f"\nMongoDB {settings.MONGODB_DATABASE}.{settings.MONGODB_COLLECTION}: {total} articles")
        rows = articles.aggregate([{"$group": {"_id": {"source": "$source", "language": "$language"},
                                               "n": {"$sum": 1}}}, {"$sort": {"_id.source": 1}}])
        for row in rows:
            print(f"  {row['_id']['source']:<22} {row['_id'].get('language') or '-':<4} {row['n']}")
        doc = articles.find_one({}, {"body": 0, "minhash": 0, "lsh_bands": 0}, sort=[("published_at", -1)])
        if doc:
            doc["_id"] = str(doc["_id"])
            print("\nnewest document (body, minhash, lsh_bands not shown):")
            print(json.dumps(doc, indent=1, ensure_ascii=False, default=str))
        run = client[settings.MONGODB_DATABASE]["crawl_runs"].find_one({}, sort=[("started_at", -1)])
        if run:
            print(f"\nlast crawl run: {run['spider']} {run['status']} ({run.get('finish_reason')}), "
                  f"{run['items']['stored']} stored, {run['items']['updated']} updated, "
                  f"{run['items']['unchanged']} unchanged, dropped {run.get('dropped') or {}}")
    finally:
        client.close()


def show(out: Path) -> None:
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"\n{len(items)} articles extracted -> {out.relative_to(ROOT)}\n")
    for item in items:
        body = item["body"]
        print(f"[{item['source']}] {item['title']}")
        print(f"  Source: {item['source_name']} | published {item['published_at']} "
              f"({item['published_at_source']['method'] if item['published_at_source'] else '-'}) "
              f"| lang {item['declared_language']} | authors {', '.join(item['authors']) or '-'}")
        print(f"  {item['url']}")
        print(f"  {body[:160]}{'…' if len(body) > 160 else ''}\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-sample", action="store_true", help="rebuild the sample WARC and exit")
    parser.add_argument("--no-db", action="store_true", help="run without MongoDB (items to the feed only)")
    args = parser.parse_args(argv)
    if args.build_sample:
        print(f"wrote {build_sample()} records to {SAMPLE.relative_to(ROOT)}")
        return 0
    out = ROOT / "var" / "demo" / "items.jsonl"
    if args.no_db:
        rc = run_crawl(out, ["-s", "MONGODB_ENABLED=false"])
        if rc == 0:
            show(out)
        return rc
    server = None
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        from tools.mongo_server import EmbeddedServer

        server = EmbeddedServer(ROOT / "var" / "ferretdb").start()
        uri = server.uri
        print(f"embedded {server.kind} on {uri} (data in var/ferretdb/)")
    try:
        rc = run_crawl(out, ["-s", "MONGODB_ENABLED=true"], env={**os.environ, "MONGODB_URI": uri})
        if rc != 0:
            print(f"crawl failed with exit code {rc}", file=sys.stderr)
            return rc
        show(out)
        summarise_db(uri)
    finally:
        if server is not None:
            server.stop()
            print(f"stopped embedded {server.kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
