"""Network faults against a local server that misbehaves on purpose (all on 127.0.0.1, bounded in
time): one per-source crawl over a sitemap of faulty URLs, asserting per fault on the server's
request log, the items and the stats. 429/503 with Retry-After: tests/middlewares/test_middlewares.py."""

import json
import socket
import struct
import time

import pytest

from conftest import article_html, run_crawl

P = "/faults"
TIMEOUT = 2          # DOWNLOAD_TIMEOUT of the crawl, seconds


def paras(name: str) -> list[str]:
    return [f"The {name} report: the district council met on Wednesday and approved the plan for the new "
            f"{name} bridge after a debate that lasted most of the evening and ended with a narrow vote.",
            f"Residents near the {name} crossing said the works would bring months of traffic jams, "
            f"while shop owners hoped the finished bridge would bring more customers to the old town."]


def page(name: str) -> str:
    return article_html(f"Council approves the {name} bridge", published="2026-11-20T10:00:00Z",
                        paragraphs=paras(name))


# ---- misbehaving handlers (each gets the BaseHTTPRequestHandler) ---------------------------------

def reset(h):
    """Read the request, then close with RST (SO_LINGER 0): ECONNRESET on the client."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()


def stall(h):
    """Never answer within the download timeout."""
    time.sleep(TIMEOUT + 1.5)


def drip(h):
    """Headers at once, then one byte every 0.3 s: the download outlasts DOWNLOAD_TIMEOUT."""
    body = page("drip").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    for i in range(int((TIMEOUT + 2) / 0.3)):
        h.wfile.write(body[i:i + 1])
        h.wfile.flush()
        time.sleep(0.3)


def truncated(h):
    """Content-Length promises the whole page; half of it is sent, then the connection closes."""
    body = page("truncated").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body[:len(body) // 2])
    h.wfile.flush()


@pytest.fixture(scope="module")
def fault_crawl(http_site, tmp_path_factory):
    site = http_site
    tmp = tmp_path_factory.mktemp("faults")
    redirect = lambda to: {"Location": to, "Content-Type": "text/plain"}  # noqa: E731
    site.add(f"{P}/good.html", page("good"))
    site.add(f"{P}/e500.html", "boom", status=500, headers={"Content-Type": "text/plain"})
    site.add_sequence(f"{P}/e500-then-ok.html", [(500, {"Content-Type": "text/plain"}, "boom"),
                                                (200, {"Content-Type": "text/html; charset=utf-8"},
                                                 page("recovered"))])
    site.add_handler(f"{P}/reset.html", reset)
    site.add_handler(f"{P}/timeout.html", stall)
    site.add_handler(f"{P}/drip.html", drip)
    site.add_handler(f"{P}/truncated.html", truncated)
    site.add(f"{P}/loop-a.html", "", status=302, headers=redirect(f"{P}/loop-b.html"))
    site.add(f"{P}/loop-b.html", "", status=302, headers=redirect(f"{P}/loop-a.html"))
    for n in range(30):   # an endless chain of new URLs
        site.add(f"{P}/chain/{n}.html", "", status=302, headers=redirect(f"{P}/chain/{n + 1}.html"))
    # "localhost" is another domain for a source whose domains are ["127.0.0.1"].
    site.add(f"{P}/offsite.html", "", status=301,
             headers=redirect(f"http://localhost:{site.port}{P}/elsewhere.html"))
    site.add(f"{P}/elsewhere.html", page("elsewhere"))
    site.add(f"{P}/gone404.html", "no such page", status=404, headers={"Content-Type": "text/html"})
    site.add(f"{P}/gone410.html", "removed", status=410, headers={"Content-Type": "text/html"})
    paths = ["good", "e500", "e500-then-ok", "reset", "timeout", "drip", "truncated", "loop-a", "chain/0",
             "offsite", "gone404", "gone410"]
    urls = "".join(f"<url><loc>{site.url(f'{P}/{p}.html')}</loc></url>" for p in paths)
    site.add(f"{P}/sitemap.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"{urls}</urlset>", headers={"Content-Type": "application/xml"})
    config = [{"slug": "faultnews", "name": "Fault News", "domains": ["127.0.0.1"], "language": "en",
               "timezone": "Europe/London", "feeds": [{"kind": "sitemap", "url": site.url(f"{P}/sitemap.xml")}],
               "article_url": rf"{P}/", "concurrency": 8, "delay": 0}]
    (tmp / "sources.json").write_text(json.dumps(config))
    t0 = time.monotonic()
    items, stats, rc, log = run_crawl(tmp, "faultnews", {},
                                      {"RETRY_ENABLED": True, "RETRY_TIMES": 1, "DOWNLOAD_TIMEOUT": TIMEOUT,
                                       "REDIRECT_MAX_TIMES": 5, "NEWSCRAWL_HEALTH_ENABLED": False},
                                      env={"NEWSCRAWL_EXTRA_SOURCES": str(tmp / "sources.json")}, timeout=120)
    return {"items": items, "stats": stats, "rc": rc, "log": log, "seconds": time.monotonic() - t0,
            "titles": sorted(i["title"] for i in items)}


def test_crawl_survives_every_fault_and_stores_the_good_pages(fault_crawl):
    assert fault_crawl["rc"] == 0, fault_crawl["log"][-3000:]
    assert fault_crawl["titles"] == ["Council approves the good bridge", "Council approves the recovered bridge"]
    assert fault_crawl["seconds"] < 60
    # Download errors are logged (with Scrapy's traceback) once retries are exhausted; no callback
    # or pipeline ever fails.
    for crash in ("Spider error processing", "Error processing {", "Unhandled error"):
        assert crash not in fault_crawl["log"], fault_crawl["log"][-3000:]


def test_500_is_retried_then_given_up_and_recovers(fault_crawl, http_site):
    assert len(http_site.requests(f"{P}/e500.html")) == 2                # RETRY_TIMES 1
    assert len(http_site.requests(f"{P}/e500-then-ok.html")) == 2
    stats = fault_crawl["stats"]
    assert stats["retry/reason_count/500 Internal Server Error"] >= 2
    assert stats["httperror/response_ignored_status_count/500"] == 1


def test_reset_timeout_drip_truncated_are_retried_and_counted(fault_crawl, http_site):
    for name in ("timeout", "drip", "truncated"):
        assert len(http_site.requests(f"{P}/{name}.html")) == 2, name
    # Twisted's connection pool itself resends a request once when a reused keep-alive connection
    # is reset before any response: 2 Scrapy attempts, up to 4 requests on the wire.
    assert 2 <= len(http_site.requests(f"{P}/reset.html")) <= 4
    stats = fault_crawl["stats"]
    exc = {k.rsplit("/", 1)[-1]: v for k, v in stats.items() if k.startswith("downloader/exception_type_count/")}
    assert exc["scrapy.exceptions.DownloadTimeoutError"] == 4     # stall and drip, twice each
    assert exc["scrapy.exceptions.ResponseDataLossError"] == 2    # truncated: Content-Length not reached
    assert exc["scrapy.exceptions.DownloadFailedError"] == 2      # the reset, twice
    assert stats["retry/max_reached"] >= 5          # e500, reset, timeout, drip, truncated: given up, bounded


def test_redirect_loops_are_cut(fault_crawl, http_site):
    # a -> b -> a: the second /loop-a is a duplicate request (dupefilter); the chain stops at REDIRECT_MAX_TIMES.
    assert len(http_site.requests(f"{P}/loop-a.html")) == 1
    assert len(http_site.requests(f"{P}/loop-b.html")) == 1
    assert len(http_site.requests(f"{P}/chain/")) == 6                             # the first + 5 redirects
    assert fault_crawl["stats"]["dupefilter/filtered"] >= 1


def test_redirect_to_another_domain_is_not_followed(fault_crawl, http_site):
    assert http_site.requests(f"{P}/offsite.html") == [f"{P}/offsite.html"]
    assert http_site.requests(f"{P}/elsewhere.html") == []
    assert fault_crawl["stats"]["offsite/filtered"] >= 1


def test_404_410_are_recorded_as_gone_and_not_retried(fault_crawl, http_site):
    assert len(http_site.requests(f"{P}/gone404.html")) == 1
    assert len(http_site.requests(f"{P}/gone410.html")) == 1
    assert fault_crawl["stats"]["newscrawl/gone/404"] == 1
    assert fault_crawl["stats"]["newscrawl/gone/410"] == 1
