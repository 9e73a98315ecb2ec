"""The generic `article` spider, run as `scrapy crawl article` against a local site: direct URLs,
URL files, sitemaps (index, news, gzipped), RSS / Atom feeds, `since`, `max_articles`, feed
ordering, robots.txt, drop counting and bad arguments. Each crawl runs once per module (a
subprocess: the Twisted reactor starts once per process) and several tests read its result."""

import gzip
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from conftest import ARTICLE_PARAGRAPHS, article_html, assert_contract, fixture_page, run_crawl
from newscrawl.spiders.article import ArticleSpider


@dataclass
class Crawl:
    items: list
    stats: dict
    returncode: int
    log: str
    requests: list      # paths requested under the scenario's prefix, in arrival order
    started: datetime
    finished: datetime

    def by_path(self, site) -> dict:
        return {item["fetched_url"].removeprefix(site.base): item for item in self.items}


def crawl(site, tmp_path, prefix: str, args: dict, settings: dict | None = None) -> Crawl:
    started = datetime.now(timezone.utc).replace(microsecond=0)
    before = len(site.requests(prefix))   # the site is shared by the session: only this crawl's requests
    items, stats, rc, log = run_crawl(tmp_path, "article", args, settings)
    return Crawl(items, stats, rc, log, site.requests(prefix)[before:], started, datetime.now(timezone.utc))


def story(title: str) -> str:
    """An article page whose body is unique to `title` (the dedupe pipeline sees distinct stories)."""
    lead = f"{title}: the story in brief, as told to our reporters by the people who were there this week."
    return article_html(title, paragraphs=[lead, *ARTICLE_PARAGRAPHS])


def no_errors(result: Crawl) -> None:
    assert result.returncode == 0, result.log[-3000:]
    assert not [k for k in result.stats if k.startswith("spider_exceptions")], result.stats
    assert "log_count/ERROR" not in result.stats, result.log[-3000:]


# ---- -a urls= ------------------------------------------------------------------------------------

FERRY = "/urls/local/2024/05/03/harbour-ferry-returns.html"
LIBRARY = "/urls/kultur/bibliothek.html"


@pytest.fixture(scope="module")
def urls_crawl(http_site, tmp_path_factory):
    site = http_site
    pages = [
        site.add(FERRY + "?utm_source=newsletter&utm_medium=email", fixture_page("graph-newsarticle.html")),
        site.add(LIBRARY + "?utm_campaign=spring&id=7", fixture_page("opengraph-only.html")),
        site.add("/urls/local/", fixture_page("index-page.html")),
        site.add("/urls/report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", headers={"Content-Type": "application/pdf"}),
        site.url("/urls/missing.html"),     # 404
    ]
    return crawl(site, tmp_path_factory.mktemp("urls"), "/urls/", {"urls": ",".join(pages)})


def test_urls_two_articles_two_items(urls_crawl, http_site):
    no_errors(urls_crawl)
    assert len(urls_crawl.items) == 2
    assert sorted(urls_crawl.requests) == sorted([
        FERRY + "?utm_source=newsletter&utm_medium=email", LIBRARY + "?utm_campaign=spring&id=7",
        "/urls/local/", "/urls/report.pdf", "/urls/missing.html"])
    for item in urls_crawl.items:
        assert_contract(item, pipelines=True)
        crawled_at = datetime.fromisoformat(item["crawled_at"].replace("Z", "+00:00"))
        assert urls_crawl.started <= crawled_at <= urls_crawl.finished


def test_urls_item_fields(urls_crawl, http_site):
    items = urls_crawl.by_path(http_site)
    ferry = items[FERRY + "?utm_source=newsletter&utm_medium=email"]
    # Relative rel=canonical on the same site, tracking parameters and fragment removed.
    assert ferry["url"] == http_site.url(FERRY)
    assert ferry["fetched_url"] == http_site.url(FERRY + "?utm_source=newsletter&utm_medium=email")
    assert (ferry["source"], ferry["source_name"]) == ("127.0.0.1", "The Riverside Courier")
    assert ferry["title"] == "Harbour ferry returns after two-year refit"
    assert ferry["authors"] == ["Amelia Hart", "Tom Okafor"]
    assert ferry["published_at"] == "2024-05-03T15:47:42Z"
    assert ferry["modified_at"] == "2024-05-04T06:00:00Z"
    assert ferry["image"] == http_site.url("/img/ferry.jpg")
    assert ferry["body"].startswith("The Margaret Lane, the oldest vessel in the harbour fleet")

    library = items[LIBRARY + "?utm_campaign=spring&id=7"]
    assert library["url"] == http_site.url(LIBRARY + "?id=7")          # no canonical: fetched URL, cleaned
    assert library["title"] == "Stadtbibliothek verlängert Öffnungszeiten"
    assert library["published_at"] == "2024-03-10T08:15:00Z"


def test_urls_drops_are_counted(urls_crawl, http_site):
    stats = urls_crawl.stats
    assert stats["newscrawl/pages"] == 4                  # the 404 never reaches the callback
    assert stats["newscrawl/articles"] == 2
    assert stats["newscrawl/dropped/index_page"] == 1
    assert stats["newscrawl/dropped/not_html"] == 1
    assert stats["downloader/response_status_count/404"] == 1
    assert f"Dropped {http_site.url('/urls/local/')}: index_page (og:type=website)" in urls_crawl.log


def test_feed_export_writes_every_scraped_item(urls_crawl):
    assert urls_crawl.stats["item_scraped_count"] == len(urls_crawl.items) == 2
    assert urls_crawl.stats["feedexport/success_count/FileFeedStorage"] == 1


# ---- -a urls_file= ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def urls_file_crawl(http_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("urls_file")
    one = http_site.add("/file/one.html", story("Reservoir fuller than in a decade"))
    two = http_site.add("/file/two.html", story("Spillway gates open for the first time"))
    listing = tmp / "urls.txt"
    listing.write_text(f"# morning list\n{one}\n\n   {two}   \n  # {http_site.url('/file/commented-out.html')}\n",
                       encoding="utf-8")
    return crawl(http_site, tmp, "/file/", {"urls_file": listing})


def test_urls_file(urls_file_crawl, http_site):
    no_errors(urls_file_crawl)
    assert sorted(urls_file_crawl.requests) == ["/file/one.html", "/file/two.html"]
    assert sorted(item["title"] for item in urls_file_crawl.items) == [
        "Reservoir fuller than in a decade", "Spillway gates open for the first time"]


# ---- -a sitemap= -----------------------------------------------------------------------------------

def sitemapindex(site, entries) -> str:
    rows = "".join(f"<sitemap><loc>{site.url(path)}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</sitemap>"
                   for path, lastmod in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'


def urlset(site, entries, news=False) -> str:
    rows = []
    for path, lastmod, published in entries:
        row = f"<loc>{site.url(path)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        if published:
            row += (f"<news:news><news:publication><news:name>Valley Post</news:name><news:language>en</news:language>"
                    f"</news:publication><news:publication_date>{published}</news:publication_date>"
                    f"<news:title>{path}</news:title></news:news>")
        rows.append(f"<url>{row}</url>")
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>{"".join(rows)}</urlset>'


XML = {"Content-Type": "application/xml"}
GZIP = {"Content-Type": "application/x-gzip"}     # a .xml.gz file, not Content-Encoding: gzip
SITEMAP_FETCHED = ["/sm/p/fresh.html", "/sm/p/undated.html", "/sm/n/today.html", "/sm/g/gz-new.html"]
SITEMAP_SKIPPED = ["/sm/p/old.html", "/sm/n/stale.html", "/sm/g/gz-old.html", "/sm/2023.xml"]


@pytest.fixture(scope="module")
def sitemap_crawl(http_site, tmp_path_factory):
    site = http_site
    site.add("/sm/index.xml", sitemapindex(site, [
        ("/sm/pages.xml", "2024-05-04"), ("/sm/news.xml", None), ("/sm/archive.xml.gz", "2024-05-05T10:00:00+00:00"),
        ("/sm/2023.xml", "2023-12-31"), ("/sm/broken.xml.gz", "2024-05-05")]), headers=XML)
    site.add("/sm/pages.xml", urlset(site, [
        ("/sm/p/fresh.html", "2024-05-02", None), ("/sm/p/old.html", "2024-04-01T12:00:00Z", None),
        ("/sm/p/undated.html", None, None)]), headers=XML)
    site.add("/sm/news.xml", urlset(site, [
        ("/sm/n/today.html", None, "2024-05-03T10:00:00+02:00"),
        # The news publication date wins over a recent lastmod: an old story, only updated.
        ("/sm/n/stale.html", "2024-05-05", "2024-04-20T10:00:00Z")], news=True), headers=XML)
    site.add("/sm/archive.xml.gz", gzip.compress(urlset(site, [
        ("/sm/g/gz-new.html", "2024-05-04", None), ("/sm/g/gz-old.html", "2023-12-31", None)]).encode()), headers=GZIP)
    site.add("/sm/2023.xml", urlset(site, [("/sm/p/from-2023.html", "2023-06-01", None)]), headers=XML)
    site.add("/sm/broken.xml.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03not really gzip", headers=GZIP)
    for path in SITEMAP_FETCHED + SITEMAP_SKIPPED[:3]:
        site.add(path, story(f"Story {path.rsplit('/', 1)[-1]}"))
    return crawl(site, tmp_path_factory.mktemp("sitemap"), "/sm/",
                 {"sitemap": site.url("/sm/index.xml"), "since": "2024-05-01"})


def no_errors_but_invalid_sitemap(result: Crawl) -> None:
    """The corrupt .xml.gz is one logged error and counted; nothing raised in a callback."""
    assert result.returncode == 0
    assert not [k for k in result.stats if k.startswith("spider_exceptions")], result.stats
    assert result.stats.get("log_count/ERROR") == 1
    assert result.stats["newscrawl/discovery/invalid"] == 1
    assert "Not a sitemap or feed: " in result.log and "broken.xml.gz" in result.log


def test_sitemap_index_urlset_news_and_gzip(sitemap_crawl):
    no_errors_but_invalid_sitemap(sitemap_crawl)
    assert sorted(item["fetched_url"].rsplit("/sm/", 1)[1] for item in sitemap_crawl.items) == sorted(
        p.removeprefix("/sm/") for p in SITEMAP_FETCHED)
    stats = sitemap_crawl.stats
    assert stats["newscrawl/discovery/sitemapindex"] == 1
    assert stats["newscrawl/discovery/urlset"] == 3         # pages, news, gzipped archive
    assert stats["newscrawl/discovery/entries"] == 5 + 3 + 2 + 2


def test_sitemap_since_skips_old_entries_without_requesting_them(sitemap_crawl):
    requested = set(sitemap_crawl.requests)
    assert set(SITEMAP_FETCHED) <= requested
    assert not requested & set(SITEMAP_SKIPPED)
    assert "/sm/p/from-2023.html" not in requested
    assert sitemap_crawl.stats["newscrawl/discovery/skipped_old"] == 4
    assert len(sitemap_crawl.requests) == len(requested)      # nothing fetched twice


# ---- -a rss= ---------------------------------------------------------------------------------------

RSS_ORDER = ["/feed/r/newest.html", "/feed/r/new.html", "/feed/r/guid-first.html", "/feed/r/mid.html",
             "/feed/r/undated.html"]
ATOM_ORDER = ["/feed/a/second.html", "/feed/a/first.html"]


@pytest.fixture(scope="module")
def feeds_crawl(http_site, tmp_path_factory):
    site = http_site
    u = site.url
    site.add("/feed/rss.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Valley Post</title><link>{u('/feed/')}</link>
<item><title>Mid</title><link>{u('/feed/r/mid.html')}</link><pubDate>Thu, 02 May 2024 09:00:00 GMT</pubDate></item>
<item><title>Undated</title><link>{u('/feed/r/undated.html')}</link></item>
<item><title>New</title><link>{u('/feed/r/new.html?utm_source=rss')}</link><pubDate>Sat, 04 May 2024 18:30:00 +0200</pubDate></item>
<item><title>Old</title><link>{u('/feed/r/old.html')}</link><pubDate>Mon, 01 Apr 2024 09:00:00 GMT</pubDate></item>
<item><title>Newest</title><link>{u('/feed/r/newest.html')}</link><pubDate>Sun, 05 May 2024 07:00:00 GMT</pubDate></item>
<item><title>Guid first</title><guid isPermaLink="false">vp-77</guid><link>{u('/feed/r/guid-first.html')}</link>
  <pubDate>Fri, 03 May 2024 12:00:00 GMT</pubDate></item>
</channel></rss>""", headers={"Content-Type": "application/rss+xml"})
    site.add("/feed/atom.xml", f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Post</title>
<entry><title>First</title><published>2024-05-03T08:00:00Z</published><updated>2024-05-06T08:00:00Z</updated>
  <link rel="alternate" href="{u('/feed/a/first.html')}"/></entry>
<entry><title>Revised old story</title><updated>2024-05-06T09:00:00Z</updated><published>2024-03-01T08:00:00Z</published>
  <link href="{u('/feed/a/revised-old.html')}"/></entry>
<entry><title>Second</title><published>2024-05-04T08:00:00Z</published><link href="{u('/feed/a/second.html')}"/></entry>
</feed>""", headers={"Content-Type": "application/atom+xml"})
    for path in RSS_ORDER + ATOM_ORDER + ["/feed/r/old.html", "/feed/a/revised-old.html"]:
        site.add(path, story(f"Story {path.rsplit('/', 1)[-1]}"))
    site.add("/feed/r/new.html?utm_source=rss", story("Story new.html"))
    return crawl(site, tmp_path_factory.mktemp("feeds"), "/feed/",
                 {"rss": f"{u('/feed/rss.xml')},{u('/feed/atom.xml')}", "since": "2024-05-01"},
                 {"CONCURRENT_REQUESTS": 1})


def test_rss_and_atom(feeds_crawl):
    no_errors(feeds_crawl)
    assert feeds_crawl.stats["newscrawl/discovery/feed"] == 2
    assert len(feeds_crawl.items) == len(RSS_ORDER) + len(ATOM_ORDER)
    new = next(i for i in feeds_crawl.items if i["fetched_url"].endswith("/feed/r/new.html?utm_source=rss"))
    assert new["url"].endswith("/feed/r/new.html")


def test_feed_since_skips_old_entries_without_requesting_them(feeds_crawl):
    assert "/feed/r/old.html" not in feeds_crawl.requests
    # Atom: <published> is the date, not an <updated> listed before it.
    assert "/feed/a/revised-old.html" not in feeds_crawl.requests
    assert feeds_crawl.stats["newscrawl/discovery/skipped_old"] == 2


def test_feed_entries_are_requested_newest_first(feeds_crawl):
    requested = [p.split("?")[0] for p in feeds_crawl.requests]
    assert [p for p in requested if p.startswith("/feed/r/")] == RSS_ORDER     # undated last
    assert [p for p in requested if p.startswith("/feed/a/")] == ATOM_ORDER


# ---- -a max_articles= ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def max_articles_crawl(http_site, tmp_path_factory):
    site = http_site
    entries = "".join(f"<item><title>{n}</title><link>{site.url(f'/max/{n}.html')}</link>"
                      f"<pubDate>Fri, 03 May 2024 {10 + n}:00:00 GMT</pubDate></item>" for n in range(6))
    site.add("/max/feed.xml", f'<rss version="2.0"><channel><title>t</title>{entries}</channel></rss>', headers=XML)
    for n in range(6):
        site.add(f"/max/{n}.html", story(f"Max story number {n}"))
    return crawl(site, tmp_path_factory.mktemp("max"), "/max/", {"rss": site.url("/max/feed.xml"), "max_articles": 3})


def test_max_articles(max_articles_crawl):
    no_errors(max_articles_crawl)
    assert len(max_articles_crawl.items) == 3
    assert max_articles_crawl.stats["newscrawl/articles"] == 3
    assert max_articles_crawl.stats["finish_reason"] == "max_articles"


# ---- robots.txt ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def robots_crawl(http_site, tmp_path_factory):
    site = http_site
    site.add("/robots.txt", "User-agent: *\nDisallow: /robots-test/private/\n", headers={"Content-Type": "text/plain"})
    public = site.add("/robots-test/public.html", story("Public story"))
    private = site.add("/robots-test/private/secret.html", story("Private story"))
    return crawl(site, tmp_path_factory.mktemp("robots"), "/robots-test/", {"urls": f"{public},{private}"},
                 {"ROBOTSTXT_OBEY": True})


def test_robots_txt_is_obeyed(robots_crawl, http_site):
    no_errors(robots_crawl)
    assert "/robots.txt" in http_site.requests("/robots.txt")
    assert robots_crawl.requests == ["/robots-test/public.html"]
    assert [item["title"] for item in robots_crawl.items] == ["Public story"]
    assert robots_crawl.stats["robotstxt/forbidden"] == 1


# ---- bad arguments ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ({}, "give at least one of -a urls=, -a urls_file=, -a sitemap=, -a rss="),
    ({"urls": "http://127.0.0.1:9/a", "since": "last week"}, "-a since must be a date YYYY-MM-DD, got 'last week'"),
    ({"urls": "http://127.0.0.1:9/a", "max_articles": "0"}, "-a max_articles must be a positive integer, got '0'"),
    ({"urls_file": "/nonexistent/urls.txt"}, "-a urls_file: no such file: /nonexistent/urls.txt"),
])
def test_bad_arguments_fail_the_crawl_with_the_message(tmp_path, args, message):
    items, stats, returncode, log = run_crawl(tmp_path, "article", args)
    assert returncode == 2                      # an operator error: one line, no traceback
    assert f"scrapy crawl article: error: {message}\n" in log and "Traceback" not in log
    assert items == [] and stats == {}          # the spider never opened


@pytest.mark.parametrize("kwargs, message", [
    ({}, "give at least one of"),
    ({"urls": " , ,"}, "give at least one of"),
    ({"urls": "www.example.com/a"}, "not an http(s) URL: 'www.example.com/a'"),
    ({"rss": "ftp://example.com/feed.xml"}, "not an http(s) URL: 'ftp://example.com/feed.xml'"),
    ({"urls": "https://a.example/", "since": "2024-13-01"}, "-a since must be a date"),
    ({"urls": "https://a.example/", "max_articles": "-2"}, "-a max_articles must be a positive integer"),
    ({"urls": "https://a.example/", "max_articles": "ten"}, "-a max_articles must be a positive integer"),
    ({"urls_file": "/nonexistent/urls.txt"}, "-a urls_file: no such file"),
])
def test_bad_arguments_in_process(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ArticleSpider(**kwargs)


def test_arguments_in_process(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# comment\nhttps://a.example/1\n\n  https://a.example/2  \n", encoding="utf-8")
    spider = ArticleSpider(urls=" https://a.example/0 ,", urls_file=str(listing), sitemap="https://a.example/s.xml",
                           rss="https://a.example/f1,https://a.example/f2", since="2024-05-01", max_articles="5")
    assert spider.urls == ["https://a.example/0", "https://a.example/1", "https://a.example/2"]
    assert spider.discovery_urls == ["https://a.example/s.xml", "https://a.example/f1", "https://a.example/f2"]
    assert spider.since == datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert spider.max_articles == 5
    assert ArticleSpider(urls="https://a.example/", since="2024-05-01T10:00:00+02:00").since == \
        datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)


# ---- parse_article without a crawl -----------------------------------------------------------------

def spider_for(settings=None, **kwargs) -> ArticleSpider:
    crawler = get_crawler(ArticleSpider, {"NEWSCRAWL_MAX_PAGE_BYTES": 8 * 1024 * 1024, "NEWSCRAWL_MIN_BODY_WORDS": 25,
                                          **(settings or {})})
    return ArticleSpider.from_crawler(crawler, urls="https://www.valleypost.co.uk/", **kwargs)


def response(path: str, title: str) -> HtmlResponse:
    url = f"https://www.valleypost.co.uk{path}"
    return HtmlResponse(url, body=story(title).encode(), encoding="utf-8", request=Request(url),
                        headers={"Content-Type": "text/html; charset=utf-8"})


def test_too_large_pages_are_dropped_before_parsing():
    page = response("/a", "Reservoir fuller than in a decade")
    spider = spider_for({"NEWSCRAWL_MAX_PAGE_BYTES": len(page.body) - 1})
    assert list(spider.parse_article(page)) == []
    assert spider.crawler.stats.get_value("newscrawl/dropped/too_large") == 1
    assert len(list(spider_for({"NEWSCRAWL_MAX_PAGE_BYTES": len(page.body)}).parse_article(page))) == 1


def test_max_articles_stops_after_n_and_ignores_late_responses():
    spider = spider_for(max_articles="2")
    assert len(list(spider.parse_article(response("/1", "First story of the day")))) == 1
    second = spider.parse_article(response("/2", "Second story of the day"))
    assert next(second)["title"] == "Second story of the day"
    with pytest.raises(CloseSpider) as closed:
        next(second)
    assert closed.value.reason == "max_articles"
    # Responses already in flight when the spider closes yield nothing more.
    assert list(spider.parse_article(response("/3", "Third story of the day"))) == []
    assert spider.crawler.stats.get_value("newscrawl/articles") == 2
