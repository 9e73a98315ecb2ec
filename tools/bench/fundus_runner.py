"""Fundus's extraction over the development pages, for `bench extraction` (tools/bench/extraction.py).

Runs in Fundus's own venv (var/bench-venvs/fundus: Fundus needs lxml<6 and an old curl_cffi, which our
venv cannot hold), from the repository root:

    python -m tools.bench.fundus_runner REALPAGES ROUNDS OUT.json

Imports neither newscrawl nor the other benchmarks. A case is Fundus's when its publisher key
("de/FAZ") names a publisher of Fundus (`PublisherCollection.de.FAZ`: the cases' keys are Fundus's
own names). Each covered page is parsed from its decoded HTML with the publisher's parser for the
crawl date, `rounds` timed passes after an untimed warm-up pass; only the parse is timed
(`time.process_time` and `perf_counter`). Writes per page: title, body (`str(ArticleBody)`: summary,
then the sections' headlines and paragraphs), publishing date (ISO), authors, CPU and wall seconds
summed over the timed passes, or the error that kept the page out.
"""

import gzip
import json
import logging
import re
import sys
import time
import warnings
from datetime import datetime

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset=["']?([A-Za-z0-9_.:-]{1,40})""", re.I)


def decode(raw: bytes) -> str:
    """The page as text: UTF-8 when it is valid, else the charset the page declares, else cp1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(raw[:4096])
    if m:
        try:
            return raw.decode(m.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return raw.decode("cp1252", "replace")


def publisher_of(collection, key: str):
    """Fundus's publisher for a case key "cc/Name", or None."""
    country, _, name = key.partition("/")
    group = getattr(collection, country.lower(), None)
    return getattr(group, name, None) if group is not None and name else None


def parse(publisher, html: str, crawl_date: datetime | None) -> dict:
    extraction = publisher.parser(crawl_date).parse(html, error_handling="suppress")
    body = extraction.get("body")
    date = extraction.get("publishing_date")
    return {"title": extraction.get("title"), "body": str(body) if body is not None else None,
            "published": date.isoformat() if date else None,
            "authors": [str(a) for a in extraction.get("authors") or []]}


def main(argv: list[str]) -> int:
    realpages, rounds, out_path = argv[0], max(1, int(argv[1])), argv[2]
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    from importlib.metadata import version

    from fundus import PublisherCollection

    with open(f"{realpages}/cases.jsonl", encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    todo = []
    for case in cases:
        publisher = publisher_of(PublisherCollection, case.get("publisher") or "")
        if publisher is None:
            continue
        with gzip.open(f"{realpages}/pages/{case['id']}.html.gz") as f:
            html = decode(f.read())
        try:
            crawl_date = datetime.fromisoformat(case["crawl_date"][:19]) if case.get("crawl_date") else None
        except ValueError:
            crawl_date = None
        todo.append((case["id"], publisher, html, crawl_date))
    pages: dict[str, dict] = {}
    for n in range(rounds + 1):         # pass 0 warms up (lazy imports, compiled selectors), untimed
        for case_id, publisher, html, crawl_date in todo:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                got, error = parse(publisher, html, crawl_date), None
            except Exception as exc:    # one page that breaks the parser does not cost the others
                got, error = None, f"{type(exc).__name__}: {str(exc)[:200]}"
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            page = pages.setdefault(case_id, {"cpu_s": 0.0, "wall_s": 0.0})
            if n == 0:
                page.update(got or {"error": error})
            else:
                page["cpu_s"] += cpu
                page["wall_s"] += wall
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"version": version("fundus"), "rounds": rounds, "pages": pages}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
