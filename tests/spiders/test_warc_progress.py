"""WARC ingestion progress (newscrawl.warc.WarcProgress, the `warc` spider): the share of bytes read
over all files, the files done, the records read and an ETA, logged every LOGSTATS_INTERVAL seconds;
checked on the line itself and in a real `scrapy crawl warc` over WARC files of the demo pages."""

import re

from conftest import REPO, run_crawl
from newscrawl.warc import WarcProgress, iter_records, read_record, write_warc

LINE = re.compile(r"\[newscrawl\.spiders\.warc\] INFO: WARC: (\d+)% of ([\d.]+ [KMG]?B) read \((\d+) of (\d+) files?\), "
                  r"([\d,]+) records, (ETA (?:-|[\dhmin ]+s?)|in [\dhmin ]+s?)$")


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_line_share_files_and_eta(tmp_path):
    first, second = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    first.write_bytes(b"x" * 600_000)
    second.write_bytes(b"x" * 600_000)
    clock = Clock()
    progress = WarcProgress([str(first), str(second)], clock=clock)
    progress.start_file(0)
    assert progress.line(0) == "WARC: 0% of 1.2 MB read (0 of 2 files), 0 records, ETA -"
    clock.now += 30
    progress.at(300_000)
    assert progress.line(2310) == "WARC: 25% of 1.2 MB read (0 of 2 files), 2,310 records, ETA 2 min"
    progress.at(600_000)
    progress.end_file()
    progress.start_file(1)
    clock.now += 30
    progress.at(480_000)
    assert progress.line(9000) == "WARC: 90% of 1.2 MB read (1 of 2 files), 9,000 records, ETA 7 s"
    progress.end_file()
    assert progress.line(9500) == "WARC: 100% of 1.2 MB read (2 of 2 files), 9,500 records, in 1 min"


def demo_pages() -> list[tuple]:
    """(url, body, date, content type) of the response records of the demo WARC."""
    path = str(REPO / "samples" / "demo.warc.gz")
    pages = []
    for ref in iter_records(path):
        _, headers, body = read_record(path, ref.offset)
        pages.append((ref.url, body, ref.date, dict(headers).get("Content-Type", "text/html")))
    return pages


def test_crawl_logs_the_share_read_until_100_percent(tmp_path):
    pages = demo_pages()
    files = []
    for n in range(3):   # three files of the demo pages, each under 60 distinct URLs
        path = tmp_path / f"part-{n}.warc.gz"
        write_warc(str(path), [(f"{url}?copy={n}-{k}", body, date, ctype)
                               for k in range(60) for url, body, date, ctype in pages])
        files.append(str(path))
    _, stats, code, log = run_crawl(tmp_path, "warc", {"path": ",".join(files)},
                                    {"LOGSTATS_INTERVAL": 0.2, "CONCURRENT_REQUESTS": 4})
    assert code == 0, log[-3000:]
    found = [m.groups() for m in map(LINE.search, log.splitlines()) if m]
    assert len(found) >= 3, [line for line in log.splitlines() if "WARC:" in line]
    shares = [int(g[0]) for g in found]
    assert shares == sorted(shares) and any(0 < s < 100 for s in shares), shares
    assert all(g[3] == "3" for g in found)
    assert any(g[5].startswith("ETA ") for g in found)
    last = found[-1]
    assert last[0] == "100" and last[2] == "3" and last[5].startswith("in ")
    assert int(last[4].replace(",", "")) == stats["newscrawl/warc/records"] == 3 * 60 * len(pages)
    assert sum(1 for g in found if g[0] == "100" and g[5].startswith("in ")) == 1   # the last line, once
