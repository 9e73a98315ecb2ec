"""Hostile stored strings in every text field of an article and of a crawl run are shown as text in
Chromium: no dialog, no script run, no injected element, no `javascript:` link."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.web.web_fixtures import article

UTC = timezone.utc
PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2;alert(2)">"><svg onload=alert(3)>'
JS_URL = "javascript:alert(document.domain)//" + PAYLOAD

# Elements and attributes none of our pages has: any of them comes from a payload.
INJECTED = ("script:not([src]), img[src='x'], svg, iframe, object, embed, [onerror], [onload], "
            "[onclick], [onmouseover]")


def _hostile(url: str, **fields) -> dict:
    text = {k: f"{k}: {PAYLOAD}" for k in ("title", "summary", "source", "source_name", "image", "declared_language",
                                           "fetched_url")}
    return article(url, body=f"{PAYLOAD}\n\nbody paragraph: {PAYLOAD} {url}", authors=[PAYLOAD, f"author {PAYLOAD}"],
                   section=[PAYLOAD], tags=[PAYLOAD], language=PAYLOAD, story_id=f"story {PAYLOAD}",
                   published_at="2026-11-21T10:00:00Z", **{**text, **fields})


def _assert_inert(v, page_name: str) -> str:
    page = v.page
    assert v.dialogs == [], (page_name, v.dialogs)
    assert page.evaluate("() => window.__xss") is None, page_name
    assert page.locator(INJECTED).count() == 0, (page_name, page.content()[:3000])
    hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs), (page_name, hrefs)
    text = page.locator("body").inner_text()
    assert PAYLOAD in text, page_name
    return text


def test_payloads_in_every_article_field_show_as_text_on_every_page(web, visit):
    web.db.store.upsert_batch([_hostile(JS_URL), _hostile("https://ok.example/a", source="ok.example")])
    hostile = web.db.db.articles.find_one({"url": JS_URL})
    other = web.db.db.articles.find_one({"url": "https://ok.example/a"})
    assert hostile is not None and other is not None and hostile["story_id"] == other["story_id"]
    # Another writer's aliases (the store only adds http(s) copies): a javascript: alias stays text.
    web.db.db.articles.update_one({"_id": hostile["_id"]}, {"$set": {"aliases": [JS_URL + "#alias"]}})

    v = visit()
    v.go(web.url("/day/2026-11-21"))
    text = _assert_inert(v, "day")
    assert f"title: {PAYLOAD}" in text and f"source_name: {PAYLOAD}" in text and f"summary: {PAYLOAD}" in text
    assert PAYLOAD in v.page.locator("section.language h2").first.inner_text()   # the language code

    v.go(web.url(f"/article/{hostile['_id']}"))
    text = _assert_inert(v, "article")
    for shown in (f"title: {PAYLOAD}", f"summary: {PAYLOAD}", f"body paragraph: {PAYLOAD}", f"author {PAYLOAD}",
                  f"Source: source_name: {PAYLOAD} ({JS_URL})", JS_URL + "#alias"):
        assert shown in text, shown
    assert v.page.locator("p.source a").count() == 0
    assert v.page.locator("section.story a.title").inner_text() == f"title: {PAYLOAD}"

    v.go(web.url(f"/article/{other['_id']}"))
    _assert_inert(v, "article with a link")
    assert v.page.locator("p.source a").get_attribute("href") == "https://ok.example/a"

    v.go(web.url("/"))
    assert v.dialogs == [] and v.page.locator(INJECTED).count() == 0
    assert v.problems == []


def test_payloads_in_crawl_runs_and_source_names_show_as_text_on_the_health_page(web, visit):
    web.db.store.upsert_batch([_hostile("https://ok.example/a", source=PAYLOAD)])
    web.db.runs.record({"run_id": PAYLOAD, "spider": PAYLOAD, "status": "failed", "outcome": PAYLOAD,
                        "finish_reason": PAYLOAD, "failure_reasons": [PAYLOAD], "outcome_reasons": [f"why {PAYLOAD}"],
                        "started_at": datetime(2026, 11, 21, 10, tzinfo=UTC), "items": {"stored": PAYLOAD},
                        "dropped": {PAYLOAD: 3}, "errors": {PAYLOAD: 2}})
    v = visit()
    v.go(web.url("/health"))
    text = _assert_inert(v, "health")
    assert f"why {PAYLOAD}" in text
    row = v.page.locator("tr.failed-run")
    assert row.count() == 1 and row.locator("td.runid").inner_text() == PAYLOAD
    for chart in ("articles-per-day", "reasons", "body-words"):
        response = v.page.request.get(web.url(f"/health/{chart}.svg"))
        svg = response.text()
        assert response.status == 200 and "default-src 'none'" in response.headers["content-security-policy"]
        assert "<script" not in svg and "onload=" not in svg and "onerror=" not in svg, chart
    assert v.problems == []
