"""JavaScript-rendered sources (newscrawl/render/, the Rendering add-on) in a real headless Chromium: a local site whose
article text appears only after scripts run (after a delay, or after a click on "Read more"); the
rendering source gets the full body, plain requests to the same pages do not, a failed render is
retried and then falls back or fails, and crawls without rendered requests never start Playwright
or the browser."""

import json
import os
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.settings import Settings

from conftest import FIXTURES, run_crawl
from newscrawl.middlewares.render import RenderMiddleware
from newscrawl.render import browser, handler
from newscrawl.render.spec import CONTEXT, RenderSpec

PAGES = FIXTURES / "render"
WAIT, CLICK = "article[data-complete]", "button.read-more"
LEDES = {"delayed": "The port authority signed the contract", "click": "The village school reopened on Monday",
         "never": "Night trains will run again"}
HIDDEN = {"delayed": "Delayed paragraph three", "click": "Clicked paragraph three"}

needs_chromium = pytest.mark.skipif(browser.browser_problem(Settings({"PLAYWRIGHT_LAUNCH_OPTIONS": browser.launch_options()}))
                                    is not None, reason="no Chromium (apt-get install chromium)")


@pytest.fixture
def js_site(http_site, tmp_path):
    """The three fixture pages under a fresh prefix, a news sitemap of them, and a sources file with a
    rendering source `jsnews` and a plain one `plainnews` over the same pages."""
    site = http_site
    prefix = f"/js{tmp_path.name[-6:]}"
    for path in PAGES.iterdir():
        ctype = "application/json" if path.suffix == ".json" else "text/html; charset=utf-8"
        site.add(f"{prefix}/news/{path.name}", path.read_bytes(), headers={"Content-Type": ctype})
    for name in ("delayed-photo.jpg", "click-photo.jpg", "herald-font.woff2"):
        site.add(f"{prefix}/news/{name}", b"\0" * 64, headers={"Content-Type": "application/octet-stream"})
    urls = "".join(f"<url><loc>{site.url(f'{prefix}/news/{n}.html')}</loc><news:news><news:publication_date>"
                   f"2026-11-2{i}T08:00:00Z</news:publication_date></news:news></url>"
                   for i, n in enumerate(("delayed", "click", "never")))
    site.add(f"{prefix}/news-sitemap.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
             'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>")
    common = {"domains": ["127.0.0.1"], "language": "en", "timezone": "Europe/London",
              "feeds": [{"kind": "news_sitemap", "url": site.url(f"{prefix}/news-sitemap.xml")}],
              "article_url": r"/news/\w+\.html$", "concurrency": 4, "delay": 0}
    sources = [{**common, "slug": "jsnews", "name": "Script Herald", "render": True, "render_wait_selector": WAIT,
                "render_click_selector": CLICK, "render_timeout_ms": 1500, "render_fallback": True},
               {**common, "slug": "plainnews", "name": "Script Herald (plain)"}]
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(sources))
    return site, prefix, {"NEWSCRAWL_EXTRA_SOURCES": str(path)}


class BrowserWatch:
    """Records processes started under this test process while a crawl runs: the Playwright driver
    (`run-driver`) and Chromium (`--remote-debugging-pipe`)."""

    def __init__(self):
        self.seen: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _descends_from_me(self, pid: str) -> bool:
        me = os.getpid()
        for _ in range(10):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                return False
            pid = stat.rsplit(")", 1)[1].split()[1]
            if int(pid) == me:
                return True
            if pid in ("0", "1"):
                return False
        return False

    def _run(self):
        while not self._stop.is_set():
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                kind = "driver" if "run-driver" in cmd else "browser" if "--remote-debugging-pipe" in cmd else None
                if kind and self._descends_from_me(pid):
                    self.seen.add(kind)
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def by_page(items) -> dict:
    return {i["fetched_url"].rsplit("/", 1)[1].removesuffix(".html"): i for i in items}


@needs_chromium
def test_rendering_source_gets_full_body_with_retry_and_fallback(js_site, tmp_path):
    site, prefix, env = js_site
    with BrowserWatch() as watch:
        items, stats, rc, log = run_crawl(tmp_path, "jsnews", {}, {}, env=env, timeout=60)
    assert rc == 0, log[-3000:]
    assert watch.seen == {"driver", "browser"}
    pages = by_page(items)
    assert set(pages) == {"delayed", "click", "never"}
    for name, hidden in HIDDEN.items():          # text written by scripts: after a delay, after a click
        assert LEDES[name] in pages[name]["body"] and hidden in pages[name]["body"], pages[name]["body"]
    # The page whose body never arrives: rendered, timed out, rendered again, then the plain page.
    assert LEDES["never"] in pages["never"]["body"]
    assert site.requests(f"{prefix}/news/never.html").__len__() == 3
    assert stats["newscrawl/render/rendered"] == 2
    assert stats["newscrawl/render/retried"] == 1
    assert stats["newscrawl/render/fallback"] == 1
    assert "newscrawl/render/failed" not in stats
    # Only article pages went to the browser (the sitemap did not); one browser, one context.
    assert stats["playwright/request_count/navigation"] == 4
    assert stats["playwright/browser_count"] == 1 and stats["playwright/context_count"] == 1
    assert stats["playwright/page_count/closed"] == stats["playwright/page_count"] == 4
    # Images, fonts and trackers were never fetched.
    assert stats["playwright/request_count/aborted"] >= 4
    assert not site.requests(f"{prefix}/news/delayed-photo") and not site.requests(f"{prefix}/news/click-photo")
    assert not site.requests(f"{prefix}/news/herald-font")
    assert site.requests(f"{prefix}/news/delayed-body.json") and site.requests(f"{prefix}/news/click-body.json")


@needs_chromium
def test_article_spider_request_level_render_without_fallback(js_site, tmp_path):
    site, prefix, env = js_site
    urls = ",".join(site.url(f"{prefix}/news/{n}.html") for n in ("delayed", "click", "never"))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": urls, "render": "true", "wait_selector": WAIT,
                                                            "click_selector": CLICK, "render_timeout_ms": 3000},
                                      {}, timeout=60)
    assert rc == 0, log[-3000:]
    pages = by_page(items)
    assert set(pages) == {"delayed", "click"}
    for name, hidden in HIDDEN.items():
        assert hidden in pages[name]["body"]
    assert stats["newscrawl/render/rendered"] == 2
    # "never" is retried once, then fails; on a loaded machine a slow first render of another page
    # may be retried too.
    assert stats["newscrawl/render/retried"] >= 1 and stats["newscrawl/render/failed"] == 1
    assert "newscrawl/render/fallback" not in stats
    assert "Rendering " + site.url(f"{prefix}/news/never.html") + " failed" in log


def test_plain_source_gets_truncated_bodies_and_never_starts_the_browser(js_site, tmp_path):
    site, prefix, env = js_site
    # A Chromium path that does not exist: a crawl without rendered requests never looks for it.
    env = {**env, "NEWSCRAWL_CHROMIUM": str(tmp_path / "no-chromium")}
    with BrowserWatch() as watch:
        items, stats, rc, log = run_crawl(tmp_path, "plainnews", {}, {}, env=env, timeout=60)
    assert rc == 0, log[-3000:]
    pages = by_page(items)
    assert set(pages) == {"delayed", "click", "never"}
    for name, hidden in HIDDEN.items():
        assert LEDES[name] in pages[name]["body"] and hidden not in pages[name]["body"]
    assert not site.requests(f"{prefix}/news/delayed-body.json") and not site.requests(f"{prefix}/news/click-body.json")
    assert watch.seen == set()
    assert not [k for k in stats if k.startswith(("playwright/", "newscrawl/render/"))], stats
    assert "Starting download handler" not in log and "Launching browser" not in log


def test_missing_browser_stops_a_rendering_crawl_naming_the_fix(js_site, tmp_path):
    site, prefix, env = js_site
    missing = str(tmp_path / "no-chromium")
    items, stats, rc, log = run_crawl(tmp_path, "jsnews", {}, {}, env={**env, "NEWSCRAWL_CHROMIUM": missing},
                                      timeout=60)
    assert rc != 0 and not items
    assert "BrowserNotFound" in log and missing in log and "NEWSCRAWL_CHROMIUM" in log
    assert "apt-get install chromium" in log and "playwright install chromium" in log
    assert not site.requests(f"{prefix}/news/")


# ---- units -----------------------------------------------------------------------------------------


def test_launch_options_from_environment(tmp_path):
    options = browser.launch_options({"NEWSCRAWL_CHROMIUM": "/opt/chromium/chrome"})
    assert options["executable_path"] == "/opt/chromium/chrome" and options["headless"] is True
    assert {"--no-sandbox", "--disable-background-networking", "--disable-component-update"} <= set(options["args"])
    default = browser.launch_options({})
    if os.access(browser.DEBIAN_CHROMIUM, os.X_OK):
        assert default["executable_path"] == browser.DEBIAN_CHROMIUM
    else:
        assert "executable_path" not in default  # Playwright's own browser
    problem = browser.browser_problem(Settings({"PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": str(tmp_path / "x")}}))
    assert "NEWSCRAWL_CHROMIUM" in problem and "apt-get install chromium" in problem
    assert browser.browser_problem(Settings({"PLAYWRIGHT_CDP_URL": "http://127.0.0.1:9222"})) is None


def test_abort_request_blocks_heavy_resources_and_trackers():
    def req(url, kind="script"):
        return SimpleNamespace(url=url, resource_type=kind)

    assert handler.abort_request(req("https://news.example/a.jpg", "image"))
    assert handler.abort_request(req("https://news.example/v.mp4", "media"))
    assert handler.abort_request(req("https://news.example/f.woff2", "font"))
    assert handler.abort_request(req("https://www.google-analytics.com/analytics.js"))
    assert handler.abort_request(req("https://securepubads.g.doubleclick.net/tag/js/gpt.js"))
    assert not handler.abort_request(req("https://news.example/app.js"))
    assert not handler.abort_request(req("https://news.example/api/article.json", "fetch"))
    assert not handler.abort_request(req("https://news.example/", "document"))
    assert not handler.abort_request(req("https://notdoubleclick.net/x.js"))


def test_middleware_routes_retries_and_falls_back():
    from scrapy.statscollectors import MemoryStatsCollector

    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    mw = RenderMiddleware(stats, retries=1)
    plain = Request("https://news.example/a")
    mw.process_request(plain)
    assert "playwright" not in plain.meta
    spec = RenderSpec(WAIT, CLICK, 2000, fallback=True)
    req = Request("https://news.example/a", meta=spec.meta())
    mw.process_request(req)
    assert req.meta["playwright"] is True and req.meta["playwright_context"] == CONTEXT
    assert req.meta["playwright_page_goto_kwargs"] == {"wait_until": "domcontentloaded", "timeout": 2000}
    retry = mw.process_exception(req, TimeoutError("Timeout 2000ms exceeded"))
    assert retry.meta["playwright"] and retry.meta["newscrawl_render_retries"] == 1 and retry.dont_filter
    fallback = mw.process_exception(retry, TimeoutError("Timeout 2000ms exceeded"))
    assert "playwright" not in fallback.meta and fallback.meta["newscrawl_render_fallback"]
    mw.process_request(fallback)
    assert "playwright" not in fallback.meta      # the fallback request stays plain
    strict = Request("https://news.example/b", meta=RenderSpec(WAIT).meta())
    mw.process_request(strict)
    strict = mw.process_exception(strict, TimeoutError("t"))
    assert mw.process_exception(strict, TimeoutError("t")) is None
    assert stats.get_stats() == {"newscrawl/render/retried": 2, "newscrawl/render/fallback": 1,
                                 "newscrawl/render/failed": 1}
