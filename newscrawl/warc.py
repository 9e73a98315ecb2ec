"""WARC reading (warcio): stream HTTP response records, resynchronise after damaged records,
and re-read one record by offset. Used by the `warc` spider and its replay middleware.

Scanning (`iter_records`) reads every record's block through to its end in 16 KiB pieces and
discards it, so memory does not depend on record or file size; only the WARC and HTTP headers of
response records are kept. A record is *invalid* when its gzip member does not decompress (bad
data or CRC), its headers do not parse or lack mandatory fields, its block is shorter than its
Content-Length (truncated file) or is not followed by the next record (bytes lost or added). Each
invalid record is counted once (`newscrawl/warc/invalid_records`) and reading resumes at the next
offset that really starts a record: a gzip member that decompresses to ``WARC/``, or a line
starting with ``WARC/1.`` in an uncompressed file. Payload bytes changed in place in an
uncompressed file cannot be noticed (digests are not checked: several writers get them wrong).

Progress (`WarcProgress`): the share of bytes read over all files (the position in the file as
stored, compressed or not, over the files' total size), the files done and an ETA, as one log line.
"""

import glob
import logging
import os
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.utils import BUFF_SIZE

logger = logging.getLogger(__name__)

_RESYNC_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"


class DamagedRecord(ValueError):
    """A WARC record that cannot be read completely (bad gzip data, bad headers, truncated)."""


@dataclass(frozen=True)
class RecordRef:
    path: str
    offset: int
    url: str
    date: str | None          # WARC-Date, ISO 8601
    status: int | None
    content_type: str | None
    length: int | None = None  # HTTP payload length as archived (before content decoding)


def expand_paths(spec: str) -> list[str]:
    """Comma-separated paths, each possibly a glob; raises FileNotFoundError naming what is missing."""
    paths = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        matches = sorted(glob.glob(os.path.expanduser(part)))
        if not matches:
            raise FileNotFoundError(f"WARC file not found: {part}")
        for match in matches:
            if not os.path.isfile(match):
                raise FileNotFoundError(f"not a WARC file (directory?): {match}")
        paths.extend(matches)
    if not paths:
        raise FileNotFoundError(f"no WARC file given in {spec!r}")
    return paths


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == _GZIP_MAGIC


class _StrictReader(DecompressingBufferedReader):
    """warcio's reader, except that bad gzip data raises. warcio prints the zlib error to stderr
    and returns no data, then feeds the rest of the file to the broken decompressor: a damaged
    member silently swallowed every record after it. Also, the format is fixed by the caller
    instead of guessed from the first block (a damaged first member read as plain text)."""

    def __init__(self, stream, gz: bool):
        super().__init__(stream, block_size=BUFF_SIZE, decomp_type="gzip" if gz else None)

    def _decompress(self, data):
        if self.decompressor and data:
            try:
                return self.decompressor.decompress(data)
            except zlib.error as exc:
                raise DamagedRecord(f"bad gzip data: {exc}") from exc
        return data


class _StrictIterator(ArchiveIterator):
    """warcio's iterator with `_StrictReader`, where a record block followed by anything but blank
    lines and the next record (uncompressed) or the end of its gzip member is damaged: its
    Content-Length is wrong because bytes were lost or added. warcio only printed a warning and
    went on reading from the wrong place."""

    def __init__(self, f, gz: bool):
        super().__init__(f, check_digests=False)
        self.reader = _StrictReader(f, gz)     # nothing has been read yet: safe to swap

    def _consume_blanklines(self):
        blank = []
        while True:
            line = self.reader.readline()
            if line and not line.strip():
                blank.append(line)
                continue
            if self.reader.decompressor is not None:      # gzipped: the member must end here
                if line:
                    raise DamagedRecord("gzip member goes on after the record block: wrong Content-Length")
            # Uncompressed: the block must be followed by its CRLF CRLF (or LF LF) separator, else
            # bytes were lost or added. After an intact one, a bad line is the next record's problem
            # (it fails to parse and is blamed).
            elif len(blank) < 2 or blank[0] != blank[1] or blank[0] not in (b"\r\n", b"\n"):
                raise DamagedRecord("record block not followed by its separator: wrong Content-Length"
                                    if line else "truncated: the record's separator is missing")
            return line or None, sum(map(len, blank))


def _ref(path: str, offset: int, record) -> RecordRef | None:
    if record.rec_type != "response" or not record.http_headers:
        return None
    http = record.http_headers
    code = http.get_statuscode() or ""
    return RecordRef(path=path, offset=offset, url=record.rec_headers.get_header("WARC-Target-URI"),
                     date=record.rec_headers.get_header("WARC-Date"),
                     status=int(code) if code.isdigit() else None,
                     content_type=http.get_header("Content-Type"),
                     length=record.payload_length if record.payload_length >= 0 else None)


def _drain(record) -> None:
    """Read the rest of the record's block in small pieces; raise if the file ends first."""
    stream = record.raw_stream
    while stream.read(BUFF_SIZE):
        pass
    missing = getattr(stream, "limit", 0)
    if missing > 0:
        raise DamagedRecord(f"truncated: {missing} bytes of the record block are missing")


_MANDATORY = ("WARC-Type", "WARC-Record-ID", "WARC-Date")


class _Damaged(Exception):
    def __init__(self, offset: int, cause):
        super().__init__(offset, cause)
        self.offset = offset
        self.cause = cause


def _scan(f, path: str, start: int, size: int, gz: bool, stats, progress=None):
    """Yield RecordRef (or None for other records) from `start`; raise _Damaged(offset of the bad
    record) on the first unreadable one. `progress(position)` is told where each record ends."""
    f.seek(start)
    it = _StrictIterator(f, gz)
    pos = start
    try:
        for record in it:
            length = record.rec_headers.get_header("Content-Length") or ""
            if not length.strip().isdigit():
                raise DamagedRecord("bad Content-Length")
            missing = [name for name in _MANDATORY if not record.rec_headers.get_header(name)]
            if missing:
                raise DamagedRecord(f"WARC header without {', '.join(missing)}")
            ref = _ref(path, pos, record)
            _drain(record)
            it.read_to_end()              # consumes the record's trailing blank lines
            if gz and not it.reader.decompressor.eof:
                raise DamagedRecord("gzip member does not end with the record (truncated?)")
            if stats is not None:
                stats.inc_value("newscrawl/warc/records")
                # warcio parses HTTP only for http(s) targets: a response record for file:, data:,
                # ftp: or a relative target is never requested; counted with the spider's bad URLs.
                if ref is None and record.rec_type == "response" and not record.http_headers:
                    stats.inc_value("newscrawl/warc/skipped/bad_url")
            pos = it.offset               # start of the next record
            if progress is not None:
                progress(pos)
            yield ref
    except Exception as exc:             # warcio fails in many ways on damaged input
        raise _Damaged(pos, exc) from exc
    # warcio ends quietly when a record's headers end early (EOFError is its end-of-file signal).
    if pos < size:
        raise _Damaged(pos, "record ends before its headers do (truncated?)")


def iter_records(path: str, stats=None, progress=None):
    """Yield a RecordRef for every HTTP response record of `path`, streaming.

    Every record read counts `newscrawl/warc/records`. A damaged or truncated record counts
    `newscrawl/warc/invalid_records` once and reading resumes at the next record start.
    `progress(position)`, when given, is called with the file position reached after each record
    (as stored: compressed for a .gz).
    """
    gz = _is_gzip(path)
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        start = 0
        while start is not None and start < size:
            scan = _scan(f, path, start, size, gz, stats, progress)
            start = None
            while True:
                try:
                    ref = next(scan)
                except StopIteration:
                    break
                except _Damaged as damaged:
                    if stats is not None:
                        stats.inc_value("newscrawl/warc/invalid_records")
                    logger.warning("Skipped damaged WARC record in %s at offset %d: %s", path, damaged.offset,
                                   _short(damaged.cause))
                    start = _next_record_start(f, damaged.offset + 1, gz)
                    if start is not None:
                        logger.info("Resuming %s at offset %d", path, start)
                    break
                if ref is not None:
                    yield ref


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def _duration(seconds: float) -> str:
    seconds = max(int(round(seconds)), 0)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


class WarcProgress:
    """How far the reading of a list of WARC files is: `start_file(i)`, `at(position)` (the
    `progress` callback of `iter_records`), `end_file()`; `line(records)` says it as
    "WARC: 41% of 1.2 GB read (3 of 7 files), 2,310 records, ETA 4 min". The ETA assumes the rest
    reads at the mean rate so far. A file that cannot be sized counts 0 bytes."""

    def __init__(self, paths: list[str], clock=time.monotonic):
        self.sizes = []
        for path in paths:
            try:
                self.sizes.append(os.path.getsize(path))
            except OSError:
                self.sizes.append(0)
        self.total = sum(self.sizes)
        self.clock = clock
        self.started = clock()
        self.index = 0          # file being read
        self.done = 0           # bytes of the files before it
        self.position = 0       # in the file being read
        self.files_done = 0

    def start_file(self, index: int) -> None:
        self.index, self.position = index, 0
        self.done = sum(self.sizes[:index])

    def at(self, position: int) -> None:
        self.position = min(position, self.sizes[self.index]) if self.sizes else 0

    def end_file(self) -> None:
        """The file was read to its end (or given up: unreadable, max_articles)."""
        self.position = self.sizes[self.index] if self.sizes else 0
        self.files_done = self.index + 1

    @property
    def read(self) -> int:
        return self.done + self.position

    @property
    def share(self) -> float:
        return self.read / self.total if self.total else 1.0

    def eta(self) -> float | None:
        """Seconds left at the mean rate so far; None before anything was read."""
        elapsed = self.clock() - self.started
        if self.read <= 0 or elapsed <= 0:
            return None
        return (self.total - self.read) * elapsed / self.read

    def line(self, records: int) -> str:
        files = len(self.sizes)
        at_end = bool(self.sizes) and self.position >= self.sizes[self.index]
        done = max(self.files_done, self.index + 1 if at_end else self.index)
        head = (f"WARC: {self.share * 100:.0f}% of {_size(self.total)} read ({done} of {files} "
                f"file{'s' if files != 1 else ''}), {records:,} records")
        if done == files:
            return f"{head}, in {_duration(self.clock() - self.started)}"
        eta = self.eta()
        return f"{head}, ETA {_duration(eta) if eta is not None else '-'}"


def _short(cause, limit: int = 200) -> str:
    """Why a record is damaged, without the record's bytes: our own messages (DamagedRecord, plain
    strings) never quote the file, other exceptions (warcio's put the first line of the record in
    theirs) are named by their type."""
    if isinstance(cause, DamagedRecord):
        text = f"{type(cause).__name__}: {cause}"
    elif isinstance(cause, BaseException):
        text = type(cause).__name__
    else:
        text = str(cause)
    return text if len(text) <= limit else text[:limit] + "…"


def _starts_record(f, pos: int, gz: bool) -> bool:
    f.seek(pos)
    if not gz:
        return f.read(7) == b"WARC/1."
    head = f.read(64 * 1024)
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16).startswith(b"WARC/")
    except zlib.error:
        return False


def _next_record_start(f, start: int, gz: bool) -> int | None:
    """Offset of the next real record start at or after `start`: a gzip member that decompresses to
    a WARC header, or (uncompressed) a line beginning with 'WARC/1.'."""
    marker, shift = (b"\x1f\x8b\x08", 0) if gz else (b"\nWARC/1.", 1)
    pos = start - shift
    while True:
        f.seek(pos)
        buf = f.read(_RESYNC_CHUNK)
        i = buf.find(marker)
        if i < 0:
            if len(buf) < _RESYNC_CHUNK:
                return None
            pos += len(buf) - len(marker) + 1
            continue
        candidate = pos + i + shift
        if candidate >= start and _starts_record(f, candidate, gz):
            return candidate
        pos += i + 1


# Headers describing encodings that reading the payload removes.
_ENCODING_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def read_record(path: str, offset: int, max_bytes: int | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
    """Re-read the response record at `offset`: (status, headers, payload with transfer and content
    encodings removed). At most `max_bytes + 1` payload bytes are read, so an oversized page shows
    as longer than `max_bytes` without being loaded whole. Raises on an unreadable record
    (DamagedRecord, or whatever warcio raises on damaged input)."""
    with open(path, "rb") as f:
        f.seek(offset)
        gz = f.read(2) == _GZIP_MAGIC
        f.seek(offset)
        record = next(iter(_StrictIterator(f, gz)), None)
        if record is None or record.rec_type != "response" or not record.http_headers:
            raise DamagedRecord(f"no HTTP response record at offset {offset}")
        http = record.http_headers
        code = http.get_statuscode() or ""
        if not code.isdigit():
            raise DamagedRecord("bad HTTP status line")
        stream = record.content_stream()
        body = stream.read(max_bytes + 1) if max_bytes else stream.read()
        # warcio leaves an encoding it cannot decode (e.g. zstd) in place: keep its header then.
        decoded = stream is not record.raw_stream or not http.get_header("Content-Encoding")
        drop = _ENCODING_HEADERS if decoded else _ENCODING_HEADERS - {"content-encoding"}
        headers = [(k, v) for k, v in http.headers if k.lower() not in drop]
    return int(code), headers, body


def warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def write_warc(path: str, pages, gzip: bool = True) -> int:
    """Write (url, body_bytes, warc_date_iso, content_type[, http_status_line]) tuples as WARC
    response records (one gzip member each unless `gzip=False`); the status line defaults to
    "200 OK". Returns the number written. Used for the demo sample, benchmarks and tests."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for url, body, date, ctype, *rest in pages:
            http = StatusAndHeaders(rest[0] if rest else "200 OK",
                                    [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)
            n += 1
    return n
