"""The request spool of a distributed worker: requests held in memory while Redis was unreachable,
written at close to `<MONGODB_SPOOL_DIR>/redis/requests-<spider>-<time>-<pid>.jsonl` (one JSON line
per request: its URL and its queue entry), and read by the next start of a worker of that spider,
which queues them again. A spool file is third-party input: lines that do not decode are counted
(`newscrawl/redis/rejected`) and kept in `rejected/`; a FIFO, device or symlink is not read."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from datetime import datetime, timezone
from pathlib import Path

from newscrawl.distributed import serializer as codec

logger = logging.getLogger(__name__)


class RequestSpool:
    def __init__(self, directory, spider_name: str, queue, stats=None):
        self.directory = Path(directory)
        self.spider_name = spider_name
        self.queue = queue      # encodes and decodes entries as the shared queue does
        self.stats = stats
        self.read_files: list[Path] = []   # read, deleted once their requests are queued or spooled again

    def files(self) -> list[Path]:
        return sorted(self.directory.glob(f"requests-{_slug(self.spider_name)}-*.jsonl"))

    def write(self, requests, unserializable) -> tuple[Path, int]:
        """Write `requests` (encoded as in the queue) to a new spool file, atomically; a request
        that cannot be encoded goes to `unserializable(request, reason)`. Returns (path, count)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"requests-{_slug(self.spider_name)}-{stamp}-{os.getpid()}.jsonl"
        tmp = path.with_suffix(".tmp")
        spooled = 0
        with open(tmp, "w", encoding="utf-8") as f:
            for request in requests:
                try:   # the queue entry (JSON), as text: the next start decodes it as it would from Redis
                    data = self.queue._encode_request(request).decode("ascii")
                except codec.RejectedRequest as exc:
                    unserializable(request, exc)
                    continue
                f.write(json.dumps({"url": request.url, "request": data}) + "\n")
                spooled += 1
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        self._inc("spooled", spooled)
        self.forget_read()   # their requests are in the new file now
        return path, spooled

    def read(self) -> list:
        """The requests of the spool files left by workers that closed during an outage. The files
        are remembered in `read_files`, to be deleted (`forget_read`) once the requests are queued."""
        requests = []
        limit = self.queue.max_bytes + 8192 if self.queue.max_bytes else 0   # the entry, its URL, JSON
        for path in self.files():
            count, rejected = 0, []
            try:   # a FIFO, device or symlink planted under a spool name is not read (it may never end)
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
            except OSError as exc:
                self._inc("rejected")
                logger.error("Spool file %s not read (%s)", path, exc.strerror or type(exc).__name__)
                continue
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                self._inc("rejected")
                logger.error("Spool file %s not read: not a regular file", path)
                continue
            with open(fd, "rb") as f:
                for number, line in enumerate(_bounded_lines(f, limit), 1):
                    if not line.strip():
                        continue
                    try:
                        requests.append(self._request(line, limit))
                        count += 1
                    except codec.RejectedRequest as exc:
                        rejected.append((number, line, str(exc)))
            if rejected:
                self._keep_rejected(path, rejected)
            self.read_files.append(path)
            self._inc("unspooled", count)
            logger.info("Queueing %d requests spooled during a Redis outage from %s", count, path)
        return requests

    def forget_read(self) -> None:
        for path in self.read_files:
            path.unlink(missing_ok=True)
        self.read_files = []

    def _request(self, line: bytes, limit: int):
        if limit and len(line) > limit:
            raise codec.RejectedRequest(f"a line over {limit} bytes")
        try:
            record = json.loads(line)
            data = record["request"]
        except (ValueError, TypeError, KeyError, RecursionError):
            raise codec.RejectedRequest("not a spool line") from None
        if not isinstance(data, str):
            raise codec.RejectedRequest("not a spool line")
        return self.queue._decode_request(data.encode("utf-8", "surrogatepass"))

    def _keep_rejected(self, path: Path, rejected: list) -> None:
        """Spool lines that do not decode: counted, logged, and kept (never read again) in
        `<spool>/redis/rejected/` for an operator to look at."""
        self._inc("rejected", len(rejected))
        for number, _, reason in rejected[:10]:
            logger.error("Rejected line %d of %s: %s", number, path, reason)
        if len(rejected) > 10:
            logger.error("... and %d more rejected lines in %s", len(rejected) - 10, path)
        keep = self.directory / "rejected" / path.name
        keep.parent.mkdir(parents=True, exist_ok=True)
        with open(keep, "ab") as f:
            for number, line, reason in rejected:
                f.write(json.dumps({"line": number, "reason": reason,
                                    "data": line[:65536].decode("utf-8", "replace")}).encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())

    def _inc(self, key, count=1):
        if self.stats is not None and count:
            self.stats.inc_value(f"newscrawl/redis/{key}", count)


def _bounded_lines(f, limit: int):
    """The lines of binary file `f`; a line longer than `limit` is cut to `limit + 1` bytes (the
    rest skipped unread into memory), so a planted line cannot fill it."""
    while True:
        line = f.readline(limit + 1) if limit else f.readline()
        if not line:
            return
        if limit and len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = f.readline(1 << 16)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line.rstrip(b"\r\n")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "spider"
