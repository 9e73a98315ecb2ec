"""RetryAfterMiddleware against a local server answering 429/503 with Retry-After first."""

import time

from conftest import article_html, run_crawl
from newscrawl.middlewares import RetryAfterMiddleware

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
