"""When `scrapy crawl` exits non-zero because a run stored nothing (newscrawl/runs/health.py absolute
rules, newscrawl/commands/crawl.py), on a first run without any history in crawl_runs; and that an
option of rendering given without `-a render=true` is an argument error. Real crawls of a local site
into a fresh database of the test server."""

from conftest import article_html, run_crawl
from newscrawl.runs.health import HEALTH_EXIT_CODE

SITEMAP = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
XML = {"Content-Type": "application/xml"}


def sitemap(urls) -> str:
    return SITEMAP.format("".join(f"<url><loc>{u}</loc></url>" for u in urls))


def outcome_line(log: str) -> str:
    return next(line for line in log.splitlines() if "Crawl outcome of article:" in line)


def crawl(tmp_path, mongo_db, args, *, first: bool = True):
    settings = {**mongo_db.settings, "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    if first:   # no history in crawl_runs: only the absolute rules apply
        assert mongo_db.db.crawl_runs.count_documents({}) == 0
    return run_crawl(tmp_path, "article", args, settings)


def test_first_run_that_found_article_pages_but_stored_nothing_exits_3(http_site, mongo_db, tmp_path):
    short = http_site.add("/exit/short.html", article_html("Too short", paragraphs=["Only a few words."]))
    _, stats, code, log = crawl(tmp_path, mongo_db, {"urls": short})
    assert code == HEALTH_EXIT_CODE, log[-3000:]
    assert "stored nothing: all 1 article pages were dropped (1 drops)" in outcome_line(log)
    run = mongo_db.db.crawl_runs.find_one({})
    assert run["status"] == "failed" and run["baseline"] == {"runs": 0}


def test_first_run_whose_article_urls_are_all_gone_exits_3_and_says_so(http_site, mongo_db, tmp_path):
    gone = [http_site.add(f"/exit/gone-{n}.html", "gone", status=410) for n in range(2)]
    index = http_site.add("/exit/gone-sitemap.xml", sitemap(gone), headers=XML)
    _, _, code, log = crawl(tmp_path, mongo_db, {"sitemap": index})
    assert code == HEALTH_EXIT_CODE, log[-3000:]
    assert "stored nothing: all 2 article URLs were gone (404/410)" in outcome_line(log)


def test_first_run_with_no_article_url_exits_3(http_site, mongo_db, tmp_path):
    empty = http_site.add("/exit/empty-sitemap.xml", sitemap([]), headers=XML)
    _, _, code, log = crawl(tmp_path, mongo_db, {"sitemap": empty})
    assert code == HEALTH_EXIT_CODE, log[-3000:]
    assert "stored nothing: no article URL found" in outcome_line(log)


def test_run_of_pages_already_stored_exits_0(http_site, mongo_db, tmp_path):
    page = http_site.add("/exit/story.html", article_html("A harbour story", published="2026-11-20T08:00:00Z"))
    _, stats, code, log = crawl(tmp_path, mongo_db, {"urls": page})
    assert code == 0 and stats["newscrawl/mongodb/inserted"] == 1, log[-3000:]
    _, stats, code, log = crawl(tmp_path, mongo_db, {"urls": page}, first=False)
    assert code == 0 and stats["newscrawl/mongodb/unchanged"] == 1, log[-3000:]


def test_wait_selector_without_render_is_an_argument_error(http_site, mongo_db, tmp_path):
    page = http_site.add("/exit/render.html", article_html("A rendered story"))
    for args in ({"urls": page, "wait_selector": "article"},
                 {"urls": page, "render": "false", "click_selector": "button.more"}):
        _, _, code, log = crawl(tmp_path, mongo_db, args)
        name = next(k for k in args if k.endswith("selector"))
        assert code == 2 and f"scrapy crawl article: error: -a {name} needs -a render=true" in log, log[-3000:]
        assert "Traceback" not in log
