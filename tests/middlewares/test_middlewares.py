"""RetryAfterMiddleware against a local server answering 429/503 with Retry-After first."""

import time

from conftest import article_html, run_crawl
from newscrawl.middlewares.retry_after import RetryAfterMiddleware

HTML = {"Content-Type": "text/html; charset=utf-8"}
PARAS = ["The regional parliament approved the new budget on Thursday after a long night of debate, "
         "with the opposition abstaining on most of the chapters about schools and hospitals.",
         "The finance minister said the plan would cut the deficit by half within three years."]


def test_parse_retry_after_seconds_and_http_date():
    now = time.time()
    assert RetryAfterMiddleware.parse_retry_after(b"3", now) == 3
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30))
    assert 28 <= RetryAfterMiddleware.parse_retry_after(date.encode(), now) <= 31
    assert RetryAfterMiddleware.parse_retry_after(b"soon", now) is None
    assert RetryAfterMiddleware.parse_retry_after(None, now) is None


def test_retry_after_is_honoured_and_capped(http_site, tmp_path):
    page = article_html("Budget approved after night of debate", published="2026-11-20T10:00:00Z", paragraphs=PARAS)
    waited = http_site.add_sequence("/ra/ok.html", [(429, {"Retry-After": "2", **HTML}, "slow down"),
                                                    (200, HTML, page)])
    too_long = http_site.add_sequence("/ra/long.html", [(503, {"Retry-After": "3600", **HTML}, "maintenance"),
                                                        (503, {"Retry-After": "3600", **HTML}, "maintenance")])
    t0 = time.time()
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": f"{waited},{too_long}"},
                                      {"RETRY_ENABLED": True, "RETRY_TIMES": 1, "NEWSCRAWL_RETRY_AFTER_MAX_SECONDS": 10})
    elapsed = time.time() - t0
    assert rc == 0, log[-2000:]
    assert [i["title"] for i in items] == ["Budget approved after night of debate"]
    assert stats["newscrawl/retry_after/honoured"] == 1
    assert stats["newscrawl/retry_after/over_cap"] == 2      # not waited for: 3600 s > 10 s cap
    assert http_site.requests("/ra/ok.html") == ["/ra/ok.html", "/ra/ok.html"]
    first, second = http_site.request_times("/ra/ok.html")
    assert second - first >= 1.9          # the retry waited for Retry-After
    assert elapsed < 60                   # and the 3600 s one was not waited for


class _Undecoded(Exception):
    pass


def _meta_refresh_case(body: bytes, content_type: str = "text/html; charset=utf-8", decode_ok: bool = True):
    """Our MetaRefreshMiddleware on one response; a response whose text must not be decoded raises."""
    from scrapy import Request, Spider
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from newscrawl.middlewares.redirect import MetaRefreshMiddleware

    class Response(HtmlResponse):
        @property
        def text(self):
            if not decode_ok:
                raise _Undecoded()
            return super().text

    crawler = get_crawler(Spider, {"METAREFRESH_ENABLED": True})
    mw = MetaRefreshMiddleware.from_crawler(crawler)
    request = Request("https://news.example/a/1.html")
    response = Response(request.url, body=body, headers={"Content-Type": content_type}, request=request)
    return response, mw.process_response(request, response)


def test_meta_refresh_is_ruled_out_without_decoding_and_followed_as_scrapy_does():
    from scrapy import Request

    page = ("<html><head><title>Zürich</title></head><body>" + "<p>Ein Absatz über Zürich.</p>" * 200
            + "</body></html>").encode()
    response, out = _meta_refresh_case(page, decode_ok=False)   # no refresh: the body is never decoded
    assert out is response
    refresh = b'<html><head><meta http-equiv="Refresh" content="0; url=/a/2.html"></head><body>x</body></html>'
    _, out = _meta_refresh_case(refresh)
    assert isinstance(out, Request) and out.url == "https://news.example/a/2.html"
    # A refresh inside <noscript> is ignored (Scrapy's METAREFRESH_IGNORE_TAGS), as is a delay too long.
    noscript = refresh.replace(b"<meta", b"<noscript><meta").replace(b"</head>", b"</noscript></head>")
    response, out = _meta_refresh_case(noscript)
    assert out is response
    slow = refresh.replace(b'content="0;', b'content="600;')
    response, out = _meta_refresh_case(slow)
    assert out is response
    # Not ASCII-compatible (UTF-16 with its BOM): Scrapy's own decoding decides.
    _, out = _meta_refresh_case(b"\xff\xfe" + refresh.decode().encode("utf-16-le"), "text/html")
    assert isinstance(out, Request) and out.url == "https://news.example/a/2.html"
