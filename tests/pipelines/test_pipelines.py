"""Validate and language pipelines in process; storage through real crawls against the real server:
idempotent re-runs, crawl_runs, and no credentials in the logs."""

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from conftest import article_html, run_crawl
from newscrawl.items import Article
from newscrawl.pipelines import LanguagePipeline, ValidatePipeline

BODY = ("The regional parliament approved the new budget on Thursday after a long night of debate, with the "
        "opposition abstaining on most of the chapters about schools and hospitals.\n\n"
        "The finance minister said the plan would cut the deficit by half within three years.")
FR_BODY = ("Le parlement régional a adopté jeudi le nouveau budget après une longue nuit de débats, "
           "l'opposition s'abstenant sur la plupart des chapitres consacrés aux écoles et aux hôpitaux.")


def _crawler():
    from newscrawl import settings

    project = {k: getattr(settings, k) for k in dir(settings) if k.isupper()}
    return get_crawler(settings_dict={**project, "MONGODB_ENABLED": False})


def _item(**kw):
    base = dict(url="https://news.example/a", title="Budget  approved", body=BODY, summary=" ",
                authors=[" Ann  Lee "], published_at="2026-11-20T10:00:00Z", crawled_at="2026-11-20T12:00:00Z",
                published_at_source={"method": "jsonld", "raw": "x"}, modified_at=None, declared_language="en")
    return Article(**{**base, **kw})


def test_validate_normalises_and_rejects_implausible_times():
    crawler = _crawler()
    p = ValidatePipeline.from_crawler(crawler)
    item = p.process_item(_item())
    assert item["title"] == "Budget approved" and item["summary"] is None and item["authors"] == ["Ann Lee"]
    future = p.process_item(_item(published_at="2026-12-01T10:00:00Z"))
    assert future["published_at"] is None and future["published_at_source"]["rejected"] == "2026-12-01T10:00:00Z"
    old = p.process_item(_item(published_at="1970-01-01T00:00:00Z"))
    assert old["published_at"] is None
    ok = p.process_item(_item(published_at="2026-11-20T16:00:00Z"))   # within the 6 h tolerance
    assert ok["published_at"] == "2026-11-20T16:00:00Z"
    assert crawler.stats.get_value("newscrawl/validate/published_at_rejected") == 2


@pytest.mark.parametrize("kw,reason", [({"title": "  "}, "no_title"), ({"url": "ftp://x/y"}, "invalid_url")])
def test_validate_drops_with_counted_reason(kw, reason):
    crawler = _crawler()
    with pytest.raises(DropItem):
        ValidatePipeline.from_crawler(crawler).process_item(_item(**kw))
    assert crawler.stats.get_value(f"newscrawl/dropped/{reason}") == 1


def test_language_pipeline_overrides_a_wrong_declaration():
    crawler = _crawler()
    p = LanguagePipeline.from_crawler(crawler)
    item = p.process_item(_item(title="Le budget adopté", body=FR_BODY, declared_language="en"))
    assert (item["language"], item["language_method"]) == ("fr", "detected")
    assert item["language_confidence"] > 0.9
    assert crawler.stats.get_value("newscrawl/language/fr") == 1


PARAS = [["The harbour authority opened a new ferry line to the islands on Monday, the first in twenty years, "
          "and said boats would run every hour in summer and every two hours in winter."],
         ["A court in the capital sentenced two former ministers to prison for fraud on Tuesday, ending a trial "
          "that lasted three years and heard more than two hundred witnesses."]]


def test_same_crawl_twice_is_idempotent_and_recorded(http_site, tmp_path, mongo_db):
    urls = [http_site.add(f"/idem/{n}.html", article_html(f"Idempotent story {n}", published="2026-11-20T10:00:00Z",
                                                         paragraphs=PARAS[n])) for n in range(2)]
    settings = {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)}, settings)
    assert rc == 0 and len(items) == 2 and stats["newscrawl/mongodb/inserted"] == 2, log[-2000:]
    first = {d["url"]: d for d in mongo_db.db.articles.find({})}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)}, settings)
    assert rc == 0 and stats["newscrawl/mongodb/unchanged"] == 2 and stats.get("newscrawl/mongodb/inserted", 0) == 0
    second = {d["url"]: d for d in mongo_db.db.articles.find({})}
    assert first.keys() == second.keys()
    for url, doc in first.items():
        changed = {k for k in doc if doc[k] != second[url].get(k)}
        assert changed <= {"last_seen_at"}, changed
    runs = list(mongo_db.db.crawl_runs.find({}).sort("started_at", 1))
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert [r["items"]["stored"] for r in runs] == [2, 0] and runs[1]["items"]["unchanged"] == 2
    assert runs[0]["spider"] == "article" and runs[0]["arguments"]["urls"] == ",".join(urls)


def test_credentials_never_logged(http_site, tmp_path):
    url = http_site.add("/secret/a.html", article_html("Secret story", published="2026-11-20T10:00:00Z",
                                                       paragraphs=PARAS[0]))
    settings = {"MONGODB_ENABLED": True, "MONGODB_URI": "mongodb://crawler:s3cr3t-pw@127.0.0.1:9/",
                "MONGODB_SERVER_TIMEOUT_MS": 200, "MONGODB_RETRY_ATTEMPTS": 1, "MONGODB_SPOOL_DIR": str(tmp_path / "spool"),
                "MONGODB_FLUSH_SECONDS": 0.2}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": url}, settings)
    # Unreachable at start: the spider closes at once, and its one ERROR line names the masked URI.
    assert stats["finish_reason"] == "mongodb_unreachable" and items == []
    assert "s3cr3t-pw" not in log and "crawler:***@127.0.0.1:9" in log
    assert all("s3cr3t-pw" not in p.read_text() for p in (tmp_path / "spool").glob("*.jsonl"))
