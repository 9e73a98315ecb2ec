"""The spool: documents that could not be written to MongoDB, kept on disk and replayed later.

`write_with_retry` (storage/writer.py) appends a batch that could not be written to a `Spool` file.
`replay` (CLI: ``python -m newscrawl.storage replay``) writes every spooled document through
`ArticleStore.upsert_batch`, which is idempotent, so a document replayed twice is still stored once.

Spool files are JSON Lines in MongoDB Extended JSON (relaxed): datetimes as {"$date": ...}, bytes
as {"$binary": ...}, so documents round-trip exactly. One file per process and run:
`spool-<spider>-<UTC timestamp>-<pid>.jsonl`. Each batch is appended under an exclusive `flock`
and fsync'ed; `replay` takes the same lock, so it never reads half a batch, and moves replayed
files to `<spool>/replayed/`. A writer that finds its file moved away starts it again. The directory:
MONGODB_SPOOL_DIR, by default `<data dir>/spool` (`spool_dir`, newscrawl/datadir.py), wherever the
crawl was started.

A batch is written whole or not at all: a failed write (ENOSPC ...) truncates the file back to
its size before the batch, and a file that does not end with a newline (a writer killed mid-batch)
gets one first, so a torn line never swallows the next batch's first document. Documents the
store would refuse are not spooled but set aside (`rejects-<spider>-<timestamp>-<pid>.jsonl`, one
{url, reason, detail, rejected_at, document} per line, for inspection; never replayed).

Replay reads JSON only (nothing is unpickled): a line it cannot read (not JSON, not an object,
longer than MAX_LINE_BYTES) is moved to `<spool>/quarantine/<file>.bad` and counted; a document
the store refuses goes to a rejects file. Symbolic links and other non-regular files are skipped.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from bson import json_util
from bson.json_util import JSONMode, JSONOptions

from newscrawl.article.document import screen

from .articles import COUNT_KEYS, ArticleStore, url_of

logger = logging.getLogger(__name__)

UTC = timezone.utc
JSON_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True, tzinfo=UTC)
REPLAYED_DIR = "replayed"
QUARANTINE_DIR = "quarantine"
# No spooled document is near this long (16 MiB of BSON); a longer line is not ours.
MAX_LINE_BYTES = 128 * 1024 * 1024
# Above this, a rejects line keeps the document's URL and reason, not the document.
MAX_REJECT_LINE_BYTES = 32 * 1024 * 1024


def spool_dir(settings=None) -> Path:
    """The spool directory: MONGODB_SPOOL_DIR, or `<data dir>/spool` when it is None (newscrawl/datadir.py).
    `settings`: Scrapy Settings, a dict or a settings module (None: newscrawl/settings.py)."""
    from newscrawl.datadir import _get, data_path

    configured = _get(settings, "MONGODB_SPOOL_DIR")
    return Path(str(configured)).expanduser() if configured else data_path(settings, "spool")


class SpoolError(OSError):
    """The spool could not take a batch (disk full, read-only, permissions): nothing of it was kept."""


def encode(doc: dict) -> str:
    """One spool line (without the newline)."""
    return json_util.dumps(doc, json_options=JSON_OPTIONS, ensure_ascii=False)


def decode(line: str) -> dict:
    return json_util.loads(line, json_options=JSON_OPTIONS)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "run"


class Spool:
    """Appends documents to `directory/spool-<spider>-<timestamp>-<pid>.jsonl` (created on first
    write); documents the store would refuse to `rejects-...jsonl` beside it. Safe to use from
    several processes: each has its own files."""

    def __init__(self, directory: str | os.PathLike, spider: str = "newscrawl"):
        self.directory = Path(directory)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        name = f"{_slug(spider)}-{stamp}-{os.getpid()}.jsonl"
        self.path = self.directory / f"spool-{name}"
        self.rejects_path = self.directory / f"rejects-{name}"
        self.written = 0

    def write(self, docs: Iterable[Any], now: datetime | None = None, rejects: list | None = None) -> Path:
        """Append the documents (items or stored documents; stored in the `to_document` form)
        as one batch, fsync'ed before returning; all of the batch or none of it (OSError raised).
        A document the store would refuse is not spooled: it is appended to `rejects` as
        (document, reason, detail), or logged without a list. Returns the file's path."""
        now = now or datetime.now(UTC)
        good, refused = screen(docs, now)
        lines = [encode(doc).encode("utf-8") + b"\n" for doc in good]
        if rejects is not None:
            rejects.extend(refused)
        else:
            for doc, reason, _ in refused:
                logger.warning("spool: %s set aside (%s): not spooled", url_of(doc), reason)
        if lines:
            _append(self.path, b"".join(lines), self.directory)
            self.written += len(lines)
        return self.path

    def reject(self, entries: Iterable[tuple[Any, str, str]], now: datetime | None = None) -> Path | None:
        """Append documents set aside, with their reasons, to the rejects file (for inspection;
        replay never reads it). Returns its path (None when there was nothing to write)."""
        now = now or datetime.now(UTC)
        data = b"".join(_reject_line(doc, reason, detail, now) for doc, reason, detail in entries)
        if not data:
            return None
        _append(self.rejects_path, data, self.directory)
        return self.rejects_path

    def close(self) -> None:
        """Nothing to release (each batch opens and closes the file); kept for symmetry."""

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _reject_line(doc: Any, reason: str, detail: str, now: datetime) -> bytes:
    """One rejects line: ASCII JSON (a lone surrogate is written as its escape), the document
    left out when it cannot be written (too deep, too large, not JSON)."""
    entry = {"url": url_of(doc), "reason": reason, "detail": detail, "rejected_at": now}
    try:
        line = json_util.dumps({**entry, "document": doc}, json_options=JSON_OPTIONS, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError, OverflowError):
        line = None
    if line is None or len(line) > MAX_REJECT_LINE_BYTES:
        line = json_util.dumps({**entry, "document": None}, json_options=JSON_OPTIONS, ensure_ascii=True)
    return line.encode("ascii") + b"\n"


def _append(path: Path, data: bytes, directory: Path) -> None:
    """Append `data` to `path` under an exclusive flock, fsync'ed; all or nothing: a failed write
    is truncated back and raised as SpoolError."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    same = os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino
                except FileNotFoundError:
                    same = False
                if not same:  # replay moved the file while we waited for the lock: start again
                    continue
                size = os.fstat(fd).st_size
                # A torn last line (a writer killed mid-batch) stays a bad line of its own.
                payload = b"\n" + data if size and os.pread(fd, 1, size - 1) != b"\n" else data
                try:
                    view = memoryview(payload)
                    while view:
                        view = view[os.write(fd, view):]
                    os.fsync(fd)
                except OSError:
                    try:   # nothing of the batch stays: the next one must not append to half a line
                        os.ftruncate(fd, size)
                        os.fsync(fd)
                    except OSError as undo:
                        logger.error("spool: could not truncate %s back to %d bytes (%s)", path, size, undo)
                    raise
            finally:
                os.close(fd)  # also releases the lock
            if size == 0:
                _fsync_dir(directory)
            return
    except OSError as exc:
        raise SpoolError(exc.errno, f"spool write to {path} failed: {exc.strerror or exc}") from exc


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
    """Spool files waiting for replay, oldest name first (regular files only: a symbolic link
    planted in the spool directory is not followed)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("spool-*.jsonl") if stat.S_ISREG(p.lstat().st_mode))


def _lines(fh) -> Iterable[tuple[int, bytes, bool]]:
    """(number, line, whole) for each line, at most MAX_LINE_BYTES read of a longer one (the rest
    skipped; whole False)."""
    number = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        whole = len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n")
        if not whole:
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            raw = raw[:MAX_LINE_BYTES]
        yield number, raw, whole


def _read_line(raw: bytes) -> dict:
    """A spooled document from one line (JSON only), or ValueError."""
    try:
        doc = decode(raw.decode("utf-8"))
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError, OverflowError) as exc:
        raise ValueError(f"not JSON ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - bson's decoders raise their own types for odd $-keys
        raise ValueError(f"not a document ({type(exc).__name__})") from None
    if not isinstance(doc, dict):
        raise ValueError(f"a JSON {type(doc).__name__}, not an object")
    return doc


def pending_lines(directory: str | os.PathLike) -> int:
    """Non-empty lines of the spool files waiting for replay: the documents `replay` will go through
    (for a progress bar; a file written meanwhile is not counted)."""
    total = 0
    for path in spool_files(directory):
        try:
            with open(path, "rb") as fh:
                total += sum(1 for line in fh if line.strip())
        except OSError:
            continue
    return total


def replay(store: ArticleStore, directory: str | os.PathLike, *, batch_size: int = 500,
           now: datetime | None = None, progress: Callable[[dict], None] | None = None) -> dict:
    """Write every spooled document through `store.upsert_batch` and move each replayed file to
    `directory/replayed/`. Returns counts: files, documents, bad_lines, the upsert counts
    (rejected included) and `quarantine` / `rejects` (paths of the files written, or None).

    A file whose write fails stays in place (the error is raised); replaying it again is harmless.
    A line that cannot be read (a batch cut by a crash, a hand edit, anything but a JSON object) is
    logged, counted in bad_lines and kept, byte for byte, in `quarantine/<file>.bad`; a document
    the store refuses is counted in `rejected` and written to a rejects file with its reason.
    `progress`, when given, is called with the running counts after each batch and each file."""
    directory = Path(directory)
    report = progress or (lambda counts: None)
    totals: dict[str, Any] = {"files": 0, "documents": 0, "bad_lines": 0, **dict.fromkeys(COUNT_KEYS, 0),
                              "rejected": 0, "quarantine": None, "rejects": None}
    rejects_spool = Spool(directory, spider="replay")
    for path in spool_files(directory):
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            logger.warning("%s skipped: %s", path, exc)
            continue
        with os.fdopen(fd, "rb") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # wait for a writer's batch to be complete
            if not path.exists() or os.fstat(fh.fileno()).st_ino != os.lstat(path).st_ino:
                continue  # another replay moved it meanwhile
            batch: list[dict] = []
            bad: list[bytes] = []
            for number, raw, whole in _lines(fh):
                if not raw.strip():
                    continue
                try:
                    if not whole:
                        raise ValueError(f"longer than {MAX_LINE_BYTES} bytes")
                    batch.append(_read_line(raw))
                except ValueError as exc:
                    totals["bad_lines"] += 1
                    bad.append(raw if raw.endswith(b"\n") else raw + b"\n")
                    logger.warning("%s line %d is not a spooled document (%s): kept in %s/", path, number, exc,
                                   directory / QUARANTINE_DIR)
                    continue
                if len(batch) >= batch_size:
                    _replay_batch(store, batch, now, totals, rejects_spool)
                    batch = []
                    report(totals)
            if batch:
                _replay_batch(store, batch, now, totals, rejects_spool)
            if bad:   # after the documents are stored: a failed replay leaves the file as it was
                quarantine = directory / QUARANTINE_DIR / f"{path.name}.bad"
                _append(quarantine, b"".join(bad), quarantine.parent)
                totals["quarantine"] = str(quarantine)
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
            report(totals)
    return totals


def _replay_batch(store: ArticleStore, batch: list[dict], now: datetime | None, totals: dict, spool: Spool) -> None:
    rejects: list = []
    counts = store.upsert_batch(batch, now, rejects=rejects)
    totals["documents"] += len(batch)
    for key in (*COUNT_KEYS, "rejected"):
        totals[key] += counts.get(key, 0)
    if rejects:
        for doc, reason, _ in rejects:
            logger.warning("replay: %s set aside (%s): not stored", url_of(doc), reason)
        totals["rejects"] = str(spool.reject(rejects))
