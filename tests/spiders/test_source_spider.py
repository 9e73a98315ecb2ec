"""Per-source spiders: discovery from the source's declared feeds, article URL patterns, newest
first, since/until, sections, max_articles, and incremental crawls against the real
MongoDB-compatible server. The source is an extra source (the NEWSCRAWL_EXTRA_SOURCES setting),
pointing at the local test site."""

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, article_html, run_crawl
from feeds import news_sitemap, paragraphs, rss

@pytest.fixture
def local_source(http_site, tmp_path):
    """A source `localnews` on the test site: a news sitemap, a sports RSS feed, articles under /news/."""
    prefix = f"/src{tmp_path.name[-6:]}"
    site = http_site
    dates = {1: "2026-11-20T08:00:00+00:00", 2: "2026-11-21T09:00:00+00:00", 3: "2026-11-22T10:00:00+00:00",
             4: "2026-11-23T11:00:00+00:00"}
    for n, date in dates.items():
        site.add(f"{prefix}/news/2026/article-{n}.html",
                 article_html(f"Local headline number {n}", published=date, paragraphs=paragraphs(n)))
    site.add(f"{prefix}/sport/2026/match-5.html",
             article_html("Match report five", published="2026-11-23T20:00:00+00:00", paragraphs=paragraphs(5)))
    site.add(f"{prefix}/news/index.html", "<html><body>not an article URL</body></html>")
    site.add(f"{prefix}/news-sitemap.xml", news_sitemap(site, [(f"{prefix}/news/2026/article-{n}.html", d)
                                                              for n, d in dates.items()]
                                                       + [(f"{prefix}/about/team.html", "2026-11-22T00:00:00Z")]))
    site.add(f"{prefix}/sport.rss", rss(site, [(f"{prefix}/sport/2026/match-5.html", "Mon, 23 Nov 2026 20:00:00 GMT")]))
    config = [{"slug": "localnews", "name": "Local News", "domains": ["127.0.0.1"], "language": "en",
               "timezone": "Europe/London",
               "feeds": [{"kind": "news_sitemap", "url": site.url(f"{prefix}/news-sitemap.xml")},
                         {"kind": "rss", "url": site.url(f"{prefix}/sport.rss"), "section": "sport"}],
               "article_url": r"/(news|sport)/\d{4}/", "concurrency": 1, "delay": 0}]
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(config))
    return site, prefix, {"NEWSCRAWL_EXTRA_SOURCES": str(path)}


def scrapy_list(settings: dict, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scrapy", "list"] + [a for k, v in settings.items() for a in ("-s", f"{k}={v}")]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**{k: v for k, v in os.environ.items() if k != "NEWSCRAWL_EXTRA_SOURCES"}, **(env or {})})


def test_extra_sources_get_spiders_from_the_setting_or_else_the_environment(tmp_path):
    def sources_file(name, slug):
        path = tmp_path / name
        path.write_text(json.dumps([{"slug": slug, "name": slug, "domains": ["example.org"], "language": "en",
                                     "timezone": "UTC", "feeds": [], "article_url": "/news/"}]))
        return str(path)

    declared = scrapy_list({}).stdout.split()
    assert "faz" in declared and "localnews" not in declared
    by_setting = scrapy_list({"NEWSCRAWL_EXTRA_SOURCES": sources_file("a.json", "fromsetting")},
                             env={"NEWSCRAWL_EXTRA_SOURCES": sources_file("b.json", "fromenv")})
    assert by_setting.stdout.split() == sorted([*declared, "fromsetting"]), by_setting.stderr[-2000:]
    by_env = scrapy_list({}, env={"NEWSCRAWL_EXTRA_SOURCES": sources_file("c.json", "fromenv")})
    assert by_env.stdout.split() == sorted([*declared, "fromenv"]), by_env.stderr[-2000:]
    # An extra source cannot redefine a declared one.
    clash = scrapy_list({"NEWSCRAWL_EXTRA_SOURCES": sources_file("d.json", "faz")})
    assert clash.returncode != 0 and "source 'faz' is already defined" in clash.stderr


def test_discovery_patterns_order_and_fields(local_source, tmp_path):
    site, prefix, extra = local_source
    items, stats, rc, log = run_crawl(tmp_path, "localnews", {}, {"MONGODB_ENABLED": "false",
                                                                  "CONCURRENT_REQUESTS": 1, **extra})
    assert rc == 0, log[-2000:]
    assert sorted(i["title"] for i in items) == ["Local headline number 1", "Local headline number 2",
                                                 "Local headline number 3", "Local headline number 4",
                                                 "Match report five"]
    assert {i["source"] for i in items} == {"localnews"} and {i["source_name"] for i in items} == {"Local News"}
    fetched = [p for p in site.requests(prefix) if "/news/2026/" in p]
    # Newest first, and URLs outside the article pattern are never fetched.
    assert fetched == [f"{prefix}/news/2026/article-{n}.html" for n in (4, 3, 2, 1)]
    assert not site.requests(f"{prefix}/about/")
    assert stats["newscrawl/discovery/not_article_url"] == 1


def test_since_until_sections_and_max_articles(local_source, tmp_path):
    site, prefix, extra = local_source
    items, stats, rc, log = run_crawl(tmp_path, "localnews", {"since": "2026-11-21", "until": "2026-11-22"},
                                      {"MONGODB_ENABLED": "false", **extra})
    assert rc == 0, log[-2000:]
    assert sorted(i["title"] for i in items) == ["Local headline number 2", "Local headline number 3"]
    items, _, rc, log = run_crawl(tmp_path, "localnews", {"sections": "sport"}, {"MONGODB_ENABLED": "false", **extra})
    assert [i["title"] for i in items] == ["Match report five"]
    items, _, rc, log = run_crawl(tmp_path, "localnews", {"max_articles": "2"},
                                  {"MONGODB_ENABLED": "false", "CONCURRENT_REQUESTS": 1, **extra})
    assert len(items) == 2
    _, _, rc, log = run_crawl(tmp_path, "localnews", {"sections": "weather"}, {"MONGODB_ENABLED": "false", **extra})
    assert rc != 0 and "unknown for localnews: weather" in log


def test_incremental_and_refresh(local_source, tmp_path, mongo_db):
    site, prefix, extra = local_source
    settings = {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2, **extra}
    items, stats, rc, log = run_crawl(tmp_path, "localnews", {}, settings)
    assert rc == 0 and len(items) == 5, log[-3000:]
    assert mongo_db.store.articles.count_documents({}) == 5
    before = len(site.requests(f"{prefix}/news/2026/"))
    # Second run: every article is stored and the sitemap says nothing changed -> nothing fetched.
    items, stats, rc, log = run_crawl(tmp_path, "localnews", {}, settings)
    assert rc == 0 and items == []
    assert len(site.requests(f"{prefix}/news/2026/")) == before
    assert stats["newscrawl/discovery/already_stored"] == 5
    # refresh=true fetches again; the store sees them unchanged.
    items, stats, rc, log = run_crawl(tmp_path, "localnews", {"refresh": "true"}, settings)
    assert len(items) == 5 and stats.get("newscrawl/mongodb/unchanged") == 5
    assert mongo_db.store.articles.count_documents({}) == 5
