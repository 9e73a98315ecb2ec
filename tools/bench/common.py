"""What several benchmarks share: a crawl log's final stats, a process's memory and CPU from /proc,
synthetic article pages, WARC records written by hand, and a page copy under another URL."""

import os
import random
import re
import uuid
import zlib

TICK = os.sysconf("SC_CLK_TCK")


def final_stats(log_text: str) -> dict:
    """Integer stats from the last "Dumping Scrapy stats" block of a crawl log."""
    block = log_text.rsplit("Dumping Scrapy stats:", 1)[-1]
    return {k: int(v) for k, v in re.findall(r"^\s*'([^']+)': (\d+),?$", block, flags=re.M)}


def proc_status(pid: int) -> dict:
    """VmRSS and VmHWM of `pid` in KiB (empty once the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in f)
                    if k in ("VmRSS", "VmHWM")}
    except (OSError, ValueError):
        return {}


def cpu_seconds(pid: int | None) -> float | None:
    """utime + stime of a process (all its threads), in seconds; None once it is gone."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, ValueError, IndexError):
        return None


# --- synthetic pages -------------------------------------------------------------------------------

BENCH_WORDS = ("the council said on tuesday that a new rail line would open next spring after years of "
               "delay residents welcomed the plan although critics warned that costs had doubled since "
               "the first estimate the minister told reporters budget was approved river bridge station "
               "engineers tunnel traffic region report found water levels fell sharply during summer "
               "farmers asked for support agency announced measures schools hospitals court judge ruled "
               "company shares rose market investors").split()


def bench_article(i: int) -> bytes:
    """A small, distinct English news article page (so extraction and dedupe treat each as new)."""
    r = random.Random(i)

    def words(n: int) -> str:
        return " ".join(r.choice(BENCH_WORDS) for _ in range(n))

    title = f"{words(7).capitalize()} ({i})"
    day = 1 + i % 28
    paras = "\n".join(f"<p>{words(r.randint(40, 90)).capitalize()}.</p>" for _ in range(6))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Bench Herald</title>'
            f'<meta property="og:site_name" content="Bench Herald">'
            f'<meta property="article:published_time" content="2026-10-{day:02d}T08:30:00Z"></head>'
            f'<body><nav><a href="/">Home</a> <a href="/news/">News</a></nav><article><h1>{title}</h1>'
            f'<p class="byline">By Alex Morgan</p><time datetime="2026-10-{day:02d}T08:30:00Z">'
            f'October {day}, 2026</time>\n{paras}</article><footer>Bench Herald</footer></body></html>'
            ).encode()


def warc_member(url: str, date: str, ctype: str, payload: bytes, level: int) -> bytes:
    """One response record as one gzip member. Level 0 for random binary: what any gzip writer
    produces for incompressible data (stored blocks), at memcpy speed instead of 40 MB/s."""
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) + len(payload)}\r\n\r\n").encode()
    z = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join((z.compress(head), z.compress(http), z.compress(payload), z.compress(b"\r\n\r\n"), z.flush()))


# --- a development page under another URL ------------------------------------------------------------

# A word long enough to be a body word, not markup: the one a copy changes.
BODY_WORD = re.compile(r"[^\W\d_]{7,}")
_CANONICAL = re.compile(r"<link\b[^>]*\brel=[\"']?canonical\b[^>]*>", re.I)
_OG_URL = re.compile(r"<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*>", re.I)
_HREF = re.compile(r"(\bhref=[\"'])([^\"']*)([\"'])", re.I)
_CONTENT = re.compile(r"(\bcontent=[\"'])([^\"']*)([\"'])", re.I)


def point_page_at(text: str, url: str) -> str:
    """The page's canonical link and og:url (attributes in either order) rewritten to `url`, so a
    copy is its own article rather than an alias of the original."""
    text = _CANONICAL.sub(lambda m: _HREF.sub(lambda h: h.group(1) + url + h.group(3), m.group(0), 1), text)
    return _OG_URL.sub(lambda m: _CONTENT.sub(lambda h: h.group(1) + url + h.group(3), m.group(0), 1), text)
