"""URL helpers: canonical article URLs, registered domains from the bundled (offline) public-suffix
list, absolute URLs from page attributes."""

import pytest

from newscrawl.extract.urls import absolute_url, canonicalize_url, registered_domain, same_site


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://WWW.Example.COM/News/Story.html", "https://www.example.com/News/Story.html"),   # path case kept
    ("https://www.example.com:443/a", "https://www.example.com/a"),
    ("http://www.example.com:80/a", "http://www.example.com/a"),
    ("http://www.example.com:8080/a", "http://www.example.com:8080/a"),
    ("https://www.example.com", "https://www.example.com/"),
    ("https://www.example.com./a", "https://www.example.com/a"),
    ("https://www.example.com/a#comments", "https://www.example.com/a"),
    ("https://user:secret@www.example.com/a", "https://www.example.com/a"),
    ("  https://www.example.com/a  ", "https://www.example.com/a"),
    # Tracking parameters go (by name or prefix, any case); the others stay, in order and as written.
    ("https://www.example.com/a?utm_source=rss&utm_medium=feed&id=7&UTM_Campaign=x", "https://www.example.com/a?id=7"),
    ("https://www.example.com/a?fbclid=1&gclid=2&page=2&msclkid=3&_ga=4&mc_cid=5&igshid=6",
     "https://www.example.com/a?page=2"),
    ("https://www.example.com/a?b=2&a=1", "https://www.example.com/a?b=2&a=1"),
    ("https://www.example.com/a?q=caf%C3%A9+au+lait&x=%20y", "https://www.example.com/a?q=caf%C3%A9+au+lait&x=%20y"),
    ("https://www.example.com/a?utm_source=x", "https://www.example.com/a"),
    ("https://www.example.com/a?utm%5Fsource=x&&k=v", "https://www.example.com/a?k=v"),
    # Regressions: a bare key kept without "=" (`?12345` is another page than `?12345=` for some
    # CMSs), and mixed-case names in the tracking list (`outputType`) matched.
    ("https://www.example.com/story.php?12345&utm_medium=rss", "https://www.example.com/story.php?12345"),
    ("https://www.example.com/a?outputType=amp&id=1", "https://www.example.com/a?id=1"),
])
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected


def test_canonicalize_relative_url():
    base = "https://www.example.com/news/2024/story.html?utm_source=x"
    assert canonicalize_url("other.html?utm_campaign=y#top", base=base) == "https://www.example.com/news/2024/other.html"
    assert canonicalize_url("/a", base=base) == "https://www.example.com/a"
    assert canonicalize_url("//cdn.example.com/a", base=base) == "https://cdn.example.com/a"


def test_canonicalize_is_idempotent():
    once = canonicalize_url("HTTP://Example.com:80/a?x=1&utm_source=y&z#f")
    assert canonicalize_url(once) == once == "http://example.com/a?x=1&z"


@pytest.mark.parametrize("url, expected", [
    ("https://www.bbc.co.uk/news/uk-123", "bbc.co.uk"),
    ("https://news.bbc.co.uk/2/hi/", "bbc.co.uk"),
    ("https://www.lemonde.fr/planete/", "lemonde.fr"),
    ("https://WWW.Spiegel.DE/politik", "spiegel.de"),
    ("https://a.b.example.com.au/x", "example.com.au"),
    ("https://www.nhk.or.jp/news/", "nhk.or.jp"),
    ("https://www.city.kawasaki.jp/", "city.kawasaki.jp"),     # wildcard/exception rules of the PSL
    ("http://127.0.0.1:8080/a", "127.0.0.1"),
    ("http://localhost/a", "localhost"),
])
def test_registered_domain(url, expected):
    assert registered_domain(url) == expected


def test_registered_domain_never_downloads_the_suffix_list(monkeypatch):
    import importlib
    import socket

    from newscrawl.extract import urls

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    importlib.reload(urls)  # a fresh extractor, which loads its suffix list on first use
    assert urls.registered_domain("https://www.stuff.co.nz/x") == "stuff.co.nz"


def test_same_site():
    assert same_site("https://www.bbc.co.uk/a", "https://news.bbc.co.uk/b")
    assert not same_site("https://www.bbc.co.uk/a", "https://www.bbc.com/a")
    assert not same_site("https://a.co.uk/", "https://b.co.uk/")


@pytest.mark.parametrize("value, expected", [
    ("/img/a.jpg", "https://www.example.com/img/a.jpg"),
    ("b.jpg", "https://www.example.com/news/b.jpg"),
    ("//cdn.example.net/c.jpg", "https://cdn.example.net/c.jpg"),
    ("  https://cdn.example.net/d.jpg\n", "https://cdn.example.net/d.jpg"),
    ("https://cdn.example.net/e\n\t.jpg", "https://cdn.example.net/e.jpg"),
    # Regression: inner spaces were deleted ("My Photo.jpg" -> "MyPhoto.jpg").
    ("/uploads/My Photo.jpg", "https://www.example.com/uploads/My%20Photo.jpg"),
    ("data:image/png;base64,AAAA", None),
    ("javascript:void(0)", None),
    ("", None),
    ("   ", None),
    (None, None),
    (["/a.jpg"], None),
    # Regression: a malformed URL raised ValueError.
    ("http://[broken/a.jpg", None),
])
def test_absolute_url(value, expected):
    assert absolute_url(value, "https://www.example.com/news/story.html") == expected
