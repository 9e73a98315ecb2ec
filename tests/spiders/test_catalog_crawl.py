"""`scrapy crawl <catalog slug>`: a source of newscrawl/publishers/catalog.toml crawled as declared
(its real feed addresses, answered by the local test site through tests/spiders/https_to_local.py):
the news sitemap's article is fetched and read under the source's declaration, its section and
video pages are not fetched; `scrapy list` counts the catalog's spiders."""

import dataclasses
import json
import os
import subprocess
import sys

from conftest import REPO, run_crawl
from feeds import paragraphs

from newscrawl.sources import SOURCES, get_source

ORIGIN = "https://www.derstandard.at"


class _Real:
    """Builds the sitemap's <loc>s on the source's own host."""

    @staticmethod
    def url(path: str) -> str:
        return ORIGIN + path


def test_a_catalog_source_is_crawled_by_its_spider_under_its_declaration(http_site, tmp_path):
    from conftest import article_html
    from feeds import news_sitemap

    source = get_source("derstandard")
    prefix = f"/cat{tmp_path.name[-6:]}"
    article = "/story/3000000999999/gemeinderat-beschliesst-das-neue-budget-fuer-die-stadt"
    # A time printed without an offset: read in the source's zone (Vienna, UTC+1 in November).
    http_site.add(f"{prefix}/www.derstandard.at{article}",
                  article_html("Gemeinderat beschliesst das neue Budget", published="2026-11-20T08:00:00",
                               lang="de", paragraphs=paragraphs(3)))
    listed = [(article, "2026-11-20T08:00:00+01:00"), ("/international", "2026-11-20T08:00:00+01:00"),
              ("/video/3000000888888/ein-video-vom-gemeinderat-heute", "2026-11-20T08:00:00+01:00")]
    news = next(f.url for f in source.feeds if f.kind == "news_sitemap")
    http_site.add(prefix + "/" + news.split("://", 1)[1], news_sitemap(_Real, listed),
                  headers={"Content-Type": "application/xml"})
    handlers = {"https": "tests.spiders.https_to_local.HttpsToLocal", "file": None, "data": None, "ftp": None,
                "s3": None}
    items, stats, rc, log = run_crawl(tmp_path, "derstandard", {}, {
        "HTTPS_TO_LOCAL_ORIGIN": http_site.url(prefix), "DOWNLOAD_HANDLERS": json.dumps(handlers),
        "NEWSCRAWL_ALLOWED_PRIVATE_HOSTS": http_site.host})
    assert rc == 0, log[-3000:]
    assert [i["url"] for i in items] == [ORIGIN + article], log[-3000:]
    item = items[0]
    assert item["source"] == "derstandard" and item["source_name"] == "Der Standard"
    assert item["title"] == "Gemeinderat beschliesst das neue Budget"
    assert item["published_at"].startswith("2026-11-20T07:00:00")
    fetched = http_site.requests(prefix)
    assert not [p for p in fetched if "/international" in p or "/video/" in p], fetched


def _scrapy_list(tmp_path, entries) -> subprocess.CompletedProcess:
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(entries))
    env = {k: v for k, v in os.environ.items() if k != "NEWSCRAWL_EXTRA_SOURCES"}
    return subprocess.run([sys.executable, "-m", "scrapy", "list", "-s", f"NEWSCRAWL_EXTRA_SOURCES={path}"], cwd=REPO,
                          capture_output=True, text=True, timeout=120, env=env)


def test_scrapy_list_counts_the_catalog_and_an_extra_source_may_repeat_it_only_word_for_word(tmp_path):
    source = get_source("derstandard")
    same = {k: v for k, v in dataclasses.asdict(source).items() if k != "layouts"}
    listed = _scrapy_list(tmp_path, [same])
    assert listed.returncode == 0, listed.stderr[-2000:]
    spiders = listed.stdout.split()
    assert len(spiders) == len(set(spiders)) and {"derstandard", "faz", "article", "warc"} <= set(spiders)
    assert "several spiders with the same name" not in listed.stderr
    assert set(SOURCES) <= set(spiders) and len(spiders) >= len(SOURCES) + 2 >= 110
    changed = _scrapy_list(tmp_path, [{**same, "timezone": "UTC"}])
    assert changed.returncode != 0
    assert ("source 'derstandard' is already defined (in the catalog or another extra source) differently"
            in changed.stderr)
