"""CrawlLogStats (newscrawl/extensions/logstats.py): the periodic crawl line says how many articles
were stored per minute, spooled and dropped; it replaces Scrapy's line. Real crawls of a local site
into the test MongoDB, with a short LOGSTATS_INTERVAL."""

import re

from conftest import ARTICLE_PARAGRAPHS, article_html, run_crawl

LINE = re.compile(r"\[newscrawl\.extensions\.logstats\] INFO: (At close: )?Crawled (\d+) pages \(at (\d+) pages/min\), "
                  r"scraped (\d+) items \(at (\d+) items/min\)(?:, stored (\d+) articles \(at (\d+)/min, (\d+) new\), "
                  r"spooled (\d+))?, dropped (\d+)$")


def lines(log: str) -> list[tuple]:
    return [m.groups() for m in map(LINE.search, log.splitlines()) if m]


def story(n: int) -> str:
    lead = f"Story {n} of the slow harbour site: told in brief to our reporters by the people who were there."
    return article_html(f"Slow harbour story {n}", paragraphs=[lead, *ARTICLE_PARAGRAPHS])


def test_periodic_line_counts_articles_stored_per_minute(http_site, mongo_db, tmp_path):
    urls = [http_site.add(f"/logstats/story-{n}.html", story(n)) for n in range(8)]
    urls.append(http_site.add("/logstats/", "<html><head><title>Home</title></head><body><a href='/'>x</a></body></html>"))
    settings = {**mongo_db.settings, "MONGODB_SPOOL_DIR": str(tmp_path / "spool"), "MONGODB_FLUSH_SECONDS": 0.2,
                "LOGSTATS_INTERVAL": 0.5, "DOWNLOAD_DELAY": 0.4, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
    _, stats, code, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)}, settings)
    assert code == 0, log[-3000:]
    assert "[scrapy.extensions.logstats]" not in log          # replaced, not doubled
    found = lines(log)
    periodic, final = [g for g in found if not g[0]], [g for g in found if g[0]]
    assert len(periodic) >= 3 and len(final) == 1, found
    # While the crawl runs, articles are stored at a rate; the counts only grow.
    assert any(int(g[5]) > 0 and int(g[6]) > 0 for g in periodic), periodic
    stored = [int(g[5]) for g in periodic]
    assert stored == sorted(stored)
    _, pages, _, items, _, total, rate, new, spooled, dropped = final[0]
    assert (int(pages), int(items), int(total), int(new), int(spooled), int(dropped)) == (9, 8, 8, 8, 0, 1)
    assert int(rate) > 0 and stats["newscrawl/mongodb/inserted"] == 8


def test_line_without_the_store_has_no_stored_part(http_site, tmp_path):
    url = http_site.add("/logstats-nostore/story.html", story(99))
    _, _, code, log = run_crawl(tmp_path, "article", {"urls": url}, {"LOGSTATS_INTERVAL": 0.5})
    assert code == 0, log[-3000:]
    final = [g for g in lines(log) if g[0]]
    assert len(final) == 1 and final[0][5] is None and final[0][1:5:2] == ("1", "1")
    assert "stored" not in next(line for line in log.splitlines() if "At close: Crawled" in line)
