"""Hostile sitemaps and feeds (issue 17 §1 at entry, §3): URLs that are not the web, recursion
without end, oversized and entity-laden documents, and discovery that must stay lazy. Crawls run
`scrapy crawl` against the local test site; the spider's own checks are shown to hold with the
downloader-level URL gate and the disabled download handlers put back as they were (`UNGUARDED`)."""

import gzip
import json
import os

import pytest

from conftest import ARTICLE_PARAGRAPHS, article_html, run_crawl
from newscrawl import settings as project_settings
from newscrawl.discovery import Frontier, RunBuilder, open_discovery, parse_discovery

XML = {"Content-Type": "application/xml"}
MARKER = "LOCALFILE-MARKER-7f3a"


def unguarded() -> dict:
    """Settings without any downloader-level defence: URL gate middlewares off, the `file` and
    `data` handlers back. What is refused here is refused by discovery alone."""
    mws = {k: (None if "urlgate" in k.lower() else v) for k, v in project_settings.DOWNLOADER_MIDDLEWARES.items()}
    handlers = {**project_settings.DOWNLOAD_HANDLERS,
                "file": "scrapy.core.downloader.handlers.file.FileDownloadHandler",
                "data": "scrapy.core.downloader.handlers.datauri.DataURIDownloadHandler"}
    return {"DOWNLOADER_MIDDLEWARES": json.dumps(mws), "DOWNLOAD_HANDLERS": json.dumps(handlers)}


def story(title: str) -> str:
    lead = f"{title}: the story in brief, as told to our reporters by the people who were there this week."
    return article_html(title, paragraphs=[lead, *ARTICLE_PARAGRAPHS])


def urlset(locs) -> str:
    rows = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'


def sitemapindex(locs) -> str:
    rows = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'


@pytest.fixture
def local_files(tmp_path):
    """A FIFO (reading it blocks), /dev/zero (reading it never ends) and an HTML file with a marker."""
    fifo = tmp_path / "news" / "2026" / "fifo.html"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    page = tmp_path / "news" / "2026" / "secret.html"
    page.write_text(article_html(MARKER, paragraphs=[f"{MARKER} " * 40]))
    return [f"file://{fifo}", "file:///dev/zero", f"file://{page}"]


# ---- unit: the parser refuses what is not the web ---------------------------------------------------

BAD_LOCS = ["file:///dev/zero", "file:///etc/passwd", "data:text/html,<p>x</p>", "ftp://a.example/x",
            "s3://bucket/key", "javascript:alert(1)", "gopher://a.example/", "http://", "http:///path",
            "https://a.example:99999/", "http://[::1", "https://a.example/" + "x" * 5000]


def test_sitemap_locs_that_are_not_http_urls_are_refused_and_counted():
    doc = open_discovery(urlset(["https://a.example/ok", *BAD_LOCS, "/relative/ok"]).encode(),
                         base_url="https://a.example/sitemap.xml")
    assert [e.url for e in doc.entries()] == ["https://a.example/ok", "https://a.example/relative/ok"]
    assert doc.refused["scheme"] == len(BAD_LOCS)


def test_sitemap_index_children_and_feed_links_that_are_not_http_urls_are_refused():
    doc = open_discovery(sitemapindex(["file:///dev/zero", "sub.xml"]).encode(), base_url="http://a.example/i.xml")
    assert [e.url for e in doc.entries()] == ["http://a.example/sub.xml"] and doc.refused["scheme"] == 1
    items = "".join(f"<item><title>t</title><link>{loc}</link></item>" for loc in ["/fine", *BAD_LOCS[:6]])
    doc = open_discovery(f"<rss><channel>{items}</channel></rss>".encode(), base_url="http://a.example/feed")
    assert [e.url for e in doc.entries()] == ["http://a.example/fine"] and doc.refused["scheme"] == 6
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="file:///etc/passwd"/>'
            '</entry><entry><link href="https://a.example/x"/></entry></feed>')
    doc = open_discovery(atom.encode())
    assert [e.url for e in doc.entries()] == ["https://a.example/x"] and doc.refused["scheme"] == 1


def test_entity_expansion_in_a_sitemap_is_not_expanded():
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(2, 12))
    body = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY l1 "lol">{levels}]><urlset>'
            f"<url><loc>https://a.example/&l11;</loc></url><url><loc>https://a.example/after</loc></url></urlset>")
    doc = open_discovery(body.encode())
    urls = [e.url for e in doc.entries()]
    assert set(urls) <= {"https://a.example/", "https://a.example/after"}
    # libxml2 may stop the document at the amplification (counted), never expand it.
    assert "https://a.example/after" in urls or doc.refused["malformed"] == 1


def test_external_entities_in_a_sitemap_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    body = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]><urlset>'
            f"<url><loc>https://a.example/&xxe;</loc></url><url><loc>https://a.example/after</loc></url></urlset>")
    urls = [e.url for e in parse_discovery(body.encode()).entries]
    assert urls == ["https://a.example/", "https://a.example/after"]


def test_a_truncated_document_keeps_what_came_before_and_is_counted():
    doc = open_discovery(b"<urlset><url><loc>https://a.example/first</loc></url><url><loc>https://a.exa")
    assert [e.url for e in doc.entries()][0] == "https://a.example/first"
    assert doc.refused["malformed"] == 1 and "Premature end" in doc.error


def test_an_entry_with_too_many_nodes_is_skipped_and_the_rest_is_read():
    bloated = "<url><loc>https://a.example/bloated</loc>" + "<x/>" * 5000 + "</url>"
    doc = open_discovery(f"<urlset>{bloated}<url><loc>https://a.example/next</loc></url></urlset>".encode())
    assert [e.url for e in doc.entries()] == ["https://a.example/next"]
    assert doc.refused["record"] == 1


def test_junk_between_entries_and_deep_nesting_do_not_stop_the_document():
    junk = "<junk>" + "<j/>" * 20000 + "</junk>"
    deep = "<d>" * 5000 + "</d>" * 5000
    doc = open_discovery(f"<urlset><url><loc>https://a.example/1</loc></url>{junk}"
                         f"<url><loc>https://a.example/2</loc></url>{deep}</urlset>".encode())
    assert [e.url for e in doc.entries()][:2] == ["https://a.example/1", "https://a.example/2"]


def test_entries_per_document_are_capped():
    doc = open_discovery(urlset([f"https://a.example/{i}" for i in range(50)]).encode(), max_entries=20)
    assert len(list(doc.entries())) == 20 and doc.refused["entries"] == 1


# ---- unit: the frontier -------------------------------------------------------------------------------

def stamp(day: int):
    from datetime import datetime, timezone
    return datetime(2026, 11, day, tzinfo=timezone.utc)


def test_frontier_merges_documents_newest_first_undated_last_in_document_order():
    frontier = Frontier()
    a, b = RunBuilder(), RunBuilder()
    for url, day in [("a/undated1", None), ("a/3", 3), ("a/1", 1), ("a/undated2", None), ("a/3bis", 3)]:
        a.add(f"https://a.example/{url}", stamp(day) if day else None)
    for url, day in [("b/2", 2), ("b/4", 4), ("b/undated", None)]:
        b.add(f"https://b.example/{url}", stamp(day) if day else None)
    frontier.add(a)
    frontier.add(b)
    assert len(frontier) == 8
    got = [frontier.pop().split("/", 3)[3] for _ in range(8)]
    assert got == ["b/4", "a/3", "a/3bis", "b/2", "a/1", "a/undated1", "a/undated2", "b/undated"]
    assert len(frontier) == 0


def test_frontier_refuses_over_max_pending_keeping_the_newest():
    frontier = Frontier(max_pending=3)
    builder = RunBuilder()
    for day in range(1, 8):
        builder.add(f"https://a.example/{day}", stamp(day))
    assert frontier.add(builder) == 4
    assert [frontier.pop() for _ in range(3)] == ["https://a.example/7", "https://a.example/6", "https://a.example/5"]


# ---- crawls: never a local read ------------------------------------------------------------------------

def assert_no_local_read(items, log):
    assert MARKER not in log
    assert not any(MARKER in json.dumps(item) for item in items)
    assert not any(item["fetched_url"].startswith("file:") for item in items)


def test_sitemap_and_feed_entries_pointing_at_local_files_are_never_requested(http_site, tmp_path, local_files):
    site = http_site
    p = f"/hd-local-{tmp_path.name[-8:]}"
    good = site.add(f"{p}/news/2026/good.html", story("Reservoir fuller than in a decade"))
    good_feed = site.add(f"{p}/news/2026/from-feed.html", story("Spillway gates open for the first time"))
    site.add(f"{p}/urls.xml", urlset([*local_files, good]), headers=XML)
    site.add(f"{p}/index.xml", sitemapindex([f"{p}/urls.xml", *local_files]), headers=XML)
    links = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in [*local_files, good_feed])
    site.add(f"{p}/feed.rss", f"<rss><channel>{links}</channel></rss>", headers=XML)
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": site.url(f"{p}/index.xml"),
                                                            "rss": site.url(f"{p}/feed.rss")},
                                      unguarded(), timeout=120)
    assert rc == 0, log[-3000:]
    assert sorted(i["fetched_url"] for i in items) == sorted([good, good_feed])
    assert_no_local_read(items, log)
    assert stats["newscrawl/discovery/refused/scheme"] == 3 * len(local_files)
    assert not [k for k in stats if k.startswith("spider_exceptions")]


def test_source_spider_never_requests_local_files_from_its_feeds(http_site, tmp_path, local_files):
    site = http_site
    p = f"/hd-src-{tmp_path.name[-8:]}"
    good = site.add(f"{p}/news/2026/good.html", story("Harbour ferry returns after two years"))
    site.add(f"{p}/news.xml", urlset([*local_files, good]), headers=XML)
    site.add(f"{p}/index.xml", sitemapindex([*local_files, f"{p}/news.xml"]), headers=XML)
    config = [{"slug": "hostilenews", "name": "Hostile News", "domains": ["127.0.0.1"], "language": "en",
               "timezone": "Europe/London", "feeds": [{"kind": "sitemap", "url": site.url(f"{p}/index.xml")}],
               "article_url": r"/news/\d{4}/", "concurrency": 2, "delay": 0}]
    (tmp_path / "sources.json").write_text(json.dumps(config))
    items, stats, rc, log = run_crawl(tmp_path, "hostilenews", {"since": "2020-01-01"}, unguarded(), timeout=120,
                                      env={"NEWSCRAWL_EXTRA_SOURCES": str(tmp_path / "sources.json")})
    assert rc == 0, log[-3000:]
    assert [i["fetched_url"] for i in items] == [good]
    assert_no_local_read(items, log)
    assert stats["newscrawl/discovery/refused/scheme"] == 2 * len(local_files)


# ---- crawls: recursion and size are bounded ------------------------------------------------------------

def self_generating_index(site, prefix: str, fanout: int, levels: int) -> None:
    """Index `n` lists `fanout` fresh indexes (`n`*fanout+1 ...), `levels` deep: an endless
    index as far as any limit can tell."""
    count = sum(fanout ** k for k in range(levels + 1))
    for n in range(count):
        children = [f"{prefix}/gen/{n * fanout + k + 1}.xml" for k in range(fanout)]
        site.add(f"{prefix}/gen/{n}.xml", sitemapindex(site.url(c) for c in children), headers=XML)


def test_self_generating_sitemap_index_ends_at_the_depth_limit(http_site, tmp_path):
    site, p = http_site, f"/hd-depth-{tmp_path.name[-8:]}"
    self_generating_index(site, p, fanout=1, levels=12)
    good = site.add(f"{p}/good.html", story("Museum reopens its doors"))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": site.url(f"{p}/gen/0.xml"), "urls": good},
                                      {"NEWSCRAWL_SITEMAP_MAX_DEPTH": 3}, timeout=120)
    assert rc == 0, log[-3000:]
    assert [i["fetched_url"] for i in items] == [good]
    assert site.requests(f"{p}/gen/") == [f"{p}/gen/{n}.xml" for n in range(4)]   # the given one + 3 levels
    assert stats["newscrawl/discovery/refused/depth"] == 1
    assert stats["newscrawl/discovery/sitemapindex"] == 4


def test_fanning_sitemap_index_ends_at_the_total_limit(http_site, tmp_path):
    site, p = http_site, f"/hd-total-{tmp_path.name[-8:]}"
    self_generating_index(site, p, fanout=4, levels=4)
    good = site.add(f"{p}/good.html", story("Orchestra plays the old bridge"))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": site.url(f"{p}/gen/0.xml"), "urls": good},
                                      {"NEWSCRAWL_SITEMAP_MAX_DEPTH": 50, "NEWSCRAWL_SITEMAP_MAX_TOTAL": 10},
                                      timeout=120)
    assert rc == 0, log[-3000:]
    assert len(items) == 1
    assert len(site.requests(f"{p}/gen/")) == 1 + 10
    assert stats["newscrawl/discovery/sitemapindex"] == 11
    # Every index read lists 4 children: 44 listed, 10 requested.
    assert stats["newscrawl/discovery/refused/total"] == 44 - 10


def test_source_spider_sitemap_recursion_is_bounded(http_site, tmp_path):
    site, p = http_site, f"/hd-srcdepth-{tmp_path.name[-8:]}"
    self_generating_index(site, p, fanout=1, levels=12)
    config = [{"slug": "loopnews", "name": "Loop News", "domains": ["127.0.0.1"], "language": "en",
               "timezone": "Europe/London", "feeds": [{"kind": "sitemap", "url": site.url(f"{p}/gen/0.xml")}],
               "article_url": r"/news/\d{4}/", "concurrency": 2, "delay": 0}]
    (tmp_path / "sources.json").write_text(json.dumps(config))
    items, stats, rc, log = run_crawl(tmp_path, "loopnews", {}, {"NEWSCRAWL_SITEMAP_MAX_DEPTH": 2}, timeout=120,
                                      env={"NEWSCRAWL_EXTRA_SOURCES": str(tmp_path / "sources.json")})
    assert items == []
    assert site.requests(f"{p}/gen/") == [f"{p}/gen/{n}.xml" for n in range(3)]
    assert stats["newscrawl/discovery/refused/depth"] == 1
    assert not [k for k in stats if k.startswith("spider_exceptions")]


def test_oversized_sitemaps_and_feeds_are_refused_and_counted(http_site, tmp_path):
    site, p = http_site, f"/hd-size-{tmp_path.name[-8:]}"
    good = site.add(f"{p}/good.html", story("School council agrees on the new railway"))
    filler = urlset([site.url(f"{p}/big/{i}") for i in range(4000)])   # ~200 KB
    assert len(filler) > 150_000
    site.add(f"{p}/plain.xml", filler, headers=XML)                             # cancelled while downloading
    site.add(f"{p}/packed.xml.gz", gzip.compress(filler.encode()), headers={"Content-Type": "application/x-gzip"})
    site.add(f"{p}/encoded.xml", gzip.compress(filler.encode()), headers={**XML, "Content-Encoding": "gzip"})
    site.add(f"{p}/small.xml", urlset([good]), headers=XML)
    sitemaps = ",".join(site.url(f"{p}/{name}") for name in ("plain.xml", "packed.xml.gz", "encoded.xml", "small.xml"))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": sitemaps},
                                      {"NEWSCRAWL_DISCOVERY_MAX_BYTES": 100_000}, timeout=120)
    assert rc == 0, log[-3000:]
    assert [i["fetched_url"] for i in items] == [good]
    assert not site.requests(f"{p}/big/")
    assert stats["newscrawl/discovery/refused/size"] == 3
    assert not [k for k in stats if k.startswith("spider_exceptions")]


def test_entity_expansion_sitemap_crawl_ends_and_reads_no_file(http_site, tmp_path):
    site, p = http_site, f"/hd-xxe-{tmp_path.name[-8:]}"
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    good = site.add(f"{p}/good.html", story("Storm closes the forest road"))
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(2, 12))
    site.add(f"{p}/lol.xml", f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY l1 "lol">{levels}'
                             f'<!ENTITY xxe SYSTEM "file://{secret}">]><urlset><url><loc>{good}</loc></url>'
                             f"<url><loc>{site.url(p)}/&l11;</loc></url><url><loc>{site.url(p)}/&xxe;</loc></url>"
                             f"</urlset>",
             headers=XML)
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": site.url(f"{p}/lol.xml")}, timeout=120)
    assert rc == 0, log[-3000:]
    assert [i["fetched_url"] for i in items] == [good]
    assert MARKER not in log and "lollol" not in log


# ---- crawls: discovery is lazy -------------------------------------------------------------------------

def test_discovered_urls_enter_the_scheduler_only_as_it_drains(http_site, tmp_path):
    site, p = http_site, f"/hd-lazy-{tmp_path.name[-8:]}"
    n = 3000
    rows = "".join(f"<url><loc>{site.url(f'{p}/a/{i}.html')}</loc><lastmod>2026-11-{1 + i % 28:02d}</lastmod></url>"
                   for i in range(n))
    site.add(f"{p}/big.xml", f'<?xml version="1.0"?><urlset>{rows}</urlset>', headers=XML)
    newest = [i for i in range(n) if 1 + i % 28 == 28]
    for i in newest[:10]:
        site.add(f"{p}/a/{i}.html", story(f"Market report number {i}"))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": site.url(f"{p}/big.xml"), "max_articles": 5},
                                      {"NEWSCRAWL_DISCOVERY_MAX_QUEUED": 20, "CONCURRENT_REQUESTS": 4}, timeout=120)
    assert len(items) == 5, log[-3000:]
    assert stats["newscrawl/discovery/entries"] == n
    # Eager discovery would have scheduled all 3,000 requests; lazily, the queue's bound plus what
    # was in flight when the spider closed.
    assert stats["scheduler/enqueued/memory"] <= 1 + 20 + 4 + 5
    # Newest first: every article requested is one of the entries dated 28 November.
    fetched = [int(path.rsplit("/", 1)[1].split(".")[0]) for path in site.requests(f"{p}/a/")]
    assert 5 <= len(fetched) <= 29 and set(fetched) <= set(newest)
    assert sorted(fetched)[:5] == newest[:5]
