"""`python -m newscrawl.ops runs [--spider S] [--limit 5] [--failed]`: recent runs per spider from
crawl_runs (status and outcome, counts, duration) and the reasons of degraded and failed runs."""

from __future__ import annotations

import sys

from pymongo import DESCENDING
from pymongo.errors import PyMongoError

from newscrawl.storage.__main__ import runs_table
from newscrawl.storage.mongo import MongoStore, mask_uri


def main(args) -> int:
    from newscrawl import settings

    uri = args.uri or settings.MONGODB_URI
    database = args.database or settings.MONGODB_DATABASE
    store = MongoStore(uri, database, settings.MONGODB_COLLECTION, server_timeout_ms=args.timeout_ms)
    try:
        spiders = [args.spider] if args.spider else sorted(s for s in store.runs.distinct("spider") if s)
        if not spiders:
            print("no crawl runs recorded")
            return 0
        query_extra = {"status": "failed"} if args.failed else {}
        for n, spider in enumerate(spiders):
            runs = list(store.runs.find({"spider": spider, **query_extra}, {"_id": 0})
                        .sort("started_at", DESCENDING).limit(args.limit))
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
