"""The runs listing: ``python -m newscrawl.ops runs [--spider S] [--limit 5] [--failed]`` (recent runs
per spider from crawl_runs: status and outcome, duration, what the store did with the articles
(stored, updated, unchanged, aliased, duplicate, spooled), and the reasons of degraded and failed
runs); `runs_table` also serves ``python -m newscrawl.storage runs``.

The listing lives with the crawl runs it reads (newscrawl/runs/store.py), not with the scrapyd
operations of newscrawl/ops/, which only dispatches to it."""

from __future__ import annotations

import sys
from datetime import datetime

from pymongo.errors import PyMongoError

from newscrawl.runs.store import RunStore
from newscrawl.storage.client import mask_uri


def _fmt_time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else ("-" if value is None else str(value))


def _fmt_duration(seconds) -> str:
    if not isinstance(seconds, (int, float)):
        return "-"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


# Table column -> where a run document keeps it: `counts` (upsert_batch keys), `items` (the
# CrawlRunRecorder extension, newscrawl/runs/recorder.py), else its namespaced `stats` (runs recorded
# before `items` had the key). aliased: stored as an alias of an article already stored (a copy under
# another URL), so a run of copies does not read as "stored 0" with nothing else.
_COUNT_COLUMNS = (("stored", "inserted", "stored", None),
                  ("updated", "updated", "updated", None),
                  ("unchanged", "unchanged", "unchanged", "newscrawl/mongodb/unchanged"),
                  ("aliased", "aliased", "aliased", "newscrawl/mongodb/aliased"),
                  ("duplicate", None, "duplicate", None),
                  ("spooled", "spooled", "spooled", "newscrawl/mongodb/spooled"))


def _count(run: dict, counts_key: str | None, items_key: str, stats_key: str | None) -> str:
    for section, key in (("counts", counts_key), ("items", items_key), ("stats", stats_key)):
        value = (run.get(section) or {}).get(key) if key else None
        if value is not None:
            return str(value)
    # Stats only hold the counts that happened: a recorded run without the key counted none.
    return "0" if stats_key and isinstance(run.get("stats"), dict) else "-"


def runs_table(runs: list[dict]) -> str:
    """Crawl runs as an aligned text table."""
    header = ["started (UTC)", "spider", "status", "duration", *(c[0] for c in _COUNT_COLUMNS), "run_id"]
    rows = []
    for run in runs:
        status = str(run.get("status") or "-")
        reason = run.get("finish_reason")
        if reason and reason != "finished":
            status += f" ({reason})"
        if run.get("outcome") not in (None, "ok"):   # degraded / failed (docs/operations.md)
            status += f" [{run['outcome']}]"
        rows.append([_fmt_time(run.get("started_at")), str(run.get("spider") or "-"), status,
                     _fmt_duration(run.get("duration_s")),
                     *(_count(run, *keys) for _, *keys in _COUNT_COLUMNS), str(run.get("run_id"))])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = set(range(4, 4 + len(_COUNT_COLUMNS)))
    lines = []
    for row in [header, *rows]:
        cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def main(args) -> int:
    """`args`: spider, limit, failed, uri, database, timeout_ms (None: from the settings)."""
    from newscrawl import settings

    uri = args.uri or settings.MONGODB_URI
    database = args.database or settings.MONGODB_DATABASE
    store = RunStore(uri, database, server_timeout_ms=args.timeout_ms or settings.MONGODB_SERVER_TIMEOUT_MS)
    try:
        spiders = [args.spider] if args.spider else store.spiders()
        if not spiders:
            print("no crawl runs recorded")
            return 0
        for n, spider in enumerate(spiders):
            runs = store.list(spider, args.limit, failed=args.failed)
            if not runs:
                continue
            if n:
                print()
            print(f"== {spider}")
            print(runs_table(runs))
            for run in runs:
                if run.get("outcome_reasons"):
                    print(f"   {run['run_id']} {run.get('outcome')}: {'; '.join(run['outcome_reasons'])}")
                elif run.get("failure_reasons"):
                    print(f"   {run['run_id']} failed: {'; '.join(run['failure_reasons'])}")
    except PyMongoError as exc:
        print(f"error: {mask_uri(uri)}: {type(exc).__name__}: {str(exc).split(', Timeout:')[0]}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0
