"""The spool: documents that could not be written to MongoDB, kept on disk and replayed later.

`write_with_retry` retries a batch on transient errors (connection lost, server selection
timeout, network timeout, a bulk write failing for another reason than a duplicate key) with
exponential backoff, then appends the batch to a `Spool` file and logs its path at ERROR.
`replay` (CLI: ``python -m newscrawl.storage replay``) writes every spooled document through
`MongoStore.upsert_batch`, which is idempotent, so a document replayed twice is still stored once.

Spool files are JSON Lines in MongoDB Extended JSON (relaxed): datetimes as {"$date": ...}, bytes
as {"$binary": ...}, so documents round-trip exactly. One file per process and run:
`spool-<spider>-<UTC timestamp>-<pid>.jsonl`. Each batch is appended under an exclusive `flock`
and fsync'ed; `replay` takes the same lock, so it never reads half a batch, and moves replayed
files to `<spool>/replayed/`. A writer that finds its file moved away starts it again.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from bson import json_util
from bson.json_util import JSONMode, JSONOptions
from pymongo.errors import (AutoReconnect, BulkWriteError, NetworkTimeout, OperationFailure, PyMongoError,
                             ServerSelectionTimeoutError)

from .mongo import COUNT_KEYS, DUPLICATE_KEY, MongoStore, WriteConflict, mask_uri
from .schema import to_document

logger = logging.getLogger(__name__)

UTC = timezone.utc
JSON_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True, tzinfo=UTC)
REPLAYED_DIR = "replayed"
# Server error codes worth retrying (not-primary, shutting down, network, interrupted ...).
TRANSIENT_CODES = {6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436}


def encode(doc: dict) -> str:
    """One spool line (without the newline)."""
    return json_util.dumps(doc, json_options=JSON_OPTIONS, ensure_ascii=False)


def decode(line: str) -> dict:
    return json_util.loads(line, json_options=JSON_OPTIONS)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "run"


class Spool:
    """Appends documents to `directory/spool-<spider>-<timestamp>-<pid>.jsonl` (created on first
    write). Safe to use from several processes: each has its own file."""

    def __init__(self, directory: str | os.PathLike, spider: str = "newscrawl"):
        self.directory = Path(directory)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = self.directory / f"spool-{_slug(spider)}-{stamp}-{os.getpid()}.jsonl"
        self.written = 0

    def write(self, docs: Iterable[Any], now: datetime | None = None) -> Path:
        """Append the documents (items or stored documents; stored in the `to_document` form)
        as one batch, fsync'ed before returning. Returns the file's path."""
        now = now or datetime.now(UTC)
        data = "".join(encode(to_document(d, now)) + "\n" for d in docs).encode("utf-8")
        if not data:
            return self.path
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
                except FileNotFoundError:
                    same = False
                if not same:  # replay moved the file while we waited for the lock: start again
                    continue
                created = os.fstat(fd).st_size == 0
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)  # also releases the lock
            if created:
                _fsync_dir(self.directory)
            self.written += data.count(b"\n")
            return self.path

    def close(self) -> None:
        """Nothing to release (each batch opens and closes the file); kept for symmetry."""

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def spool_files(directory: str | os.PathLike) -> list[Path]:
    """Spool files waiting for replay, oldest name first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("spool-*.jsonl") if p.is_file())


def replay(store: MongoStore, directory: str | os.PathLike, *, batch_size: int = 500,
           now: datetime | None = None) -> dict:
    """Write every spooled document through `store.upsert_batch` and move each replayed file to
    `directory/replayed/`. Returns counts: files, documents, bad_lines and the upsert counts.

    A file whose write fails stays in place (the error is raised); replaying it again is harmless.
    A line that is not valid JSON (a batch cut by a crash) is logged and counted in bad_lines."""
    directory = Path(directory)
    totals = {"files": 0, "documents": 0, "bad_lines": 0, **dict.fromkeys(COUNT_KEYS, 0)}
    for path in spool_files(directory):
        with open(path, "rb") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # wait for a writer's batch to be complete
            if not path.exists() or os.fstat(fh.fileno()).st_ino != os.stat(path).st_ino:
                continue  # another replay moved it meanwhile
            batch: list[dict] = []
            for number, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    batch.append(decode(raw.decode("utf-8")))
                except (ValueError, UnicodeDecodeError) as exc:
                    totals["bad_lines"] += 1
                    logger.warning("%s line %d is not a spooled document (skipped): %s", path, number, exc)
                    continue
                if len(batch) >= batch_size:
                    _replay_batch(store, batch, now, totals)
                    batch = []
            if batch:
                _replay_batch(store, batch, now, totals)
            target_dir = directory / REPLAYED_DIR
            target_dir.mkdir(exist_ok=True)
            target = target_dir / path.name
            n = 1
            while target.exists():
                target = target_dir / f"{path.stem}.{n}{path.suffix}"
                n += 1
            os.replace(path, target)
            _fsync_dir(directory)
            totals["files"] += 1
            logger.info("replayed %s -> %s", path, target)
    return totals


def _replay_batch(store: MongoStore, batch: list[dict], now: datetime | None, totals: dict) -> None:
    counts = store.upsert_batch(batch, now)
    totals["documents"] += len(batch)
    for key in COUNT_KEYS:
        totals[key] += counts.get(key, 0)


def is_transient(exc: BaseException) -> bool:
    """True for errors worth retrying: connection/selection/network errors, transient server
    codes, bulk writes that failed for another reason than a duplicate key, and WriteConflict."""
    if isinstance(exc, (AutoReconnect, ServerSelectionTimeoutError, NetworkTimeout, WriteConflict)):
        return True
    if isinstance(exc, BulkWriteError):
        errors = (exc.details or {}).get("writeErrors") or []
        concern = (exc.details or {}).get("writeConcernErrors") or []
        return bool(concern) or any(e.get("code") != DUPLICATE_KEY for e in errors)
    if isinstance(exc, OperationFailure):
        return exc.code in TRANSIENT_CODES or exc.has_error_label("RetryableWriteError")
    return False


def write_with_retry(store: MongoStore, docs: list[Any], *, attempts: int = 3, backoff_s: float = 1.0,
                     spool: Spool | None = None, now: datetime | None = None) -> dict | None:
    """`store.upsert_batch(docs)`, retried `attempts` times in all on transient errors, waiting
    backoff_s, 2*backoff_s, 4*backoff_s ... between attempts. Returns the counts; when every
    attempt failed, appends the batch to `spool`, logs the spool path at ERROR and returns None
    (without a spool, the last error is raised). Another server error is not retried but spooled
    too, so the batch is not lost; other errors (bad documents) are raised at once."""
    if not docs:
        return dict.fromkeys(COUNT_KEYS, 0)
    attempts = max(1, attempts)
    last: BaseException | None = None
    for attempt in range(attempts):
        try:
            return store.upsert_batch(docs, now)
        except Exception as exc:  # noqa: BLE001 - classified below
            if not is_transient(exc):
                if spool is None or not isinstance(exc, PyMongoError):
                    raise
                last = exc
                break
            last = exc
            if attempt + 1 < attempts:
                delay = backoff_s * (2 ** attempt)
                logger.warning("write of %d article(s) to %s failed (%s: %s); retry %d/%d in %.1f s",
                               len(docs), mask_uri(store.uri), type(exc).__name__, _short(exc),
                               attempt + 1, attempts - 1, delay)
                time.sleep(delay)
    if spool is None:
        raise last  # type: ignore[misc]
    path = spool.write(docs, now)
    logger.error("MongoDB %s unavailable after %d attempt(s) (%s: %s): %d article(s) spooled to %s; "
                 "replay with `python -m newscrawl.storage replay --spool %s`",
                 mask_uri(store.uri), attempts, type(last).__name__, _short(last), len(docs), path,
                 spool.directory)
    return None


def _short(exc: BaseException | None, limit: int = 200) -> str:
    text = str(exc).split(", Timeout:")[0].split(", full error:")[0]
    return text if len(text) <= limit else text[:limit] + "..."
