"""RunStore: crawl runs in `<database>.crawl_runs`: record (at start and at the end), list, history.

Settings (`from_settings`; defaults in settings.py): MONGODB_URI, MONGODB_SERVER_TIMEOUT_MS,
MONGODB_DATABASE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING

from newscrawl.storage.client import connect, create_index, mask_uri, utc_now
from newscrawl.article.document import parse_timestamp

RUNS_COLLECTION = "crawl_runs"
RUN_INDEXES = [
    ([("run_id", ASCENDING)], {"name": "run_id_unique", "unique": True}),
    ([("spider", ASCENDING), ("started_at", DESCENDING)], {"name": "spider_started"}),
]


def _safe_keys(value: Any) -> Any:
    """Field names MongoDB and FerretDB accept: no "." anywhere, no leading "$" (stats keys)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            key = str(key).replace(".", "_")
            if key.startswith("$"):
                key = "_" + key[1:]
            out[key] = _safe_keys(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_safe_keys(v) for v in value]
    return value


class RunStore:
    """Crawl runs in `database.crawl_runs`; owns its client (`close()`)."""

    def __init__(self, uri: str, database: str, *, server_timeout_ms: int):
        self.uri = uri
        self.client = connect(uri, server_timeout_ms=server_timeout_ms)
        self.runs = self.client[database][RUNS_COLLECTION]

    @classmethod
    def from_settings(cls, settings) -> "RunStore":
        return cls(settings.get("MONGODB_URI"), settings.get("MONGODB_DATABASE"),
                   server_timeout_ms=settings.getint("MONGODB_SERVER_TIMEOUT_MS"))

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "RunStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RunStore {mask_uri(self.uri)} {self.runs.full_name}>"

    def ensure_indexes(self, warn=lambda message: None) -> None:
        for keys, options in RUN_INDEXES:
            create_index(self.runs, keys, options, warn)

    def record(self, doc: dict) -> None:
        """Insert or update (by `run_id`) a crawl run; fields given are set, others kept, so a run can
        be recorded at start and again at the end. ISO strings in `started_at` / `finished_at` become
        datetimes; `duration_s` is computed when both are known. Dots and leading "$" in field names
        (Scrapy stats keys) become "_"."""
        if not doc.get("run_id"):
            raise ValueError("a crawl run needs a run_id")
        run = _safe_keys(dict(doc))
        for key in ("started_at", "finished_at"):
            if isinstance(run.get(key), (str, datetime)):
                run[key] = parse_timestamp(run[key], key)[0]
        times = {k: run[k] for k in ("started_at", "finished_at") if isinstance(run.get(k), datetime)}
        if run.get("duration_s") is None and len(times) == 1:  # the other end may be stored already
            before = self.runs.find_one({"run_id": run["run_id"]}, {"started_at": 1, "finished_at": 1}) or {}
            times = {k: times.get(k, before.get(k)) for k in ("started_at", "finished_at")}
        if run.get("duration_s") is None and all(isinstance(times.get(k), datetime) for k in ("started_at", "finished_at")):
            run["duration_s"] = round((times["finished_at"] - times["started_at"]).total_seconds(), 3)
        run["updated_at"] = utc_now()
        run.pop("_id", None)
        self.runs.update_one({"run_id": run["run_id"]}, {"$set": run}, upsert=True)

    def list(self, spider: str | None = None, limit: int = 20, *, failed: bool = False) -> list[dict]:
        """Recent crawl runs (of `spider`; only failed ones with `failed`), newest first."""
        query: dict = {"spider": spider} if spider else {}
        if failed:
            query["status"] = "failed"
        return list(self.runs.find(query, {"_id": 0}).sort("started_at", DESCENDING).limit(limit))

    def spiders(self) -> list[str]:
        """The spiders with recorded runs, by name."""
        return sorted(s for s in self.runs.distinct("spider") if s)

    def history(self, spider: str, exclude_run_id: str | None, limit: int) -> list[dict]:
        """`quality` of the spider's last `limit` finished (not failed) runs, newest first (the
        health monitor's baseline)."""
        query: dict = {"spider": spider, "status": "finished", "quality": {"$exists": True}}
        if exclude_run_id:
            query["run_id"] = {"$ne": exclude_run_id}
        cursor = self.runs.find(query, {"_id": 0, "quality": 1}).sort("started_at", -1).limit(limit)
        return [doc["quality"] for doc in cursor if isinstance(doc.get("quality"), dict)]
