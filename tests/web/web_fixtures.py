"""The web front's test kit: the app served on a free loopback port over a test database (`web`),
one headless Chromium per test module (`browser`), a page that records every console error, page
error, failed request, HTTP error and dialog (`visit`), and `article()` items stored through the
real ArticleStore."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytest
from werkzeug.serving import make_server

from newscrawl.web import create_app

CHROMIUM = "/usr/lib/chromium/chromium"
UTC = timezone.utc
BODY = ("The regional water board said on Monday that the reservoir above the town is fuller than at any time "
        "in the past decade.\n\nEngineers will open the spillway gates for the first time since the dam was "
        "strengthened.")


def article(url: str, **fields) -> dict:
    """An Article item as the pages produce it (the store turns it into a document); the body names
    the URL, so two articles are never exact copies (the store would keep one, the other as alias)."""
    item = {"url": url, "fetched_url": url, "source": "demo.example", "source_name": "Demo Example",
            "title": "A title", "summary": None, "body": f"{BODY}\n\nFiled as {url}.", "authors": [], "published_at": None,
            "published_at_source": None, "modified_at": None, "image": None, "section": [], "tags": [],
            "declared_language": None, "is_paywalled": False,
            "crawled_at": datetime(2026, 11, 23, 8, 0, tzinfo=UTC)}
    item.update(fields)
    if isinstance(item["published_at"], str) and item["published_at_source"] is None:
        item["published_at_source"] = {"method": "meta", "has_time": "T" in item["published_at"]}
    return item


@dataclass
class Web:
    base: str
    app: object
    db: object          # the tests.mongo_server.MongoDB of the served database

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def web(mongo_db):
    app = create_app(mongo_db.uri, mongo_db.name, mongo_db.collection)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="web", daemon=True)
    thread.start()
    yield Web(f"http://127.0.0.1:{server.port}", app, mongo_db)
    server.shutdown()
    server.server_close()
    app.extensions["newscrawl"]["client"].close()


@pytest.fixture(scope="module")
def browser():
    # Per module, not per session: while Playwright's sync API is open it keeps an asyncio loop
    # running in this thread, and every later test that calls asyncio.run() would fail.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@dataclass
class Visit:
    """One browser context and page; `problems` collects what a clean page never shows."""

    page: object
    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def go(self, url: str, status: int = 200):
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == status, (url, response and response.status)
        return response


@pytest.fixture
def visit(browser):
    contexts = []

    def open_page(**context_options) -> Visit:
        options = {"locale": "en-GB", "timezone_id": "UTC", **context_options}
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        v = Visit(page)
        page.on("console", lambda m: v.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: v.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: v.problems.append(f"request failed: {r.url} {r.failure}"))
        page.on("response", lambda r: v.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

        def on_dialog(dialog):
            v.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return v

    yield open_page
    for context in contexts:
        context.close()
