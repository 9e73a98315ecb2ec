"""Hostile and broken content: no crash, no garbage stored, each case counted with a reason.
Page-level cases run ArticlePage directly; the size limits (a 50 MB page, a gzip bomb) run one crawl
against the local test server. Invalid UTF-8, wrong charsets, binary noise: tests/pages/test_pages.py."""

import gzip
import json
from datetime import datetime, timezone

import pytest

from conftest import ARTICLE_PARAGRAPHS, article_html, assert_contract, run_crawl
from newscrawl.pages import ArticlePage, NotAnArticle

URL = "https://www.valleypost.co.uk/news/2024/reservoir-full.html"
CRAWLED = datetime(2024, 5, 6, 12, 0, tzinfo=timezone.utc)
TITLE = "Reservoir fuller than in a decade"


def make(body) -> ArticlePage:
    return ArticlePage(URL, body.encode() if isinstance(body, str) else body,
                       headers_content_type="text/html; charset=utf-8", crawled_at=CRAWLED)


def extract(body) -> dict:
    item = dict(make(body).to_item())
    assert_contract(item, pipelines=False)
    return item


def rejected(body) -> NotAnArticle:
    with pytest.raises(NotAnArticle) as exc:
        make(body).to_item()
    return exc.value


def with_jsonld(data, **kw) -> str:
    return article_html(TITLE, head=f'<script type="application/ld+json">{json.dumps(data)}</script>', **kw)


# ---- markup -------------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_markup(depth):
    nest = "<div>" * depth + "<span>deep</span>" + "</div>" * depth
    html = article_html(TITLE).replace("</article>", f"</article>{nest}")
    item = extract(html)
    assert item["title"] == TITLE
    assert all(p in item["body"] for p in ARTICLE_PARAGRAPHS)


def test_deeply_nested_article_text_is_not_lost_or_crashes():
    depth = 3000
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    html = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            + "<div>" * depth + paras + "</div>" * depth + "</body></html>")
    try:
        item = extract(html)
    except NotAnArticle as exc:     # acceptable: counted with a reason, never an exception
        assert exc.reason in ("no_body", "too_short", "unparsable")
    else:
        assert item["title"] == TITLE


def test_script_only_page():
    html = ("<html><head><title>Loading…</title><script>window.__APP__={}</script></head><body>"
            '<div id="root"></div><script src="/app.js"></script>'
            "<script>" + "var x = 1;" * 5000 + "</script></body></html>")
    assert rejected(html).reason in ("no_body", "too_short")


# ---- JSON-LD ------------------------------------------------------------------------------------

@pytest.mark.parametrize("keywords, read", [(100_000, True), (200_000, False)])
def test_huge_jsonld_does_not_crash(keywords, read):
    """JSON-LD up to MAX_JSONLD_CHARS (2 M) is read; beyond, it is ignored and the HTML is used."""
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
            "datePublished": "2024-05-06T09:00:00Z",
            "keywords": [f"keyword {i}" for i in range(keywords)],           # ~1.3 MB / ~2.6 MB
            "articleBody": " ".join(ARTICLE_PARAGRAPHS)}
    item = extract(with_jsonld(data))
    assert item["title"] == TITLE and all(p in item["body"] for p in ARTICLE_PARAGRAPHS)
    assert item["published_at"] == ("2024-05-06T09:00:00Z" if read else None)


@pytest.mark.parametrize("data", [
    {"@type": "NewsArticle", "headline": 42, "datePublished": {"x": 1}, "author": 7, "publisher": [None, 3]},
    {"@type": ["NewsArticle", None], "headline": ["", None], "datePublished": [None], "author": {"name": {"a": 1}}},
    {"@type": "NewsArticle", "headline": {"@value": TITLE}, "datePublished": True, "author": [[["Ann Lee"]]],
     "articleBody": 12345, "keywords": {"a": "b"}, "image": 5},
    [1, "two", None, {"@graph": "not a list"}, {"@graph": [None, 5, {"@type": 7}]}],
    "just a string",
])
def test_jsonld_with_wrong_types(data):
    item = extract(with_jsonld(data))
    assert item["title"] == TITLE
    assert all(p in item["body"] for p in ARTICLE_PARAGRAPHS)
    assert all(isinstance(a, str) for a in item["authors"])


def test_broken_jsonld_is_ignored():
    html = article_html(TITLE, head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>')
    assert extract(html)["title"] == TITLE


# ---- dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["0000-00-00", "0000-00-00T00:00:00Z", "yesterday", "2024-13-45", "-1",
                                 "99999999999999", "NaN", "1970-01-01T00:00:00Z"])
def test_bad_dates_give_no_published_at(raw):
    for html in (article_html(TITLE, published=raw),
                 with_jsonld({"@type": "NewsArticle", "headline": TITLE, "datePublished": raw})):
        item = extract(html)
        assert item["published_at"] is None or item["published_at"] >= "1990", (raw, item["published_at"])
        assert item["title"] == TITLE


def test_future_date_is_not_stored(tmp_path):
    """A page dated years ahead: the page object reads it, ValidatePipeline rejects it (counted)."""
    from scrapy.utils.test import get_crawler

    from newscrawl import settings
    from newscrawl.items import Article
    from newscrawl.pipelines import ValidatePipeline

    item = extract(article_html(TITLE, published="2031-01-01T00:00:00Z"))
    crawler = get_crawler(settings_dict={**{k: getattr(settings, k) for k in dir(settings) if k.isupper()},
                                         "MONGODB_ENABLED": False})
    out = ValidatePipeline.from_crawler(crawler).process_item(Article(**item))
    assert out["published_at"] is None and out["published_at_source"]["rejected"] == "2031-01-01T00:00:00Z"
    assert crawler.stats.get_value("newscrawl/validate/published_at_rejected") == 1


# ---- size limits, in a real crawl ---------------------------------------------------------------

def big_page_streamed(h):
    """50 MB of paragraphs, no Content-Length (read until close): the limit must apply while streaming."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>".encode())
    chunk = ("<p>" + ARTICLE_PARAGRAPHS[0] + "</p>\n").encode() * 256
    sent = 0
    while sent < 50 << 20:
        h.wfile.write(chunk)
        sent += len(chunk)


def big_page_declared(h):
    """Content-Length: 50 MB; the client should give up before reading it."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(50 << 20))
    h.end_headers()
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    for _ in range(800):
        h.wfile.write(chunk)


def test_size_limits_in_a_crawl(http_site, tmp_path):
    site = http_site
    bomb = gzip.compress(b"<html><body>" + b"\0" * (60 << 20), compresslevel=9)     # 60 MB from ~60 KB
    assert len(bomb) < 200_000
    urls = {
        "good": site.add("/hostile/good.html", article_html(TITLE, published="2024-05-06T09:00:00Z")),
        "declared": site.add_handler("/hostile/declared.html", big_page_declared),
        "streamed": site.add_handler("/hostile/streamed.html", big_page_streamed),
        "bomb": site.add("/hostile/bomb.html", bomb, headers={"Content-Type": "text/html",
                                                              "Content-Encoding": "gzip"}),
        # Under DOWNLOAD_MAXSIZE but over NEWSCRAWL_MAX_PAGE_BYTES: downloaded, then dropped unparsed.
        "large": site.add("/hostile/large.html", article_html("Large page").replace(
            "</article>", "<p>" + "word " * 2_000_000 + "</p></article>")),
        "invalid_utf8": site.add("/hostile/utf8.html", b"<html><head><title>\xff\xfe</title></head><body>\xc3\x28"
                                 + bytes(range(128, 256)) * 50 + b"</body></html>"),
    }
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls.values())},
                                      {"NEWSCRAWL_HEALTH_ENABLED": False, "DOWNLOAD_TIMEOUT": 20}, timeout=120)
    assert rc == 0, log[-3000:]
    assert [i["title"] for i in items] == [TITLE]
    assert stats["newscrawl/dropped/too_large"] == 1                                 # "large"
    assert stats["newscrawl/dropped/no_body"] == 1                                   # invalid UTF-8 noise
    # The 50 MB pages and the bomb never reach the spider: refused by DOWNLOAD_MAXSIZE and counted.
    assert stats["newscrawl/pages"] == 3
    assert stats["newscrawl/refused/too_large"] == 3, {k: v for k, v in stats.items() if "download" in k}
    for crash in ("Spider error processing", "Error processing {", "MemoryError"):
        assert crash not in log
