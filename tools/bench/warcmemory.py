"""`python -m tools.bench warc-memory` writes a ~1 GB gzipped WARC (binary records of a few MB, a few
hundred small article pages spread through it) and a 64 MB one into a temporary directory, runs `scrapy crawl warc` over
each in a subprocess while sampling its RSS from /proc every 0.2 s, and prints peak RSS, RSS after
the first 10% of the file and at the end, items, records and seconds; it exits 1 unless the large
run's peak is within 20% of the small one's.
"""

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.paths import ROOT

from .common import bench_article, final_stats, proc_status, warc_member


def build_memory_warc(path: Path, size_mb: int, html_per_gb: int = 300, seed: int = 7) -> dict:
    """~size_mb MB gzipped WARC: random binary records of 2-6 MB (images, PDFs, video), a few HTML
    pages over NEWSCRAWL_MAX_PAGE_BYTES, and small article pages spread evenly through the file."""
    r = random.Random(seed)
    pool = r.randbytes(16 << 20)
    target = size_mb << 20
    n_html = max(10, round(html_per_gb * size_mb / 1024))
    every = target // n_html
    huge = b"<html><body><p>" + pool[:5 << 20].hex().encode() + b"</p></body></html>"   # 10 MB
    counts = {"binary": 0, "html": 0, "html_oversized": 0}
    written = next_html = 0
    with open(path, "wb") as out:
        while written < target:
            if written >= next_html:
                i = counts["html"]
                member = warc_member(f"https://www.bench-herald.example/news/2026/10/{i}.html",
                                      f"2026-10-{1 + i % 28:02d}T09:00:00Z", "text/html; charset=utf-8",
                                      bench_article(i), 6)
                counts["html"] += 1
                next_html += every
            elif counts["binary"] % 97 == 50:      # now and then an HTML page too large to parse
                member = warc_member(f"https://www.bench-herald.example/huge/{counts['binary']}.html",
                                      "2026-10-01T09:00:00Z", "text/html", huge, 1)
                counts["html_oversized"] += 1
                counts["binary"] += 1
            else:
                n = r.randint(2 << 20, 6 << 20)
                start = r.randrange(len(pool) - n)
                ctype = r.choice(("image/jpeg", "application/pdf", "video/mp4", "application/octet-stream"))
                member = warc_member(f"https://cdn.bench-herald.example/media/{counts['binary']}",
                                      "2026-10-01T09:00:00Z", ctype, pool[start:start + n], 0)
                counts["binary"] += 1
            out.write(member)
            written += len(member)
    counts["records"] = counts["binary"] + counts["html"]
    counts["bytes"] = written
    return counts


def _read_position(pid: int, path: Path) -> int | None:
    """Furthest file offset any descriptor of `pid` has reached in `path` (the scan's progress)."""
    best = None
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != str(path):
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                pos = int(f.readline().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        best = pos if best is None else max(best, pos)
    return best


def measure_warc_crawl(warc: Path, workdir: Path, interval: float = 0.2) -> dict:
    """Run `scrapy crawl warc` over `warc` in a subprocess, sampling its RSS every `interval` s."""
    items, log = workdir / "items.jsonl", workdir / "crawl.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={warc}", "-O", str(items),
           "-s", "MONGODB_ENABLED=false", "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=INFO",
           "-s", "TELNETCONSOLE_ENABLED=false"]
    size = warc.stat().st_size
    samples = []  # (seconds, rss_kib, file position)
    hwm = 0
    t0 = time.perf_counter()
    err_path = workdir / "stderr.txt"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    while proc.poll() is None:
        status = proc_status(proc.pid)
        if status:
            hwm = max(hwm, status.get("VmHWM", 0))
            samples.append((time.perf_counter() - t0, status.get("VmRSS", 0), _read_position(proc.pid, warc)))
        time.sleep(interval)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed ({proc.returncode}): {err_path.read_text(errors='replace')[-2000:]}")
    stats = final_stats(log.read_text(encoding="utf-8", errors="replace"))
    rss = [s[1] for s in samples if s[1]]
    # RSS once the scan has passed 10% of the file (by time if positions were not readable).
    early = next((s[1] for s in samples if s[2] is not None and s[2] >= size / 10), None)
    if early is None:
        early = next((s[1] for s in samples if s[0] >= seconds / 10), rss[0] if rss else 0)
    return {"seconds": seconds, "samples": len(samples), "peak_kib": max(rss, default=0), "hwm_kib": hwm,
            "rss10_kib": early, "rss_end_kib": rss[-1] if rss else 0,
            "items": sum(1 for line in items.open(encoding="utf-8") if line.strip()) if items.exists() else 0,
            "stats": stats}


def main(args) -> int:
    sizes = sorted({args.compare_mb, args.size_mb})
    rows = []
    for size_mb in sizes:
        with tempfile.TemporaryDirectory(prefix="warc-memory-", dir=args.dir) as tmp:
            warc = Path(tmp) / f"bench-{size_mb}mb.warc.gz"
            t = time.perf_counter()
            built = build_memory_warc(warc, size_mb)
            build_s = time.perf_counter() - t
            print(f"{size_mb} MB: wrote {built['bytes'] / 2**20:.0f} MiB, {built['records']} records "
                  f"({built['html']} article pages, {built['binary']} binary incl. {built['html_oversized']} "
                  f"oversized HTML) in {build_s:.1f}s; crawling...", flush=True)
            run = measure_warc_crawl(warc, Path(tmp))
            run.update(size_mb=size_mb, file_mib=built["bytes"] / 2**20, built=built)
            rows.append(run)
    mib = 1024
    print(f"\n{'WARC':>8} {'records':>8} {'items':>6} {'invalid':>7} {'seconds':>8} {'MiB/s':>6} "
          f"{'RSS@10%':>8} {'RSS end':>8} {'peak RSS':>9} {'VmHWM':>7}")
    for r in rows:
        s = r["stats"]
        print(f"{r['file_mib']:>5.0f}MiB {s.get('newscrawl/warc/records', 0):>8} {r['items']:>6} "
              f"{s.get('newscrawl/warc/invalid_records', 0):>7} {r['seconds']:>8.1f} "
              f"{r['file_mib'] / r['seconds']:>6.1f} {r['rss10_kib'] / mib:>6.0f}MB {r['rss_end_kib'] / mib:>6.0f}MB "
              f"{r['peak_kib'] / mib:>7.0f}MB {r['hwm_kib'] / mib:>5.0f}MB")
    for r in rows:
        skipped = {k.rsplit("/", 1)[-1]: v for k, v in r["stats"].items() if k.startswith("newscrawl/warc/skipped/")}
        print(f"  {r['size_mb']} MB: html records {r['built']['html']}, articles {r['items']}, skipped {skipped}, "
              f"RSS samples {r['samples']}")
    if len(rows) < 2:
        return 0
    small, big = rows[0], rows[-1]
    ratio = big["hwm_kib"] / small["hwm_kib"] if small["hwm_kib"] else float("inf")
    flat = ratio <= 1.2
    print(f"\npeak RSS (VmHWM) {big['size_mb']} MB / {small['size_mb']} MB = {ratio:.2f} -> "
          f"{'flat' if flat else 'NOT flat'} (limit 1.20); RSS growth over the {big['size_mb']} MB crawl "
          f"after the first 10%: {(big['rss_end_kib'] - big['rss10_kib']) / mib:+.0f} MB")
    return 0 if flat else 1
