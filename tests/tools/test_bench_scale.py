"""The scale benchmark's replay site: pages with distinct URLs and copies, and the sitemap run 2's
workers are seeded from (served, but not counted as a page)."""

import time
import urllib.error
import urllib.request

import pytest

from tools.bench.scale import COPY_SLOT, SITEMAP_PATH, URL_SLOT, ReplaySite
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


def test_plain_loop_halves_merge_into_one_figure_and_one_expected_set():
    """The plain loop runs in two parts around run 1 (A-B-A); the merged figure is pages over the
    summed time, and an exact copy of an earlier body (also across the parts) is not expected."""
    from tools.bench.scale import merge_plain

    a = {"pages": 3, "seconds": 1.0, "cpu_s": 0.9, "not_articles": 1, "pages_per_s_per_1000": [3.0],
         "items": {"u1": "one body", "u2": "two body"}}
    b = {"pages": 3, "seconds": 2.0, "cpu_s": 1.8, "not_articles": 0, "pages_per_s_per_1000": [1.5],
         "items": {"u3": "one body", "u4": "four body", "u5": "two body"}}
    m = merge_plain([a, b])
    assert m["pages"] == 6 and m["seconds"] == 3.0 and m["pages_per_s"] == 2.0
    assert m["parts_pages_per_s"] == [3.0, 1.5]
    assert m["expected"] == {"u1", "u2", "u4"}
    assert (m["items"], m["exact_copies"], m["not_articles"]) == (5, 2, 1)
    assert m["pages_per_s_per_1000"] == [3.0, 1.5]
