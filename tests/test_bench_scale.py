"""The scale benchmark's replay site: pages with distinct URLs and copies, and the sitemap run 2's
workers are seeded from (served, but not counted as a page)."""

import time
import urllib.error
import urllib.request

import pytest

from newscrawl.bench.scale import COPY_SLOT, SITEMAP_PATH, URL_SLOT, ReplaySite
from newscrawl.discovery import parse_discovery


@pytest.fixture
def site():
    template = f"<html><link rel=canonical href='{URL_SLOT}'><p>copy{COPY_SLOT}</p></html>".encode()
    s = ReplaySite([{"id": "a"}, {"id": "b"}], [template, template], pages=5)
    yield s
    s.stop()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_sitemap_lists_every_page_and_is_not_counted_as_one(site):
    found = parse_discovery(get(site.base + SITEMAP_PATH))
    assert found.kind == "urlset"
    assert [e.url for e in found.entries] == [site.url(n) for n in range(5)]
    assert site.served.value == 0

    page = get(site.url(3))   # template 3 % 2, copy 3 // 2
    assert site.url(3).encode() in page and b"copy1" in page
    # The server counts a page once its bytes are written, which may be just after the client read them.
    wait_for(lambda: site.served.value == 1)
    assert site.fetch_counts() == [0, 0, 0, 1, 0]
    with pytest.raises(urllib.error.HTTPError):
        get(site.base + "/a/5/b.html")   # beyond the site's pages
