"""WARC reading (warcio): stream HTTP response records, resynchronise after damaged records,
and re-read one record by offset. Used by the `warc` spider and its replay middleware."""

import glob
import gzip
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

logger = logging.getLogger(__name__)

_RESYNC_CHUNK = 1 << 20


@dataclass(frozen=True)
class RecordRef:
    path: str
    offset: int
    url: str
    date: str | None          # WARC-Date, ISO 8601
    status: int | None
    content_type: str | None


def expand_paths(spec: str) -> list[str]:
    """Comma-separated paths, each possibly a glob; raises FileNotFoundError naming what is missing."""
    paths = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        matches = sorted(glob.glob(os.path.expanduser(part)))
        if not matches:
            raise FileNotFoundError(f"WARC file not found: {part}")
        paths.extend(matches)
    return paths


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _next_record_start(f, start: int, gz: bool) -> int | None:
    """Offset of the next plausible record start after `start` (gzip member or 'WARC/1.')."""
    marker = b"\x1f\x8b\x08" if gz else b"WARC/1."
    f.seek(start)
    pos = start
    tail = b""
    while True:
        chunk = f.read(_RESYNC_CHUNK)
        if not chunk:
            return None
        buf = tail + chunk
        i = buf.find(marker)
        if i >= 0:
            return pos - len(tail) + i
        tail = buf[-(len(marker) - 1):]
        pos += len(chunk)


def iter_records(path: str, stats=None):
    """Yield a RecordRef for every response record of `path`, streaming.

    A damaged or truncated record is counted (`newscrawl/warc/invalid_records`), and reading
    resumes at the next record start found in the file.
    """
    gz = _is_gzip(path)
    offset = 0
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        while offset is not None and offset < size:
            f.seek(offset)
            it = ArchiveIterator(f, no_record_parse=False, check_digests=False)
            last = offset
            try:
                for record in it:
                    last = it.get_record_offset()
                    if record.rec_type != "response":
                        continue
                    http = record.http_headers
                    yield RecordRef(
                        path=path, offset=last, url=record.rec_headers.get_header("WARC-Target-URI"),
                        date=record.rec_headers.get_header("WARC-Date"),
                        status=int(http.get_statuscode()) if http and http.get_statuscode().isdigit() else None,
                        content_type=http.get_header("Content-Type") if http else None,
                    )
                return
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, gzip.BadGzipFile) as exc:
                if stats is not None:
                    stats.inc_value("newscrawl/warc/invalid_records")
                logger.warning("Damaged WARC record in %s near offset %d (%s); resynchronising", path, last, exc)
                offset = _next_record_start(f, last + 1, gz)


def read_record(path: str, offset: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """Re-read the response record at `offset`: (status, headers, payload with transfer and content
    encodings removed)."""
    with open(path, "rb") as f:
        f.seek(offset)
        record = next(iter(ArchiveIterator(f, check_digests=False)))
        status = int(record.http_headers.get_statuscode())
        headers = list(record.http_headers.headers)
        body = record.content_stream().read()
    return status, headers, body


def warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def write_warc(path: str, pages) -> int:
    """Write (url, body_bytes, warc_date_iso, content_type) tuples as gzipped WARC response
    records; returns the number written. Used for the demo sample and the benchmark."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body, date, ctype in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)
            n += 1
    return n
