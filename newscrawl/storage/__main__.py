"""Storage operations: ``python -m newscrawl.storage {replay,runs,indexes}``.

    replay   write spooled documents (var/spool) to MongoDB, exactly once, and print the counts;
             exit code 1 when a line could not be read (quarantined) or a document was refused
    runs     list recent crawl runs (status, counts, duration)
    indexes  create the indexes and print what the server does not support

The URI, database and collection default to the environment (MONGODB_URI, MONGODB_DATABASE,
MONGODB_COLLECTION) or newscrawl/settings.py.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime

from pymongo.errors import PyMongoError

from .mongo import MongoStore, mask_uri
from .spool import replay


def _defaults() -> dict:
    from newscrawl import settings  # reads the environment itself

    return {"uri": settings.MONGODB_URI, "database": settings.MONGODB_DATABASE,
            "collection": settings.MONGODB_COLLECTION}


def _fmt_time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else ("-" if value is None else str(value))


def _fmt_duration(seconds) -> str:
    if not isinstance(seconds, (int, float)):
        return "-"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


# Table column -> where a run document keeps it: `counts` (upsert_batch keys) or `items` (the
# CrawlRunRecorder extension, newscrawl/extensions.py).
_COUNT_COLUMNS = (("stored", "inserted", "stored"), ("updated", "updated", "updated"),
                  ("unchanged", "unchanged", "unchanged"), ("duplicate", "aliased", "duplicate"),
                  ("spooled", "spooled", "spooled"))


def _count(run: dict, counts_key: str, items_key: str) -> str:
    for section, key in (("counts", counts_key), ("items", items_key)):
        value = (run.get(section) or {}).get(key)
        if value is not None:
            return str(value)
    return "-"


def runs_table(runs: list[dict]) -> str:
    """Crawl runs as an aligned text table."""
    header = ["started (UTC)", "spider", "status", "duration", *(c[0] for c in _COUNT_COLUMNS), "run_id"]
    rows = []
    for run in runs:
        status = str(run.get("status") or "-")
        reason = run.get("finish_reason")
        if reason and reason != "finished":
            status += f" ({reason})"
        if run.get("outcome") not in (None, "ok"):   # degraded / failed (README "Operations")
            status += f" [{run['outcome']}]"
        rows.append([_fmt_time(run.get("started_at")), str(run.get("spider") or "-"), status,
                     _fmt_duration(run.get("duration_s")),
                     *(_count(run, c, i) for _, c, i in _COUNT_COLUMNS), str(run.get("run_id"))])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = set(range(4, 4 + len(_COUNT_COLUMNS)))
    lines = []
    for row in [header, *rows]:
        cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    defaults = _defaults()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--uri", default=defaults["uri"], help="MongoDB URI (default: $MONGODB_URI or settings)")
    common.add_argument("--database", default=defaults["database"], help="database (default: %(default)s)")
    common.add_argument("--collection", default=defaults["collection"], help="articles collection (default: %(default)s)")
    common.add_argument("--timeout-ms", type=int, default=5000, help="server selection timeout (default: %(default)s)")
    parser = argparse.ArgumentParser(prog="python -m newscrawl.storage", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_replay = sub.add_parser("replay", parents=[common], help="replay spooled documents into MongoDB")
    p_replay.add_argument("--spool", default="var/spool", help="spool directory (default: %(default)s)")
    p_replay.add_argument("--batch-size", type=int, default=500)
    p_runs = sub.add_parser("runs", parents=[common], help="list recent crawl runs")
    p_runs.add_argument("--spider", help="only this spider's runs")
    p_runs.add_argument("--limit", type=int, default=20, help="at most N runs (default: %(default)s)")
    sub.add_parser("indexes", parents=[common], help="create indexes; print unsupported features")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)

    store = MongoStore(args.uri, args.database, args.collection, server_timeout_ms=args.timeout_ms)
    try:
        if args.command == "replay":
            counts = replay(store, args.spool, batch_size=args.batch_size)
            print(f"replayed {counts['files']} file(s), {counts['documents']} document(s) from {args.spool} "
                  f"into {mask_uri(args.uri)} {args.database}.{args.collection}: "
                  + " ".join(f"{k}={counts[k]}" for k in ("inserted", "updated", "unchanged", "aliased", "rejected",
                                                          "bad_lines")))
            if counts["bad_lines"] or counts["rejected"]:
                # Not a clean replay: say where the unreadable lines and the refused documents are.
                for label, key in (("unreadable lines kept in", "quarantine"), ("refused documents in", "rejects")):
                    if counts[key]:
                        print(f"{label} {counts[key]}", file=sys.stderr)
                return 1
        elif args.command == "runs":
            runs = store.list_runs(args.spider, args.limit)
            print(runs_table(runs) if runs else "no crawl runs recorded")
        else:
            warnings = store.ensure_indexes()
            print("indexes ok" + ("" if not warnings else "; not supported by this server:\n  " + "\n  ".join(warnings)))
    except PyMongoError as exc:
        print(f"error: {mask_uri(args.uri)}: {type(exc).__name__}: {str(exc).split(', Timeout:')[0]}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
