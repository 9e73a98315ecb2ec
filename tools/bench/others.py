"""news-please's and Fundus's extraction timed over the development pages, for `bench scale`.

Runs in the bench's own venv (`.bench-venv/`, where both are installed; newscrawl is not), from the
repository root: ``python -m tools.bench.others REALPAGES PASSES OUT.json``. Imports neither
newscrawl nor the other benchmarks. Writes, per extractor, the pages, passes, wall and CPU seconds,
failures and each page's (title, body, date) of the first pass, or the error that kept it out.
"""

import gzip
import json
import logging
import sys
import time
import warnings
from datetime import datetime
from importlib.metadata import version
from urllib.parse import urlsplit


def timed(todo, extract, passes: int) -> dict:
    """todo: [(case, arg)]; extract(case, arg) -> (title, body, date) or raises."""
    for case, arg in todo[:3]:                      # warm-up (lazy imports, caches)
        try:
            extract(case, arg)
        except Exception:
            pass
    outputs, failed, errors = {}, 0, {}
    wall = cpu = 0.0
    for p in range(passes):
        t, c = time.perf_counter(), time.process_time()
        for case, arg in todo:
            try:
                got = extract(case, arg)
            except Exception as exc:
                got = None
                if p == 0:
                    failed += 1
                    errors.setdefault(f"{type(exc).__name__}: {str(exc)[:150]}", []).append(case["id"])
            if p == 0:
                outputs[case["id"]] = got
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
    return {"pages": len(todo), "passes": passes, "wall_s": wall, "cpu_s": cpu, "failed": failed,
            "errors": errors, "outputs": outputs}


def news_please(cases, html, passes: int) -> dict:
    from newsplease import NewsPlease

    def extract(case, _):
        a = NewsPlease.from_html(html[case["id"]], url=case["url"], fetch_images=False)
        return a.title, a.maintext, str(a.date_publish) if a.date_publish else None
    result = timed([(c, None) for c in cases], extract, passes)
    result["version"] = version("news-please")
    return result


def fundus(cases, html, passes: int) -> dict:
    from fundus import PublisherCollection

    def host(u):
        h = (urlsplit(u).hostname or "").lower()
        return h[4:] if h.startswith("www.") else h
    by_host = {}
    for pub in PublisherCollection:
        for d in [pub.domain] + list(getattr(pub, "deprecated_domains", None) or []):
            by_host.setdefault(host(d), pub)
    todo = [(c, by_host[host(c["url"])]) for c in cases if host(c["url"]) in by_host]

    def extract(case, pub):
        crawl_date = datetime.fromisoformat(case["crawl_date"][:19]) if case.get("crawl_date") else None
        ex = pub.parser(crawl_date).parse(html[case["id"]], "raise")
        date = ex.get("publishing_date")
        return ex.get("title"), str(ex["body"]) if ex.get("body") is not None else None, str(date) if date else None
    result = timed(todo, extract, passes)
    result["version"] = version("fundus")
    result["supported_ids"] = [c["id"] for c, _ in todo]
    result["publishers"] = len({p.name for _, p in todo})
    return result


def main(argv: list[str]) -> int:
    realpages, passes, out_path = argv[0], int(argv[1]), argv[2]
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    with open(f"{realpages}/cases.jsonl", encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    html = {}
    for c in cases:
        with gzip.open(f"{realpages}/pages/{c['id']}.html.gz") as f:
            html[c["id"]] = f.read().decode("utf-8", "replace")
    result = {}
    for name, run in (("news-please", news_please), ("fundus", fundus)):
        try:
            result[name] = run(cases, html, passes)
        except Exception as exc:   # one that cannot run does not keep the other out
            result[name] = {"error": f"{type(exc).__name__}: {exc}"}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
