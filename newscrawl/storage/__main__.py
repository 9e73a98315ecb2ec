"""Storage operations: ``python -m newscrawl.storage {replay,runs,indexes}``.

    replay   write spooled documents (MONGODB_SPOOL_DIR, default <data dir>/spool) to MongoDB, exactly
             once, and print the counts; a progress bar on stderr when it is a terminal (or --progress);
             exit code 1 when a line could not be read (quarantined) or a document was refused
    runs     list recent crawl runs (status, counts, duration)
    indexes  create the indexes and print what the server does not support

The URI, database, collection, timeout and spool directory default to newscrawl/settings.py (which
reads only MONGODB_URI from the environment); the options override them.
"""

from __future__ import annotations

import argparse
import logging
import sys

from pymongo.errors import PyMongoError

from newscrawl.runs.cli import runs_table
from newscrawl.runs.store import RunStore

from .articles import ArticleStore
from .client import mask_uri
from .spool import pending_lines, replay, spool_dir


def _defaults() -> dict:
    from newscrawl import settings  # MONGODB_URI from the environment

    return {"uri": settings.MONGODB_URI, "database": settings.MONGODB_DATABASE,
            "collection": settings.MONGODB_COLLECTION, "timeout_ms": settings.MONGODB_SERVER_TIMEOUT_MS,
            "spool": str(spool_dir(settings))}


def _replay(store: ArticleStore, args) -> dict:
    """replay() with a tqdm bar on stderr (documents replayed of those waiting, set aside) when stderr
    is a terminal or --progress asks for it; the log lines go above the bar."""
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    try:
        from tqdm import tqdm
        from tqdm.contrib.logging import logging_redirect_tqdm
    except ImportError:   # the bar is a convenience: replay without it
        show = False
    if not show:
        return replay(store, args.spool, batch_size=args.batch_size)
    with tqdm(total=pending_lines(args.spool), desc="replay", unit="doc", file=sys.stderr,
              dynamic_ncols=True) as bar, logging_redirect_tqdm():
        def progress(counts: dict) -> None:
            bar.update(counts["documents"] + counts["bad_lines"] - bar.n)
            bar.set_postfix(set_aside=counts["rejected"] + counts["bad_lines"], refresh=False)

        return replay(store, args.spool, batch_size=args.batch_size, progress=progress)


def main(argv: list[str] | None = None) -> int:
    defaults = _defaults()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--uri", default=defaults["uri"], help="MongoDB URI (default: $MONGODB_URI or settings)")
    common.add_argument("--database", default=defaults["database"], help="database (default: %(default)s)")
    common.add_argument("--collection", default=defaults["collection"], help="articles collection (default: %(default)s)")
    common.add_argument("--timeout-ms", type=int, default=defaults["timeout_ms"], help="server selection timeout (default: %(default)s)")
    parser = argparse.ArgumentParser(prog="python -m newscrawl.storage", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_replay = sub.add_parser("replay", parents=[common], help="replay spooled documents into MongoDB")
    p_replay.add_argument("--spool", default=defaults["spool"], help="spool directory (default: %(default)s)")
    p_replay.add_argument("--batch-size", type=int, default=500)
    p_replay.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                          help="progress bar on stderr (default: when stderr is a terminal)")
    p_runs = sub.add_parser("runs", parents=[common], help="list recent crawl runs")
    p_runs.add_argument("--spider", help="only this spider's runs")
    p_runs.add_argument("--limit", type=int, default=20, help="at most N runs (default: %(default)s)")
    sub.add_parser("indexes", parents=[common], help="create indexes; print unsupported features")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)

    store = ArticleStore(args.uri, args.database, args.collection, server_timeout_ms=args.timeout_ms)
    runs = RunStore(args.uri, args.database, server_timeout_ms=args.timeout_ms)
    try:
        if args.command == "replay":
            counts = _replay(store, args)
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
            recent = runs.list(args.spider, args.limit)
            print(runs_table(recent) if recent else "no crawl runs recorded")
        else:
            warnings = store.ensure_indexes()
            runs.ensure_indexes(warnings.append)
            print("indexes ok" + ("" if not warnings else "; not supported by this server:\n  " + "\n  ".join(warnings)))
    except PyMongoError as exc:
        print(f"error: {mask_uri(args.uri)}: {type(exc).__name__}: {str(exc).split(', Timeout:')[0]}", file=sys.stderr)
        return 1
    finally:
        store.close()
        runs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
