"""The reader's pages in headless Chromium over a real server: the demo WARC crawled by the real
`warc` spider into the test FerretDB, and articles stored through the real ArticleStore (and the real
dedupe pipeline for story reports)."""

from __future__ import annotations

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

from scrapy.utils.test import get_crawler

from newscrawl import settings as project_settings
from newscrawl.pipelines import DedupePipeline
from tests.conftest import REPO, run_crawl
from tests.stories import SAME_TOPIC, STORY, edit_words
from tests.web.web_fixtures import article

SAMPLE = REPO / "samples" / "demo.warc.gz"


def test_demo_crawl_pages_render_without_console_errors_or_failed_requests(tmp_path, web, visit):
    items, _, rc, log = run_crawl(tmp_path, "warc", {"path": str(SAMPLE)}, web.db.settings)
    assert rc == 0, log[-2000:]
    assert len(items) == 4
    v = visit()
    v.go(web.url("/"))
    days = v.page.locator("table.days tbody a").all_inner_texts()
    assert days == ["2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19"]

    v.go(web.url("/day/2026-11-20"))
    assert v.page.locator("h1").inner_text() == "All news articles on 2026-11-20"
    assert v.page.locator("section.language h2").inner_text().startswith("French")
    assert v.page.locator("section.source h3").inner_text() == "Le Journal de Démo"
    assert "saumons et aloses" in v.page.locator("p.lede").inner_text()
    assert v.page.locator("p.pager a").all_inner_texts() == ["← 2026-11-21", "2026-11-19 →"]

    v.page.locator("a.title", has_text="La Seine retrouve ses poissons migrateurs").click()
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator("article h1").inner_text() == "La Seine retrouve ses poissons migrateurs"
    assert v.page.locator("article .body p").count() >= 3
    source = v.page.locator("p.source a")
    assert v.page.locator("p.source").inner_text() == "Source: Le Journal de Démo"
    assert source.get_attribute("href") == \
        "https://www.journal-demo.fr/planete/2026/11/20/la-seine-retrouve-ses-poissons-migrateurs_42.html"
    assert v.page.locator("article time").get_attribute("datetime") == "2026-11-20T08:30:00Z"

    v.go(web.url("/health"))
    images = v.page.locator("section.chart img")
    assert images.count() == 3
    for i in range(3):
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), i
    assert v.problems == []


def test_day_page_puts_non_english_languages_first_and_each_source_newest_first(web, visit):
    web.db.store.upsert_batch([
        article("https://en.example/a", source="en.example", source_name="English Daily", language="en",
                title="English early", published_at="2026-11-21T06:00:00Z"),
        article("https://en.example/b", source="en.example", source_name="English Daily", language="en",
                title="English late", published_at="2026-11-21T18:00:00Z"),
        article("https://fr.example/a", source="fr.example", source_name="Le Quotidien", language="fr",
                title="Français tôt", published_at="2026-11-21T07:00:00Z"),
        article("https://fr.example/b", source="fr.example", source_name="Le Quotidien", language="fr",
                title="Français tard", published_at="2026-11-21T19:00:00Z"),
        article("https://de.example/a", source="de.example", source_name="Die Zeitung", language="de",
                title="Deutsch", published_at="2026-11-21T12:00:00Z"),
        article("https://fr2.example/a", source="fr2.example", source_name="Autre Journal", language="fr",
                title="Autre", published_at="2026-11-21T10:00:00Z"),
        article("https://x.example/other-day", language="fr", title="Another day", published_at="2026-11-20T10:00:00Z"),
    ])
    v = visit()
    v.go(web.url("/day/2026-11-21"))
    languages = [t.split(" (")[0] for t in v.page.locator("section.language h2").all_inner_texts()]
    assert languages == ["French", "German", "English"]
    french = v.page.locator("section.language").first
    assert french.locator("section.source h3").all_inner_texts() == ["Le Quotidien", "Autre Journal"]
    assert french.locator("section.source").first.locator("a.title").all_inner_texts() == ["Français tard", "Français tôt"]
    assert v.page.locator("section.language").last.locator("a.title").all_inner_texts() == ["English late", "English early"]
    assert "Another day" not in v.page.content()
    assert v.problems == []


def test_article_page_lists_the_other_reports_of_its_story_across_publishers(web, visit):
    web.db.store.upsert_batch([
        article("https://one.example/story", source="one.example", source_name="One", title="Dam opens",
                story_id="s-dam", published_at="2026-11-21T06:00:00Z"),
        article("https://two.example/story", source="two.example", source_name="Two", title="Spillway opened",
                story_id="s-dam", published_at="2026-11-21T08:00:00Z", body=BODY_TWO),
        article("https://three.example/story", source="three.example", source_name="Three", title="Die Schleuse",
                story_id="s-dam", language="de", published_at="2026-11-21T09:00:00Z", body=BODY_THREE),
        article("https://four.example/other", source="four.example", title="Unrelated", story_id="s-other",
                published_at="2026-11-21T09:00:00Z", body=BODY_FOUR),
    ])
    oid = web.db.db.articles.find_one({"url": "https://one.example/story"})["_id"]
    v = visit()
    v.go(web.url(f"/article/{oid}"))
    reports = v.page.locator("section.story a.title").all_inner_texts()
    assert reports == ["Die Schleuse", "Spillway opened"]
    assert "Unrelated" not in v.page.content()
    v.page.locator("section.story a.title", has_text="Spillway opened").click()
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator("section.story a.title").all_inner_texts() == ["Die Schleuse", "Dam opens"]
    assert v.problems == []


def test_article_time_is_shown_in_the_readers_time_zone_with_utc_as_the_no_script_fallback(web, visit):
    web.db.store.upsert_batch([article("https://z.example/a", published_at="2026-11-21T06:15:00Z")])
    oid = web.db.db.articles.find_one({})["_id"]
    tokyo = visit(timezone_id="Asia/Tokyo")
    tokyo.go(web.url(f"/article/{oid}"))
    shown = tokyo.page.locator("article time")
    assert shown.get_attribute("data-zone") == "Asia/Tokyo"
    assert shown.inner_text() == "21 Nov 2026, 15:15 GMT+9"
    assert shown.get_attribute("title") == "2026-11-21 06:15 UTC"
    assert tokyo.problems == []

    no_script = visit(timezone_id="Asia/Tokyo", java_script_enabled=False)
    no_script.go(web.url(f"/article/{oid}"))
    assert no_script.page.locator("article time").inner_text() == "2026-11-21 06:15 UTC"


def test_day_in_another_time_zone_follows_the_zones_midnight_and_the_browser_offers_its_own(web, visit):
    web.db.store.upsert_batch([
        article("https://z.example/late", title="Late in UTC", published_at="2026-11-21T20:00:00Z"),
        article("https://z.example/early", title="Early in UTC", published_at="2026-11-21T02:00:00Z"),
        article("https://z.example/bare", title="Bare date", published_at="2026-11-21"),
    ])
    v = visit(timezone_id="Asia/Tokyo")
    v.go(web.url("/day/2026-11-21"))
    assert v.page.locator("a.title").all_inner_texts() == ["Late in UTC", "Early in UTC", "Bare date"]
    offer = v.page.locator("#tz-reader")
    assert offer.inner_text() == "Show 2026-11-21 in your time zone (Asia/Tokyo)"
    offer.click()
    v.page.wait_for_load_state("networkidle")
    assert unquote(v.page.url) == web.url("/day/2026-11-21?tz=Asia/Tokyo")
    # 02:00Z is 11:00 on the 21st in Tokyo, 20:00Z already the 22nd; a bare date stays on its day.
    assert v.page.locator("a.title").all_inner_texts() == ["Early in UTC", "Bare date"]
    assert v.page.locator("ul.articles time").first.inner_text() == "21 Nov 2026, 11:00 GMT+9"
    v.go(web.url("/day/2026-11-22?tz=Asia/Tokyo"))
    assert v.page.locator("a.title").all_inner_texts() == ["Late in UTC"]
    assert v.problems == []


BODY_TWO = ("Engineers opened the spillway gates of the strengthened dam on Monday, and walkers were asked to keep "
            "away from the lower footpath while the water is released over the next days.")
BODY_THREE = ("Die Ingenieure haben am Montag die Schleusen des verstärkten Damms geöffnet; Spaziergänger sollen den "
              "unteren Fußweg meiden, solange das Wasser abgelassen wird.")
BODY_FOUR = "Something else entirely happened in another town, where the council met to discuss the new library."



def test_story_reports_and_copies_come_from_the_real_dedupe_pipeline_and_store(web, visit):
    project = {k: getattr(project_settings, k) for k in dir(project_settings) if k.startswith("NEWSCRAWL_DEDUPE_")}
    crawler = get_crawler(settings_dict={**project, "MONGODB_ENABLED": False, "NEWSCRAWL_DEDUPE_ENABLED": True})
    dedupe = DedupePipeline.from_crawler(crawler)
    dedupe.open_spider()
    items = [
        article("https://a.example/bridge", source="a.example", source_name="A News", title="Bridge to close",
                body=STORY, published_at="2026-11-21T08:00:00Z"),
        article("https://amp.a.example/bridge", source="a.example", source_name="A News", title="Bridge to close (AMP)",
                body=STORY, published_at="2026-11-21T08:00:00Z"),
        article("https://b.example/harbour", source="b.example", source_name="B Post", title="Harbour bridge shut",
                body=edit_words(STORY, 0.08, random.Random(3)), published_at="2026-11-21T09:00:00Z"),
        article("https://c.example/open", source="c.example", source_name="C Herald", title="Bridge stays open",
                body=SAME_TOPIC, published_at="2026-11-21T10:00:00Z"),
    ]
    # In a thread: playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        processed = [dict(pool.submit(asyncio.run, dedupe.process_item(item)).result()) for item in items]
    counts = web.db.store.upsert_batch(processed)
    assert counts["inserted"] == 3 and counts["aliased"] == 1
    first = web.db.db.articles.find_one({"url": "https://a.example/bridge"})

    v = visit()
    v.go(web.url(f"/article/{first['_id']}"))
    assert v.page.locator("section.story a.title").all_inner_texts() == ["Harbour bridge shut"]
    assert v.page.locator("section.story .meta").inner_text().startswith("B Post")
    assert v.page.locator("ul.aliases a").get_attribute("href") == "https://amp.a.example/bridge"
    assert v.problems == []
