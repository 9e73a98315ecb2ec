"""Every field of every item on the development pages, as one canonical JSON document and its hash:

    python -m tools.bench fields [--out FILE]

Builds a WARC of ../shared/realpages, runs the real `warc` spider over it in a subprocess (with
the validate, dedupe and language pipelines, without MongoDB), and writes the items keyed by
fetched URL, keys sorted. Two checkouts that print the same sha256 extract the same items; the crawl
command below is the same in every version of the project, so an older checkout can be compared by
running it there on the same WARC.
"""

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.bench import realpages
from tools.paths import ROOT


def dump(out: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        warc, items = Path(tmp) / "realpages.warc.gz", Path(tmp) / "items.jsonl"
        realpages.build_warc(warc, realpages.load_cases())
        subprocess.run([sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={warc}",
                        "-s", "MONGODB_ENABLED=False", "-s", "LOG_LEVEL=WARNING", "-O", str(items)],
                       cwd=ROOT, check=True)
        rows = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = json.dumps({r["fetched_url"]: r for r in rows}, sort_keys=True, indent=1, ensure_ascii=False)
    out.write_text(text, encoding="utf-8")
    print(f"{len(rows)} items, every field: {out}\nsha256 {hashlib.sha256(text.encode()).hexdigest()}")
    return text


def main(args) -> int:
    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    dump(Path(args.out))
    return 0
