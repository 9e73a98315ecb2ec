"""`python -m tools.bench extraction`: extraction quality and cost on ../shared/realpages, ours, trafilatura's
and Fundus's, in one run.

1. The real `warc` spider over a WARC of the pages (`--rounds` copies under other URLs; extraction only,
   no item pipelines): quality of its items (`newscrawl / all`) and its wall ms per page.
2. In this process, per page and `--rounds` timed passes after an untimed warm-up, CPU time
   (`time.process_time`) of `page_for(url, bytes, crawled_at=...).to_item()` as the spider calls it,
   of the same with `generic=True` (what NEWSCRAWL_GENERIC_EXTRACTION=true does: no page module, no
   source declaration, no publisher hint: `newscrawl / generic`), and of trafilatura
   (`extract(..., with_metadata=True)`). A check that the loop's items are the spider's is printed.
3. Fundus (`tools/bench/fundus_runner.py`) in its own venv, var/bench-venvs/fundus (created on first
   use: fundus==0.5.7 curl_cffi==0.13.0; skipped with a message when it cannot be made), on the pages
   of the publishers it covers, only the parse timed.
4. CPU per page and quality over all pages, over the launch sources' pages (routed to a page module)
   and over the pages Fundus covers, every extractor on exactly those pages (Fundus on its own).
5. Per launch source: pages, body F1 / title / timestamp with its module and on the generic path, CPU
   ms per page ours (module, generic) and Fundus's.
6. Pages under body F1 0.8 (all) and 0.6 (generic) with precision, recall and word counts.
7. Leave one out: every per-publisher table in newscrawl/extract and newscrawl/pages (a module-level
   collection keyed by domain names, e.g. `hints.HEADLINE_FROM_OG_TITLE`), each entry removed in turn
   (the others kept), its publisher's pages scored with and without it.

`--out FILE` (or `--json FILE`) writes everything, per-page rows included, as JSON for diffing runs.
"""

import importlib
import json
import pkgutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from tools.paths import ROOT

from . import extraction_scores as sc
from . import realpages

FUNDUS_VENV = ROOT / "var" / "bench-venvs" / "fundus"
FUNDUS_REQUIREMENTS = ["fundus==0.5.7", "curl_cffi==0.13.0"]   # fundus 0.5.7 fails to import with curl_cffi 0.17
ALL_UNDER, GENERIC_UNDER = 0.8, 0.6
EXTRACTORS = ("newscrawl / all", "newscrawl / generic", "trafilatura", "fundus")


def run_spider(spider: str, spider_args: dict, settings: dict) -> tuple[list[dict], float, dict]:
    """Run one crawl in this process; returns (items, seconds, stats)."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    project = get_project_settings()
    # Callback errors are counted (spider_exceptions/*) and reported, not logged page by page.
    project.setdict({"LOG_LEVEL": "CRITICAL", "MONGODB_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
                     **settings}, priority="cmdline")
    project.set("LOG_INSTALL_ROOT_HANDLER", True)
    process = CrawlerProcess(project)
    crawler = process.create_crawler(spider)
    items, times = [], {}

    # Signal receivers are weak references: keep them as named locals.
    def on_item(item, **_):
        items.append(dict(item))

    def on_open(**_):
        times["start"] = time.perf_counter()

    def on_close(**_):
        times["end"] = time.perf_counter()

    crawler.signals.connect(on_item, signal=signals.item_scraped)
    crawler.signals.connect(on_open, signal=signals.spider_opened)
    crawler.signals.connect(on_close, signal=signals.spider_closed)
    process.crawl(crawler, **spider_args)
    process.start()
    return items, times["end"] - times["start"], crawler.stats.get_stats()


# --- timed loops in this process -----------------------------------------------------------------------

def crawled_at(case: dict) -> datetime:
    """The crawl date as the warc spider reads it from the WARC record (UTC)."""
    return datetime.fromisoformat(realpages.warc_date(case).replace("Z", "+00:00"))


def timed_loop(cases, pages: dict, extract, rounds: int) -> dict:
    """extract(case, bytes) -> item dict or None, per page: an untimed warm-up pass (lazy imports,
    caches) whose outputs are kept, then `rounds` timed passes. A page that raises gives None and
    its error; it never stops the loop."""
    items, errors = {}, {}
    cpu = defaultdict(float)
    wall = defaultdict(float)
    for n in range(rounds + 1):
        for case in cases:
            w, c = time.perf_counter(), time.process_time()
            try:
                got = extract(case, pages[case["id"]])
            except Exception as exc:
                got = None
                errors[case["id"]] = f"{type(exc).__name__}: {str(exc)[:200]}"
            c, w = time.process_time() - c, time.perf_counter() - w
            if n == 0:
                items[case["id"]] = got
            else:
                cpu[case["id"]] += c
                wall[case["id"]] += w
    return {"items": items, "cpu_s": {i: s / rounds for i, s in cpu.items()},
            "wall_s": {i: s / rounds for i, s in wall.items()}, "errors": errors}


def ours(generic: bool):
    from newscrawl.pages import NotAnArticle, page_for

    def extract(case, body):
        try:
            return dict(page_for(case["url"], body, content_type="text/html", crawled_at=crawled_at(case),
                                 generic=generic).to_item())
        except NotAnArticle:
            return None
    return extract


def without_metadata(body: bytes) -> bytes:
    """The page as a design without metadata would serve it, the shown text unchanged: no scripts
    (JSON-LD, state), no <meta> or <link>, <time> without its datetime, no itemprop / content /
    data-date attributes. The generic path then reads what a reader sees, as on older or
    hand-made sites nobody tuned for."""
    import lxml.html

    from newscrawl.extract.text import decode_html

    tree = lxml.html.document_fromstring(decode_html(body, None)[0])
    for el in tree.xpath("//script|//meta|//link"):
        el.drop_tree()
    for el in tree.iter("time"):
        el.tag = "span"
    for el in tree.xpath("//*[@datetime or @itemprop or @content or @data-timestamp or @data-date]"):
        for attr in ("datetime", "itemprop", "content", "data-timestamp", "data-date"):
            el.attrib.pop(attr, None)
    return b'<meta charset="utf-8">' + lxml.html.tostring(tree, encoding="utf-8")


def trafilatura_extract(case, body):
    import trafilatura

    result = trafilatura.extract(body, url=case["url"], output_format="json", with_metadata=True,
                                 include_comments=False)
    data = json.loads(result) if result else {}
    if not data:
        return None
    return {"title": data.get("title"), "body": data.get("text"), "published_at": data.get("date"),
            "authors": [a.strip() for a in (data.get("author") or "").split(";") if a.strip()]}


# --- Fundus in its own venv ------------------------------------------------------------------------------

def fundus_python(log) -> tuple[Path | None, str | None]:
    """Fundus's venv, made on first use; (python, None) or (None, why it cannot be had)."""
    python = FUNDUS_VENV / "bin" / "python"
    check = [str(python), "-c", "import fundus"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, None
    log(f"installing {' '.join(FUNDUS_REQUIREMENTS)} into {FUNDUS_VENV} ...")
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(FUNDUS_VENV)], check=True, capture_output=True)
        proc = subprocess.run([str(python), "-m", "pip", "install", "-q", *FUNDUS_REQUIREMENTS],
                              capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    if proc.returncode != 0 or subprocess.run(check, capture_output=True).returncode != 0:
        return None, f"pip install failed: {proc.stderr.strip()[-500:]}"
    return python, None


def run_fundus(rounds: int, log) -> dict:
    """{"version", "items": id -> item, "cpu_s", "wall_s", "errors"} or {"skipped": why}."""
    python, why = fundus_python(log)
    if python is None:
        return {"skipped": why}
    with tempfile.TemporaryDirectory(prefix="bench-fundus-") as tmp:
        out = Path(tmp) / "fundus.json"
        proc = subprocess.run([str(python), "-m", "tools.bench.fundus_runner", str(realpages.REALPAGES), str(rounds),
                               str(out)], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0 or not out.exists():
            return {"skipped": f"the runner failed: {proc.stderr.strip()[-1000:]}"}
        data = json.loads(out.read_text(encoding="utf-8"))
    items, errors, cpu, wall = {}, {}, {}, {}
    for case_id, page in data["pages"].items():
        if "error" in page:
            errors[case_id] = page["error"]
            items[case_id] = None
        else:
            items[case_id] = {"title": page.get("title"), "body": page.get("body"),
                              "published_at": page.get("published"), "authors": page.get("authors")}
        cpu[case_id], wall[case_id] = page["cpu_s"] / data["rounds"], page["wall_s"] / data["rounds"]
    return {"version": data["version"], "items": items, "cpu_s": cpu, "wall_s": wall, "errors": errors}


# --- per-publisher tables, left out one entry at a time -----------------------------------------------

def publisher_tables() -> dict[str, dict]:
    """'module.NAME' -> {"value", "holders": [(module, name)]}: module-level collections keyed by domain
    names in newscrawl.extract and newscrawl.pages (every module holding the same object, so a name
    imported elsewhere is replaced there too)."""
    modules = []
    for package_name in ("newscrawl.extract", "newscrawl.pages"):
        package = importlib.import_module(package_name)
        modules.append(package)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            try:
                modules.append(importlib.import_module(info.name))
            except Exception:   # a module that cannot be imported alone is not a table's home
                continue
    from newscrawl.sources import Source

    found: dict[int, dict] = {}
    for module in modules:
        for name, value in vars(module).items():
            if name.startswith("__") or sc.domain_keys(value) is None:
                continue
            # The routing of domains to page modules (built from the source declarations): the page
            # modules' leave-out is the generic path, in the per-source table.
            if isinstance(value, dict) and all(isinstance(v, Source) for v in value.values()):
                continue
            entry = found.setdefault(id(value), {"value": value, "holders": []})
            entry["holders"].append((module, name))
    # Every newscrawl module holding the object (a `from ... import TABLE` outside the two packages).
    for entry in found.values():
        for mod_name, module in list(sys.modules.items()):
            if mod_name.startswith("newscrawl") and module is not None:
                for name, value in list(vars(module).items()):
                    if value is entry["value"] and (module, name) not in entry["holders"]:
                        entry["holders"].append((module, name))
    tables = {}
    for entry in found.values():
        # Named after the holder whose module defines it (the name it is written under in its module).
        module, name = min(entry["holders"], key=lambda h: (h[1] != h[1].upper(), h[0].__name__))
        tables[f"{module.__name__}.{name}"] = entry
    return tables


def leave_one_out(cases, pages: dict, with_items: dict) -> list[dict]:
    """Each entry of each per-publisher table removed in turn: its pages (all mode) with and without."""
    extract = ours(generic=False)
    results = []
    for table_name, entry in sorted(publisher_tables().items()):
        original = entry["value"]
        for key in sorted(sc.domain_keys(original)):
            mine = [c for c in cases if sc.entry_applies(key, c["url"])]
            if not mine:
                results.append({"table": table_name, "entry": key, "pages": 0})
                continue
            reduced = sc.without(original, key)
            for module, name in entry["holders"]:
                setattr(module, name, reduced)
            try:
                without = {}
                for case in mine:
                    try:
                        without[case["id"]] = extract(case, pages[case["id"]])
                    except Exception:
                        without[case["id"]] = None
            finally:
                for module, name in entry["holders"]:
                    setattr(module, name, original)
            with_rows = [sc.score_page(c, with_items.get(c["id"])) for c in mine]
            without_rows = [sc.score_page(c, without[c["id"]]) for c in mine]
            results.append({"table": table_name, "entry": key, "pages": len(mine),
                            "ids": [c["id"] for c in mine],
                            "changed": sum(sc.diff_items(with_items.get(c["id"]), without[c["id"]]) for c in mine),
                            "with": sc.summarise(with_rows), "without": sc.summarise(without_rows)})
    return results


# --- the run ----------------------------------------------------------------------------------------------

def launch_source_of(url: str) -> str | None:
    """The launch source whose page module the URL is routed to (None: generic page)."""
    from newscrawl.pages import ArticlePage, page_class_for

    try:
        cls = page_class_for(url)
    except Exception:
        return None
    return cls.source.slug if cls is not ArticlePage and getattr(cls, "source", None) else None


def git_state() -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "modified": [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]}


def source_names(cases, items: dict) -> dict | None:
    """How many pages name the publisher as ../shared/publishers.json does (case aside), how many a
    bare domain."""
    from newscrawl.extract.urls import is_bare_domain

    names = realpages.publisher_names()
    if not names:
        return None
    got = [(items.get(c["id"]) or {}).get("source_name") or "" for c in cases]
    return {"as_publishers_json": sum(g.casefold() == names.get(c["publisher"], "").casefold()
                                      for g, c in zip(got, cases)),
            "bare_domain": sum(is_bare_domain(g) for g in got), "pages": len(cases)}


def item_facts(items: dict) -> dict:
    """Counts of what the items say about their own reading (keys absent in older code are left out):
    `published_at_source.precision` and `.zone_rule`."""
    facts: dict[str, dict] = {}
    for item in items.values():
        source = (item or {}).get("published_at_source")
        if not isinstance(source, dict):
            continue
        for key in ("precision", "zone_rule"):
            if key in source:
                counts = facts.setdefault(f"published_at_source.{key}", {})
                counts[str(source[key])] = counts.get(str(source[key]), 0) + 1
    return facts


def main(args) -> int:
    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0

    def log(line: str = "") -> None:
        print(line, file=sys.stderr, flush=True)

    rounds = max(1, args.rounds)
    cases = realpages.load_cases()
    if args.publisher:
        cases = [c for c in cases if c["publisher"] in args.publisher.split(",")]
    by_id = {c["id"]: c for c in cases}
    pages = {c["id"]: realpages.page_bytes(c) for c in cases}

    log(f"warc spider over {len(cases)} pages x {rounds} ...")
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "realpages.warc.gz"
        realpages.build_warc(warc, cases, repeat=rounds)
        items, seconds, stats = run_spider("warc", {"path": str(warc)}, {"ITEM_PIPELINES": {}})
    by_url = {i["fetched_url"]: i for i in items}
    spider_items = {c["id"]: by_url.get(c["url"]) for c in cases}

    log("page_for loops (all, generic), trafilatura ...")
    runs = {"newscrawl / all": timed_loop(cases, pages, ours(generic=False), rounds),
            "newscrawl / generic": timed_loop(cases, pages, ours(generic=True), rounds),
            "trafilatura": timed_loop(cases, pages, trafilatura_extract, rounds)}
    log("bare pages (metadata taken out): newscrawl generic, trafilatura ...")
    bare = {i: without_metadata(body) for i, body in pages.items()}
    runs["newscrawl / bare"] = timed_loop(cases, bare, ours(generic=True), rounds)
    runs["trafilatura / bare"] = timed_loop(cases, bare, trafilatura_extract, rounds)
    if args.no_fundus:
        runs["fundus"] = {"skipped": "--no-fundus"}
    else:
        log("fundus ...")
        runs["fundus"] = run_fundus(rounds, log)
        if "items" in runs["fundus"]:   # only the pages of this run (--publisher)
            for key in ("items", "cpu_s", "wall_s", "errors"):
                runs["fundus"][key] = {i: v for i, v in runs["fundus"][key].items() if i in by_id}
    loop_differs = [i for i in by_id if sc.diff_items(runs["newscrawl / all"]["items"].get(i), spider_items.get(i))]

    rows = {}
    for name, run in runs.items():
        if "items" not in run:
            continue
        covered = [c for c in cases if c["id"] in run["items"]]
        # `newscrawl / all` is scored on the spider's items (the crawl's path), timed by the loop.
        got = spider_items if name == "newscrawl / all" else run["items"]
        rows[name] = [sc.score_page(c, got.get(c["id"]), run["cpu_s"].get(c["id"])) for c in covered]

    source_of = {c["id"]: s for c in cases if (s := launch_source_of(c["url"]))}
    fundus_ids = set(runs["fundus"].get("items") or ())
    subsets = {"all pages": set(by_id), "launch sources' pages": set(source_of), "Fundus's pages": fundus_ids}
    cpu_table = {}
    for label, ids in subsets.items():
        # On the Fundus pages every extractor runs on exactly those pages; elsewhere Fundus on the
        # pages of the set it covers (its page count says how many).
        cpu_table[label] = {name: sc.summarise(sc.subset(r, ids)) for name, r in rows.items()} if ids else {}
    sources = sc.per_source(source_of, rows)
    low = {"all": sc.under(rows["newscrawl / all"], ALL_UNDER),
           "generic": sc.under(rows["newscrawl / generic"], GENERIC_UNDER)}
    log("leave one out: per-publisher tables ...")
    loo = leave_one_out(cases, pages, runs["newscrawl / all"]["items"])

    result = {"git": git_state(), "date": datetime.now().astimezone().isoformat(timespec="seconds"),
              "rounds": rounds, "pages": len(cases),
              "spider": {"items": sum(i is not None for i in spider_items.values()),
                         "ms_per_page": 1000 * seconds / (len(cases) * rounds),
                         "dropped": {k.split("/", 2)[2]: v for k, v in stats.items()
                                     if k.startswith("newscrawl/dropped/")},
                         "exceptions": {k.split("/", 1)[1]: v for k, v in stats.items()
                                        if k.startswith("spider_exceptions/")},
                         "layout_miss": {k.split("/", 2)[2]: v for k, v in stats.items()
                                         if k.startswith("newscrawl/layout_miss/")}},
              "facts": {name: item_facts(runs[name]["items"]) for name in ("newscrawl / all", "newscrawl / generic")},
              "loop_equals_spider": len(by_id) - len(loop_differs), "loop_differs": loop_differs,
              "source_name": source_names(cases, spider_items),
              "fundus": {k: v for k, v in runs["fundus"].items() if k in ("version", "skipped", "errors")},
              "errors": {name: run.get("errors", {}) for name, run in runs.items()},
              "overall": {name: sc.summarise(r) for name, r in rows.items()},
              "cpu": cpu_table, "per_source": sources,
              "under": {k: [{f: r[f] for f in ("id", "publisher", "body_f1", "body_precision", "body_recall",
                                                "words", "expected_words", "title")} for r in v]
                        for k, v in low.items()},
              "leave_one_out": loo, "rows": rows}
    report(result, by_id, args.show_worst)
    out = args.json or args.out
    if out:
        Path(out).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


# --- the report ----------------------------------------------------------------------------------------

def fmt(value, width: int = 9, digits: int = 3) -> str:
    if value is None:
        return f"{'-':>{width}}"
    if isinstance(value, float):
        return f"{value:>{width}.{digits}f}"
    return f"{value:>{width}}"


def report(result: dict, by_id: dict, show_worst: int = 0) -> None:
    git = result["git"]
    print(f"bench extraction: {result['pages']} development pages, {result['rounds']} timed rounds, commit "
          f"{git['commit'] or '?'}{' + local changes' if git['modified'] else ''}, {result['date']}")
    cols = ("pages", "items", "body_f1", "body_precision", "body_recall", "title", "timestamp", "timestamp_all",
            "same_day", "authors", "cpu_ms")
    heads = ("pages", "items", "body_f1", "precision", "recall", "title", "timestamp", "ts_all", "same_day",
             "authors", "cpu ms")
    print(f"\n{'extractor':<22}" + "".join(f"{h:>10}" for h in heads))
    for name, s in result["overall"].items():
        print(f"{name:<22}" + "".join(fmt(s[c], 10, 1 if c == "cpu_ms" else 3) for c in cols))
    sp = result["spider"]
    print(f"\nnewscrawl / all: the warc spider's items ({sp['items']} of {result['pages']}), "
          f"{sp['ms_per_page']:.1f} ms per page wall (spider, {result['rounds']} copies of each page); cpu ms: "
          f"page_for(...).to_item() alone, mean of {result['rounds']} rounds. The loop's items equal the "
          f"spider's on {result['loop_equals_spider']} of {result['pages']} pages"
          + (f" (not on {', '.join(result['loop_differs'][:5])})." if result["loop_differs"] else "."))
    print("newscrawl / generic: page_for(..., generic=True) (NEWSCRAWL_GENERIC_EXTRACTION=true): no page "
          "module, no source declaration, no publisher hint.")
    print("... / bare: the same pages without their metadata (scripts, JSON-LD, <meta>, <time datetime>, "
          "itemprop; the shown text kept), newscrawl generic and trafilatura: what a site nobody tuned for "
          "and without markup for machines gives. The expected titles are often the metadata's (SEO) "
          "headline, so the bare title figure is a floor.")
    if "skipped" in result["fundus"]:
        print(f"fundus: skipped ({result['fundus']['skipped']})")
    else:
        print(f"fundus {result['fundus']['version']}: the pages of the publishers it covers; its own venv, "
              f"only the parse timed. The expected values of the development pages are Fundus's own output "
              f"where it covers the publisher, so its quality figures here are not a fair comparison.")
    if result.get("source_name"):
        n = result["source_name"]
        print(f"source_name: {n['as_publishers_json']} of {n['pages']} pages name the publisher as "
              f"../shared/publishers.json does (case aside); {n['bare_domain']} give a bare domain")
    if sp["dropped"]:
        print("spider dropped:", sp["dropped"])
    if sp.get("exceptions"):
        print("spider callback exceptions:", sp["exceptions"])
    if sp.get("layout_miss"):
        print("spider layout misses (pages of a launch source its module did not read):", sp["layout_miss"])
    for name, facts in (result.get("facts") or {}).items():
        for key, counts in facts.items():
            print(f"{name}: {key} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
    for name, errors in result["errors"].items():
        if errors:
            print(f"{name}: {len(errors)} pages raised: " + "; ".join(f"{i} {e}" for i, e in list(errors.items())[:5]))

    print(f"\nCPU per page and quality on the same pages ({result['rounds']} rounds; fundus: the pages it covers)")
    cols = ("pages", "cpu_ms", "cpu_ms_median", "body_f1", "title", "timestamp")
    print(f"{'pages / extractor':<44}" + "".join(f"{h:>10}" for h in ("pages", "cpu ms", "median", "body_f1",
                                                                       "title", "timestamp")))
    for label, table in result["cpu"].items():
        for name, s in table.items():
            print(f"{label + ': ' + name:<44}" + "".join(fmt(s[c], 10, 1 if c.startswith("cpu") else 3)
                                                         for c in cols))

    if result["per_source"]:
        print("\nper launch source: module path / generic path; cpu ms per page ours (module, generic) and Fundus's")
        heads = ("pages", "f1 mod", "f1 gen", "title m", "title g", "ts m", "ts g", "ms mod", "ms gen", "ms fundus",
                 "f1 fundus")
        print(f"{'source':<18}" + "".join(f"{h:>10}" for h in heads))
        for slug, by in result["per_source"].items():
            a, g = by["newscrawl / all"], by["newscrawl / generic"]
            f = by.get("fundus") or {}
            print(f"{slug:<18}{a['pages']:>10}" + "".join(fmt(v, 10) for v in (
                a["body_f1"], g["body_f1"], a["title"], g["title"], a["timestamp"], g["timestamp"]))
                + "".join(fmt(v, 10, 1) for v in (a["cpu_ms"], g["cpu_ms"], f.get("cpu_ms") if f.get("pages") else None))
                + fmt(f.get("body_f1") if f.get("pages") else None, 10))

    for mode, limit in (("all", ALL_UNDER), ("generic", GENERIC_UNDER)):
        low = result["under"][mode]
        print(f"\npages under body F1 {limit} (newscrawl / {mode}): {len(low)}")
        for r in low:
            print(f"  {r['id']}  {r['publisher']:<26} f1={r['body_f1']:.3f} precision={r['body_precision']:.3f} "
                  f"recall={r['body_recall']:.3f} words={r['words']}/{r['expected_words']} title={int(r['title'])}  "
                  f"{by_id[r['id']]['url'][:90]}")

    loo = [r for r in result["leave_one_out"] if r["pages"]]
    print(f"\nleave one out: per-publisher tables in newscrawl/extract and newscrawl/pages "
          f"({len({r['table'] for r in result['leave_one_out']})} found), each entry removed in turn (others "
          f"kept), its pages with / without it")
    if loo:
        print(f"{'table entry':<52}{'pages':>6}{'changed':>8}{'title':>14}{'body_f1':>16}{'timestamp':>14}")
        for r in loo:
            w, wo = r["with"], r["without"]
            print(f"{r['table'].rsplit('.', 1)[-1] + ' ' + r['entry']:<52}{r['pages']:>6}{r['changed']:>8}"
                  f"{w['title']:>7.2f}/{wo['title']:<6.2f}{w['body_f1']:>9.3f}/{wo['body_f1']:<6.3f}"
                  + (f"{w['timestamp']:>7.2f}/{wo['timestamp']:<6.2f}" if w["timestamp"] is not None else f"{'-':>14}"))
        total_w = sum(r["with"]["title"] * r["pages"] for r in loo)
        total_wo = sum(r["without"]["title"] * r["pages"] for r in loo)
        n = sum(r["pages"] for r in loo)
        print(f"titles right on these {n} pages: {total_w:.0f} with their entries, {total_wo:.0f} without")
    unused = [f"{r['table'].rsplit('.', 1)[-1]} {r['entry']}" for r in result["leave_one_out"] if not r["pages"]]
    if unused:
        print("entries without development pages: " + ", ".join(unused))
    print("The page modules of the launch sources are the other per-publisher rule: their leave-out is the "
          "generic column of the per-source table.")

    if show_worst:
        print("\nworst pages (newscrawl / all):")
        worst = sorted(result["rows"]["newscrawl / all"],
                       key=lambda r: r["body_f1"] + r["title"] + r["timestamp"])[:show_worst]
        for r in worst:
            print(f"  {r['id']} {r['publisher']:<28} f1={r['body_f1']:.3f} title={int(r['title'])} "
                  f"ts={int(r['timestamp'])} authors={int(r['authors'])} item={int(r['item'])}")
