"""The `warc` spider and newscrawl.warc: records become items through the real crawl; non-200,
non-HTML and non-response records are skipped and counted; damaged and truncated records are
counted and skipped while the rest of the file still goes through (gzipped and plain WARCs);
several files and globs; max_articles.

Crawls run `scrapy crawl warc` in a subprocess (the Twisted reactor runs once per process) and
assert on the exported items and on the final stats read from the crawl log: scrapy exits 0 even
when every record failed. WARCs are written at test time into tmp_path."""

import gzip
import json
import random
import re
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.warc import expand_paths, iter_records, read_record, write_warc

REPO = Path(__file__).resolve().parents[2]


# ---- pages -------------------------------------------------------------------------------------

def _page(lang: str, site: str, title: str, published: str, author: str, paragraphs: tuple[str, ...],
          head: str = "") -> bytes:
    paras = "\n".join(f"    <p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <title>{title} | {site}</title>
  <meta property="og:site_name" content="{site}">
  <meta property="article:published_time" content="{published}">
  <meta name="author" content="{author}">{head}
</head>
<body>
  <header><a href="/">{site}</a> <nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>
  <main><article>
    <h1>{title}</h1>
    <p class="byline">By {author}</p>
{paras}
  </article></main>
  <footer><p>&copy; 2026 {site}. All rights reserved.</p></footer>
</body>
</html>
""".encode()


# (record URL, WARC-Date, headline, page)
ARTICLES = [
    ("https://www.valley-courier.example/news/2026/03/02/ferry-timetable.html", "2026-03-02T07:15:30Z",
     "Island ferry adds an early crossing for commuters",
     _page("en", "Valley Courier", "Island ferry adds an early crossing for commuters", "2026-03-02T06:00:00Z",
           "Rosa Lindqvist", (
               "The island ferry will add a crossing at twenty past six from next month, the operator said on "
               "Monday, after commuters complained that the first boat reached the mainland too late for the "
               "morning trains.",
               "The extra sailing uses the smaller of the two vessels and will run on weekdays only. Fares stay "
               "the same, and season tickets bought before the change remain valid on every crossing.",
               "Local councillors said they had asked for the change for three years and welcomed the decision, "
               "although some residents near the harbour worried about noise from the early departures.",
           ))),
    ("https://www.valley-courier.example/sport/2026/03/03/rowing-club-record.html", "2026-03-03T19:40:00Z",
     "Rowing club sets a river record in the spring regatta",
     _page("en", "Valley Courier", "Rowing club sets a river record in the spring regatta", "2026-03-03T18:30:00Z",
           "Tom Okafor", (
               "The town rowing club's eight finished the spring regatta course in a record time on Tuesday, "
               "beating a mark that had stood since the course was shortened twenty years ago.",
               "Coach Helen Marsh said a calm river and a following wind helped, but credited a winter of early "
               "training sessions on the rowing machines in the club's cramped boathouse.",
               "The crew now heads to the national championships in June, where the club last reached a final "
               "more than a decade ago.",
           ))),
    ("https://www.gazette-du-lac.example/economie/2026/03/04/fromagerie-export.html", "2026-03-04T09:05:12Z",
     "La fromagerie du village exporte vers le Japon",
     _page("fr", "La Gazette du Lac", "La fromagerie du village exporte vers le Japon", "2026-03-04T08:00:00+01:00",
           "Camille Perrin", (
               "La petite fromagerie installée à la sortie du village expédiera ses premières meules vers le "
               "Japon le mois prochain, après deux ans de démarches auprès des services sanitaires.",
               "Le fromager, qui emploie six personnes, explique que la commande représente près d'un quart de "
               "sa production annuelle et qu'il devra embaucher deux salariés supplémentaires cet été.",
               "Les producteurs de lait de la vallée se réjouissent de ce débouché, alors que les prix payés par "
               "les grandes laiteries restent bas depuis le début de l'année.",
           ))),
    ("https://www.harbour-times.example/local/library-reopens", "2026-03-05T12:00:00Z",
     "Library reopens after a year of repairs to its flooded basement",
     _page("en", "Harbour Times", "Library reopens after a year of repairs to its flooded basement",
           "2026-03-05T10:30:00Z", "Priya Natarajan", (
               "The central library reopened on Thursday, a year after a burst water main flooded its basement "
               "and damaged thousands of books in the local history collection.",
               "Conservators dried and cleaned most of the rare volumes, and the archive has moved to the first "
               "floor, where staff say it is safer and easier for visitors to reach.",
               "The children's section has new shelves and a reading corner paid for by a neighbourhood appeal "
               "that raised more than twice its original target.",
           ))),
    ("https://www.harbour-times.example/business/bakery-four-day-week", "2026-03-06T06:45:00Z",
     "Family bakery moves its staff to a four-day week",
     _page("en", "Harbour Times", "Family bakery moves its staff to a four-day week", "2026-03-06T05:00:00Z",
           "Daniel Ruiz", (
               "A family bakery on the harbour front has moved its twelve employees to a four-day week without "
               "cutting pay, after a six-month trial that the owners say raised output.",
               "The bakery now closes on Mondays, its quietest day, and staff rotate the early shifts that "
               "start before dawn so that nobody works more than two of them in a row.",
               "The owners said sick days had halved during the trial and that two bakers who had planned to "
               "leave the trade decided to stay.",
           ))),
]


# ---- writing WARCs -----------------------------------------------------------------------------

def response(url, date, body, ctype="text/html; charset=utf-8", status="200 OK", headers=()):
    def make(writer):
        http = StatusAndHeaders(status, [("Content-Type", ctype), *headers, ("Content-Length", str(len(body)))],
                                protocol="HTTP/1.1")
        return writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                         warc_headers_dict={"WARC-Date": date})
    return make


def chunked(data: bytes, size: int = 500) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
                    for i in range(0, len(data), size)) + b"0\r\n\r\n"


def request(url, date):
    def make(writer):
        path = "/" + url.split("/", 3)[3]
        http = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", url.split("/")[2]), ("User-Agent", "test")],
                                is_http_request=True)
        return writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=http,
                                         warc_headers_dict={"WARC-Date": date})
    return make


def revisit(url, date):
    def make(writer):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        return writer.create_revisit_record(url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, date,
                                            http_headers=http, warc_headers_dict={"WARC-Date": date})
    return make


def warcinfo():
    return lambda writer: writer.create_warcinfo_record("test.warc", {"software": "newscrawl tests"})


def write_records(path: Path, records, gz: bool = True) -> list[int]:
    """Write records (callables taking the writer); returns each record's offset plus the file size."""
    offsets = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for make in records:
            offsets.append(out.tell())
            writer.write_record(make(writer))
        offsets.append(out.tell())
    return offsets


def article_records(indexes=range(len(ARTICLES))):
    return [response(ARTICLES[i][0], ARTICLES[i][1], ARTICLES[i][3]) for i in indexes]


# ---- running the spider ------------------------------------------------------------------------

def final_stats(log: str) -> dict:
    """Int and str values of the last "Dumping Scrapy stats" block of a Scrapy log."""
    pos = log.rfind("Dumping Scrapy stats:")
    assert pos != -1, "no stats dump in the crawl log:\n" + log[-3000:]
    stats = {}
    for line in log[pos:].splitlines()[1:]:
        if stats and not line.startswith(" "):
            break
        m = re.match(r"\s*\{?'([^']+)': (\d+|'[^']*')[,}]?$", line)
        if m:
            value = m.group(2)
            stats[m.group(1)] = value.strip("'") if value.startswith("'") else int(value)
    return stats


def crawl(tmp_path: Path, path_arg: str, *args: str, expect_ok: bool = True):
    """`scrapy crawl warc -a path=... -O items.jsonl` with no database; returns (items, stats, log)."""
    out, log_file = tmp_path / "items.jsonl", tmp_path / "crawl.log"
    out.unlink(missing_ok=True)
    log_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={path_arg}", "-O", str(out),
           "-s", "MONGODB_ENABLED=false", "-s", "TELNETCONSOLE_ENABLED=false", "-s", "LOG_LEVEL=INFO",
           "-s", f"LOG_FILE={log_file}", *args]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=180)
    log = (log_file.read_text(encoding="utf-8") if log_file.exists() else "") + proc.stderr
    if not expect_ok:
        return proc.returncode, log
    assert proc.returncode == 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items, final_stats(log), log


def by_url(items) -> dict:
    return {item["fetched_url"]: item for item in items}


# ---- crawls ------------------------------------------------------------------------------------

def test_records_become_items_and_everything_else_is_skipped_and_counted(tmp_path):
    (url0, date0, _, page0), (url1, date1, _, page1), (url2, date2, _, page2) = ARTICLES[:3]
    warc = tmp_path / "mixed.warc.gz"
    write_records(warc, [
        warcinfo(),
        request(url0, date0), response(url0, date0, page0),
        request(url1, date1),
        # Archived as sent: gzip content-encoding and chunked transfer encoding are undone on replay.
        response(url1, date1, chunked(gzip.compress(page1)),
                 headers=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]),
        response(url2, date2, page2),
        revisit(url0, "2026-03-09T00:00:00Z"),
        response("https://www.valley-courier.example/gone.html", date0, b"<html><body>Not found</body></html>",
                 status="404 Not Found"),
        response("https://www.valley-courier.example/old", date0, b"", status="301 Moved Permanently",
                 headers=[("Location", "https://www.valley-courier.example/new")]),
        response("https://www.valley-courier.example/img/ferry.jpg", date0, b"\xff\xd8\xff\xe0" + bytes(3000),
                 ctype="image/jpeg"),
        response("https://www.valley-courier.example/report.pdf", date0, b"%PDF-1.7\n" + bytes(2000),
                 ctype="application/pdf"),
        response("https://www.valley-courier.example/huge.html", date0, b"<html><body>" + b"x" * 20000),
        response("ftp://files.valley-courier.example/notes.html", date0, page0),
    ])
    items, stats, _ = crawl(tmp_path, str(warc), "-s", "NEWSCRAWL_MAX_PAGE_BYTES=12000")

    got = by_url(items)
    assert sorted(got) == sorted([url0, url1, url2])
    for url, date, title, _ in ARTICLES[:3]:
        item = got[url]
        assert item["url"] == url                 # no canonical link, no tracking parameters
        assert item["crawled_at"] == date         # the record's WARC-Date, not the time of the crawl
        assert item["title"] == title
        assert len(item["body"].split()) > 60
    assert stats["newscrawl/warc/records"] == 13
    assert stats["newscrawl/warc/response_records"] == 8       # not the ftp: record (no HTTP headers)
    assert stats["newscrawl/warc/skipped/status_404"] == 1
    assert stats["newscrawl/warc/skipped/status_301"] == 1
    assert stats["newscrawl/warc/skipped/not_html"] == 2
    assert stats["newscrawl/warc/skipped/too_large"] == 1
    assert stats["newscrawl/warc/records_replayed"] == 3
    assert stats["newscrawl/articles"] == 3
    assert "newscrawl/warc/invalid_records" not in stats
    assert stats["finish_reason"] == "finished"


def _damage_member(data: bytearray, start: int, end: int) -> None:
    """Flip 16 bytes in the middle of the compressed data of the gzip member data[start:end]."""
    middle = (start + 10 + end - 8) // 2
    for i in range(middle - 8, middle + 8):
        data[i] ^= 0x5A


def test_damaged_and_truncated_records_in_a_gzipped_warc(tmp_path):
    warc = tmp_path / "damaged.warc.gz"
    offsets = write_records(warc, [warcinfo(), *article_records()])
    data = bytearray(warc.read_bytes())
    _damage_member(data, offsets[3], offsets[4])                       # ARTICLES[2], in the middle
    data = data[:(offsets[5] + offsets[6]) // 2]                        # ARTICLES[4], the last, truncated
    warc.write_bytes(data)

    items, stats, log = crawl(tmp_path, str(warc))
    assert sorted(by_url(items)) == sorted(ARTICLES[i][0] for i in (0, 1, 3))
    assert stats["newscrawl/warc/invalid_records"] == 2
    assert stats["newscrawl/warc/records"] == 4                         # warcinfo and three articles
    assert stats["newscrawl/articles"] == 3
    assert f"at offset {offsets[3]}" in log and f"at offset {offsets[5]}" in log


def test_damaged_and_truncated_records_in_an_uncompressed_warc(tmp_path):
    warc = tmp_path / "damaged.warc"
    offsets = write_records(warc, [warcinfo(), *article_records()], gz=False)
    data = bytearray(warc.read_bytes())
    middle = (offsets[3] + offsets[4]) // 2
    del data[middle:middle + 100]                                       # ARTICLES[2] lost bytes
    cut = (offsets[5] + offsets[6]) // 2 - 100
    data = data[:cut]                                                   # ARTICLES[4] truncated
    warc.write_bytes(data)

    items, stats, _ = crawl(tmp_path, str(warc))
    assert sorted(by_url(items)) == sorted(ARTICLES[i][0] for i in (0, 1, 3))
    dates = {url: date for url, date, _, _ in ARTICLES}
    assert all(item["crawled_at"] == dates[item["fetched_url"]] for item in items)
    assert stats["newscrawl/warc/invalid_records"] == 2
    assert stats["newscrawl/articles"] == 3


def test_several_files_globs_and_max_articles(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    first = archive / "a-000.warc.gz"
    write_warc(str(first), [(u, p, d, "text/html") for u, d, _, p in ARTICLES[:2]])
    write_warc(str(archive / "b-001.warc.gz"), [(u, p, d, "text/html") for u, d, _, p in ARTICLES[2:4]])
    write_warc(str(archive / "b-002.warc"), [(u, p, d, "text/html") for u, d, _, p in ARTICLES[4:]], gzip=False)
    (archive / "notes.txt").write_text("not a WARC")

    items, stats, _ = crawl(tmp_path, f"{first},{archive}/b-*.warc*")
    assert sorted(by_url(items)) == sorted(a[0] for a in ARTICLES)
    assert stats["newscrawl/warc/records"] == 5
    assert stats["newscrawl/articles"] == 5

    items, stats, _ = crawl(tmp_path, f"{archive}/*.warc*", "-a", "max_articles=2")
    assert len(items) == 2
    assert stats["newscrawl/articles"] == 2
    assert stats["finish_reason"] == "max_articles"


def test_missing_file_is_a_clear_error(tmp_path):
    present = tmp_path / "present.warc.gz"
    write_warc(str(present), [(ARTICLES[0][0], ARTICLES[0][3], ARTICLES[0][1], "text/html")])
    missing = tmp_path / "missing-*.warc.gz"
    rc, log = crawl(tmp_path, f"{present},{missing}", expect_ok=False)
    assert rc != 0
    assert f"WARC file not found: {missing}" in log


# ---- newscrawl.warc in process ------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count


def _big_page(i: int) -> bytes:
    # Incompressible enough that its gzip member spans several 16 KiB reads: warcio used to print
    # the zlib error and swallow the rest of the file when such a member was damaged.
    noise = random.Random(i).randbytes(60000).hex()
    return f"<html><body><p>Page {i}</p><p>{noise}</p></body></html>".encode()


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_scan_resumes_after_a_damaged_large_record_and_counts_it_once(tmp_path, gz):
    path = tmp_path / ("big.warc.gz" if gz else "big.warc")
    pages = [_big_page(i) for i in range(5)]
    offsets = write_records(path, [response(f"https://example.org/{i}", "2026-01-01T00:00:00Z", p)
                                   for i, p in enumerate(pages)], gz=gz)
    assert all(b - a > 3 * 16384 for a, b in zip(offsets, offsets[1:]))
    data = bytearray(path.read_bytes())
    if gz:
        _damage_member(data, offsets[1], offsets[2])
    else:
        data[offsets[1]:offsets[1] + 8] = b"XXXX/1.0"                   # header no longer a WARC header
    path.write_bytes(data)

    stats = Stats()
    refs = list(iter_records(str(path), stats))
    assert [r.url for r in refs] == [f"https://example.org/{i}" for i in (0, 2, 3, 4)]
    assert [r.offset for r in refs] == [offsets[i] for i in (0, 2, 3, 4)]
    assert stats.values == {"newscrawl/warc/records": 4, "newscrawl/warc/invalid_records": 1}
    for ref in refs:
        assert read_record(ref.path, ref.offset)[2] == pages[int(ref.url.rsplit("/", 1)[1])]


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
@pytest.mark.parametrize("where", ["warc-headers", "http-headers", "payload", "separator"])
def test_truncated_last_record_is_counted_not_replayed(tmp_path, gz, where):
    path = tmp_path / ("t.warc.gz" if gz else "t.warc")
    offsets = write_records(path, [response(ARTICLES[i][0], ARTICLES[i][1], ARTICLES[i][3]) for i in range(3)], gz=gz)
    data = path.read_bytes()
    if gz:   # cut the last member at a point of its decompressed record
        record = gzip.decompress(data[offsets[2]:])
        keep = {"warc-headers": record.index(b"Content-Length"), "http-headers": record.index(b"HTTP/1.1") + 10,
                "payload": len(record) // 2, "separator": len(record) - 2}[where]
        # What a download cut short leaves: compressed data without the member's end and trailer.
        z = zlib.compressobj(6, zlib.DEFLATED, 31)
        truncated = data[:offsets[2]] + z.compress(record[:keep]) + z.flush(zlib.Z_SYNC_FLUSH)
    else:
        record = data[offsets[2]:]
        keep = {"warc-headers": record.index(b"Content-Length"), "http-headers": record.index(b"HTTP/1.1") + 10,
                "payload": len(record) // 2, "separator": len(record) - 3}[where]
        truncated = data[:offsets[2] + keep]
    path.write_bytes(truncated)

    stats = Stats()
    refs = list(iter_records(str(path), stats))
    assert [r.url for r in refs] == [ARTICLES[0][0], ARTICLES[1][0]]
    assert stats.values["newscrawl/warc/invalid_records"] == 1


def test_resync_skips_junk_that_only_looks_like_a_gzip_member(tmp_path):
    path = tmp_path / "junk.warc.gz"
    offsets = write_records(path, article_records(range(3)))
    data = path.read_bytes()
    junk = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)) * 4 + b"\x1f\x8b\x08garbage"
    path.write_bytes(data[:offsets[1]] + junk + data[offsets[1]:])

    stats = Stats()
    refs = list(iter_records(str(path), stats))
    assert [r.url for r in refs] == [a[0] for a in ARTICLES[:3]]
    assert refs[1].offset == offsets[1] + len(junk)
    assert stats.values["newscrawl/warc/invalid_records"] == 1


def test_a_file_that_is_not_a_warc_is_one_invalid_record(tmp_path):
    path = tmp_path / "page.warc"
    path.write_bytes(ARTICLES[0][3])
    stats = Stats()
    assert list(iter_records(str(path), stats)) == []
    assert stats.values == {"newscrawl/warc/invalid_records": 1}


def test_read_record_undoes_encodings_and_stops_past_max_bytes(tmp_path):
    path = tmp_path / "enc.warc.gz"
    page = ARTICLES[0][3]
    offsets = write_records(path, [
        response(ARTICLES[0][0], ARTICLES[0][1], gzip.compress(page), headers=[("Content-Encoding", "gzip")]),
        response(ARTICLES[1][0], ARTICLES[1][1], page, headers=[("Content-Encoding", "zstd")]),
    ])
    status, headers, body = read_record(str(path), offsets[0])
    assert status == 200 and body == page
    assert {k.lower() for k, _ in headers} == {"content-type"}
    assert read_record(str(path), offsets[0], max_bytes=100)[2] == page[:101]
    # An encoding warcio cannot undo keeps its header, for Scrapy's decompression middleware.
    _, headers, body = read_record(str(path), offsets[1])
    assert body == page and ("Content-Encoding", "zstd") in headers


def test_expand_paths(tmp_path):
    for name in ("a.warc.gz", "b.warc.gz", "c.warc"):
        (tmp_path / name).write_bytes(b"")
    assert expand_paths(f"{tmp_path}/c.warc, {tmp_path}/*.warc.gz,") == [
        str(tmp_path / n) for n in ("c.warc", "a.warc.gz", "b.warc.gz")]
    with pytest.raises(FileNotFoundError, match="WARC file not found: .*nothing-\\*"):
        expand_paths(f"{tmp_path}/a.warc.gz,{tmp_path}/nothing-*")
    with pytest.raises(FileNotFoundError, match="directory"):
        expand_paths(str(tmp_path))


def test_records_of_a_table_source_get_its_page_module(tmp_path):
    """Archived pages are routed by domain: a BBC record gets the bbc source and its layout."""
    fixture = REPO / "tests" / "publishers" / "bbc" / "bbc.html"
    warc = tmp_path / "sources.warc.gz"
    write_warc(str(warc), [("https://www.bbc.co.uk/news/articles/c0abcdefgh1o", fixture.read_bytes(),
                            "2026-11-20T10:00:00Z", "text/html; charset=utf-8")])
    items, stats, _ = crawl(tmp_path, str(warc))
    assert [(i["source"], i["source_name"]) for i in items] == [("bbc", "BBC")]
    assert items[0]["crawled_at"] == "2026-11-20T10:00:00Z"
