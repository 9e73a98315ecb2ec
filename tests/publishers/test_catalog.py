"""The catalog of sources read with the generic extraction (newscrawl/publishers/catalog.toml): every
entry well-formed, its article URL pattern true to the publisher's development pages (../shared,
skipped when absent) and false on front, section, tag, author and media pages; the registry, the
page routing and the egg's package data know it."""

import json
import re
import subprocess
import sys
import zipfile
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import realpages
from conftest import REPO
from newscrawl.pages import ArticlePage, page_for
from newscrawl.sources import MAX_URL_CHARS, SOURCES, load_catalog

CATALOG = load_catalog()
BY_SLUG = {s.slug: s for s in CATALOG}


def test_the_catalog_declares_the_publishers_with_development_pages_not_launched():
    assert len(CATALOG) >= 80 and len(BY_SLUG) == len(CATALOG)
    assert all(SOURCES[s.slug] is s or SOURCES[s.slug] == s for s in CATALOG)
    assert not any(SOURCES[s.slug].layouts for s in CATALOG)


@pytest.mark.parametrize("source", CATALOG, ids=lambda s: s.slug)
def test_entry_is_well_formed(source):
    assert re.fullmatch(r"[a-z][a-z0-9_]{1,39}", source.slug)
    assert source.name.strip() == source.name and source.name
    assert re.fullmatch(r"[a-z]{2}", source.language)
    zoneinfo.ZoneInfo(source.timezone)
    assert source.domains and all(d == d.lower() and "/" not in d and "." in d for d in source.domains)
    for feed in source.feeds:
        assert feed.kind in ("news_sitemap", "rss", "sitemap") and feed.url.startswith("https://")
        host = urlsplit(feed.url).hostname
        # The spider may fetch it (allowed_domains of the spider are domains + allowed_domains).
        assert any(host == d or host.endswith("." + d) for d in (*source.domains, *source.allowed_domains)), feed
    re.compile(source.article_url)
    assert source.concurrency >= 1 and source.delay >= 0.5


def test_no_domain_belongs_to_two_sources():
    # A domain covers its subdomains: www.euronews.com and fr.euronews.com are two sources' hosts,
    # euronews.com would be both.
    owned = [(d, s.slug) for s in SOURCES.values() for d in s.domains]
    for domain, slug in owned:
        for other, other_slug in owned:
            if other_slug != slug:
                assert domain != other and not domain.endswith("." + other), (domain, slug, other, other_slug)


@pytest.mark.parametrize("source", CATALOG, ids=lambda s: s.slug)
def test_front_section_tag_author_and_media_pages_are_not_articles(source):
    host = f"www.{source.domains[0]}"
    for path in ("", "news/", "politik/", "sport/", "2024/", "tag/klimawandel-energie-wende-politik/",
                 "topic/climate-change-energy-policy-news/", "author/jane-doe-smith-jones/",
                 "video/the-mayor-opens-the-new-bridge-1234567/", "category/news/page/2/", "sitemap-news.xml"):
        assert not source.is_article_url(f"https://{host}/{path}"), path
    # Another site's URL of the same shape is not the source's.
    assert not source.is_article_url("https://www.example.org/news/2024/05/03/a-long-article-slug-here-1234567.html")


def _development_urls():
    if not realpages.available():
        return []
    from tools.source_catalog import host_of

    out = []
    for case in realpages.load_cases():
        host = host_of(case["url"])
        for source in CATALOG:
            if any(host == d or host.endswith("." + d) for d in source.domains):
                out.append(pytest.param(source, case["url"], id=case["id"]))
    return out


@pytest.mark.skipif(not realpages.available(), reason="../shared/realpages not present")
@pytest.mark.parametrize("source,url", _development_urls())
def test_development_article_urls_match_their_source(source, url):
    assert source.is_article_url(url)
    # The article's section page does not (when the article sits in a section).
    path = urlsplit(url).path.strip("/").split("/")
    if len(path) > 1 and not re.search(r"\d{5}", path[0]):
        assert not source.is_article_url(f"{url.split('/' + path[0], 1)[0]}/{path[0]}/")


@pytest.mark.skipif(not realpages.available(), reason="../shared/realpages not present")
def test_every_publisher_with_development_pages_has_a_source():
    publishers = json.loads((realpages.SHARED / "publishers.json").read_text(encoding="utf-8"))
    hosts = {c["publisher"]: urlsplit(c["url"]).hostname for c in realpages.load_cases()}
    missing = [key for key, host in hosts.items() if key in publishers
               and not any(host == d or host.endswith("." + d) for s in SOURCES.values() for d in s.domains)]
    assert not missing


def test_long_crafted_urls_are_decided_on_each_sources_own_host():
    # Each source's patterns meet crafted paths on its own host (so the host prefix matches and the
    # path shapes do the work): repetitions, many candidate dates, segments without an end. The
    # shapes are linear (a quadratic one took 0.7 s a URL here). A 1000-word slug is a slug; the
    # others are no article of any shape.
    never = ("1/" * 1000, "2024/" * 400, "2024-01-01/" * 180, "2024-01-01-" * 180, "a/" * 500 + "b-" * 500 + "/",
             "%" * 2000, "2024/01/01/" * 180 + "1")
    for source in CATALOG:
        source.is_article_url(f"https://www.{source.domains[0]}/{'a-' * 1000}!"[:MAX_URL_CHARS])
        for body in never:
            assert not source.is_article_url(f"https://www.{source.domains[0]}/{body}"[:MAX_URL_CHARS]), source.slug


def test_urls_longer_than_scrapy_fetches_are_not_articles():
    source = BY_SLUG["derstandard"]
    url = "https://www.derstandard.at/story/3000000218734/" + "a-" * 1500
    assert len(url) > MAX_URL_CHARS and not source.is_article_url(url)
    assert source.is_article_url(url[:MAX_URL_CHARS])


def test_a_catalog_page_crawled_by_its_spider_is_read_under_its_declaration():
    source = BY_SLUG["derstandard"]
    page = page_for("https://www.derstandard.at/story/3000000218734/ein-artikel", b"<html><body></body></html>",
                    source="derstandard")
    assert type(page) is ArticlePage and page.source is SOURCES["derstandard"] == source


# A well-formed entry, spoilt below.
OK = "[source.xx]\nname='X'\ndomains=['x.org']\nlanguage='en'\ntimezone='UTC'\nurl_path='/a'\n"


@pytest.mark.parametrize("text,message", [
    (OK, None),
    ("[source.\"Der-Standard\"]\nname='X'\n", "slug is 2-40"),
    ("[source.xx]\nname='X'\ncolour='red'\n", "unknown keys"),
    (OK.replace("'UTC'", "'Mars/Base'"), "unknown time zone"),
    (OK.replace("url_path='/a'", "url_shape='nope'"), "unknown url_shape"),
    (OK.replace("url_path='/a'", "url_path='(['"), "error"),
    (OK.replace("'en'", "'German'"), "language is an ISO 639 code"),
    (OK.replace("x.org", "X.org/news"), "domains are lowercase host names"),
    (OK + "feeds=[{kind='rss', url='http://x.org/rss'}]\n", "feeds are https"),
    (OK + "feeds=[{kind='atom', url='https://x.org/rss'}]\n", "feeds are https"),
    ("source = 3\n", "sources are tables"),
])
def test_a_malformed_entry_is_named(text, message):
    if message is None:
        assert [s.slug for s in load_catalog(text)] == ["xx"]
        return
    with pytest.raises(ValueError, match=message):
        load_catalog(text)


def test_the_egg_carries_the_catalog(tmp_path):
    proc = subprocess.run([sys.executable, "setup.py", "-q", "build", "-b", str(tmp_path / "build"),
                           "bdist_egg", "-b", str(tmp_path / "bdist"), "-d", str(tmp_path / "dist")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    egg = next(Path(tmp_path / "dist").glob("*.egg"))
    with zipfile.ZipFile(egg) as z:
        assert "newscrawl/publishers/catalog.toml" in z.namelist()
    # Imported from the zipped egg, as scrapyd runs it: the registry has the catalog's sources.
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from newscrawl.sources import SOURCES; "
            "import newscrawl; assert newscrawl.__file__.startswith(sys.argv[1]), newscrawl.__file__; "
            "print(len(SOURCES), sum(not s.layouts for s in SOURCES.values()))")
    run = subprocess.run([sys.executable, "-c", code, str(egg)], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == [str(len(SOURCES)), str(len(CATALOG))]
